//! Messages wrapped at word boundaries, never cut: the editors and the
//! help screens share it.
//!
//! French sets `:` `;` `?` `!` and `»` off with a space, and `«` too on its
//! other side; a line never starts with the first ones nor ends with `«`
//! ("Quitter sans enregistrer ?" keeps its "?"). [`wrap`] keeps them with
//! their word; [`glue`] makes those spaces non-breaking for the wrapping
//! of ratatui's `Paragraph`, which never breaks at U+00A0. English has no
//! such spaces, so its lines are unchanged.

use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

/// Marks that never start a line.
const CLOSING: [char; 5] = [':', ';', '?', '!', '»'];
const NBSP: char = '\u{a0}';

/// True when `word` is French punctuation set off by a space: `?`, `:`,
/// `»,`, `?»`.
fn closes(word: &str) -> bool {
    word.starts_with(CLOSING)
        && word
            .chars()
            .all(|c| CLOSING.contains(&c) || c.is_ascii_punctuation() || c == '»')
}

/// The words of `text` with French punctuation kept with its word: each
/// unit may hold spaces, and is never broken at them.
fn units(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut glue_next = false;
    for word in text.split(' ') {
        match out.last_mut() {
            Some(last) if glue_next || (!word.is_empty() && closes(word)) => {
                last.push(' ');
                last.push_str(word);
            }
            _ => out.push(word.to_string()),
        }
        glue_next = word.ends_with('«');
    }
    out
}

/// Words of `text` in lines of at most `width` columns.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(10);
    let mut out = Vec::new();
    let mut cur = String::new();
    for word in units(text) {
        let wl = word.width();
        let cl = cur.width();
        if cl > 0 && cl + 1 + wl > width {
            out.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        let mut word = word;
        while cur.width() + word.width() > width {
            let room = width - cur.width();
            let mut head = String::new();
            for c in word.chars() {
                if (head.clone() + &c.to_string()).width() > room {
                    break;
                }
                head.push(c);
            }
            if head.is_empty() && cur.is_empty() {
                // A character wider than the line: give it a line.
                head = word.chars().take(1).collect();
            }
            word = word[head.len()..].to_string();
            cur.push_str(&head);
            out.push(std::mem::take(&mut cur));
        }
        cur.push_str(&word);
    }
    if !cur.is_empty() || out.is_empty() {
        out.push(cur);
    }
    out
}

/// `text` with the spaces before `: ; ? ! »` and after `«` made
/// non-breaking, for a widget that wraps by itself.
pub fn glue(text: &str) -> String {
    let units = units(text);
    let mut out = String::with_capacity(text.len());
    for (i, u) in units.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        // Inside a unit, every space is one that must not break.
        out.push_str(&u.replace(' ', &NBSP.to_string()));
    }
    out
}

/// [`glue`] on every span of `lines`.
pub fn glue_lines(lines: Vec<Line<'_>>) -> Vec<Line<'static>> {
    lines
        .into_iter()
        .map(|l| {
            let spans: Vec<Span<'static>> = l
                .spans
                .into_iter()
                .map(|s| Span::styled(glue(&s.content), s.style))
                .collect();
            let mut line = Line::from(spans).style(l.style);
            line.alignment = l.alignment;
            line
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_wraps_at_spaces() {
        assert_eq!(
            wrap("the quick brown fox jumps", 10),
            ["the quick", "brown fox", "jumps"]
        );
        assert_eq!(wrap("abcdefghijklmnop", 10), ["abcdefghij", "klmnop"]);
        assert_eq!(glue("Run it again? Yes: now"), "Run it again? Yes: now");
    }

    #[test]
    fn french_punctuation_stays_with_its_word() {
        // Without the rule "?" would start the second line.
        let t = "Quitter sans enregistrer ?";
        for l in wrap(t, 24) {
            assert!(!l.starts_with('?'), "{l:?}");
        }
        assert_eq!(wrap(t, 24), ["Quitter sans", "enregistrer ?"]);
        for (text, w) in [
            (
                "Une étape est en cours (« sauvegarde ») : la laisser tourner ?",
                18,
            ),
            ("Lancer la phase « Sauvegarde » ? Oui ; non ! Fin : ok", 16),
            (
                "Phase « Environnement de test » — verrouillée : répétez",
                17,
            ),
        ] {
            for width in w..w + 12 {
                let lines = wrap(text, width);
                for l in &lines {
                    assert!(
                        !l.starts_with([':', ';', '?', '!', '»']),
                        "{width}: {lines:?}"
                    );
                    assert!(!l.ends_with('«'), "{width}: {lines:?}");
                    assert!(l.width() <= width.max(10), "{width}: {lines:?}");
                }
                assert_eq!(lines.join(" "), text, "{width}: nothing lost");
            }
        }
    }

    #[test]
    fn widths_are_columns_not_bytes() {
        // « é » is two bytes, one column.
        assert_eq!(wrap("étape réussie", 13), ["étape réussie"]);
        assert_eq!(wrap("étape réussie", 12), ["étape", "réussie"]);
    }

    #[test]
    fn glued_spaces_do_not_break_in_a_paragraph() {
        assert_eq!(
            glue("Quitter ? « Oui » : non"),
            "Quitter\u{a0}? «\u{a0}Oui\u{a0}»\u{a0}: non"
        );
        use ratatui::Terminal;
        use ratatui::backend::TestBackend;
        use ratatui::widgets::{Paragraph, Wrap};
        let text = "La laisser tourner ? Oui";
        for (w, glued) in [(18u16, false), (18, true)] {
            let mut t = Terminal::new(TestBackend::new(w, 4)).unwrap();
            let shown = if glued { glue(text) } else { text.to_string() };
            t.draw(|f| f.render_widget(Paragraph::new(shown).wrap(Wrap { trim: false }), f.area()))
                .unwrap();
            let buf = t.backend().buffer().clone();
            let starts_with_mark = (0..4).any(|y| buf[(0, y)].symbol() == "?");
            assert_eq!(starts_with_mark, !glued, "{buf:?}");
        }
    }
}

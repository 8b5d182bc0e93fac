//! The one dialog of the full-screen apps: the run view, the plan wizard
//! and the worksheet editor draw their questions, choices and notices with
//! it, so they look and answer alike.
//!
//! A dialog is a bordered box centred on the screen: its title, its
//! message wrapped at words, its answers as buttons, and its keys. Every
//! button is drawn `[ Label ]`; the highlighted one (the answer Enter
//! gives) is drawn `< Label >` in the selected style, so it reads without
//! colour too. A dialog opens on its default answer: No (or the answer that
//! changes nothing) for anything that changes the system or loses work;
//! Esc gives that answer too.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use crate::ui::glyphs::Glyphs;
use crate::ui::theme::Theme;
use crate::ui::wrap::{glue_lines, wrap};

/// The widest a dialog gets.
pub const MAX_W: u16 = 70;

/// What a dialog shows.
pub struct DialogView<'a> {
    pub title: &'a str,
    /// The message, line by line; each is wrapped at words to the box.
    pub body: Vec<Line<'static>>,
    /// The answers, left to right (none for a notice or a form).
    pub buttons: Vec<&'a str>,
    /// The highlighted answer, the one Enter gives.
    pub selected: usize,
    /// The keys of the dialog, on its last line.
    pub hint: String,
}

/// The buttons' line: each `[ Label ]`, the highlighted one `< Label >`.
pub fn buttons(theme: &Theme, labels: &[&str], selected: usize) -> Line<'static> {
    let mut spans = Vec::new();
    for (i, l) in labels.iter().enumerate() {
        spans.push(Span::raw("  "));
        if i == selected {
            spans.push(Span::styled(
                format!("< {l} >"),
                theme.get("dialog.selected"),
            ));
        } else {
            spans.push(Span::styled(format!("[ {l} ]"), theme.get("base")));
        }
    }
    Line::from(spans)
}

/// Key hints as one text: `key word  key word`.
pub fn hint_text<'a>(hints: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    hints
        .into_iter()
        .map(|(k, w)| format!("{k} {w}"))
        .collect::<Vec<_>>()
        .join("  ")
}

/// The lines of `body` wrapped at words to `width`: a line of one style is
/// wrapped here (French punctuation kept with its word); a line of several
/// styles (a field being typed) is left to the paragraph's wrapping.
fn wrapped(body: Vec<Line<'static>>, width: usize) -> (Vec<Line<'static>>, usize) {
    let mut out = Vec::new();
    let mut rows = 0;
    for line in body {
        let one_style = line.spans.windows(2).all(|w| w[0].style == w[1].style);
        if one_style {
            let style = line
                .spans
                .first()
                .map_or(Style::default(), |s| s.style)
                .patch(line.style);
            let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
            if text.is_empty() {
                out.push(Line::raw(""));
                rows += 1;
                continue;
            }
            // A leading indent stays, and a list item ("  - ...") goes on
            // under its text.
            let body = text.trim_start_matches(' ');
            let indent = text.len() - body.len();
            let hang = indent + if body.starts_with("- ") { 2 } else { 0 };
            if body
                .split(' ')
                .any(|w| w.width() > width.saturating_sub(hang))
            {
                // A word longer than the indented room (a path): the line
                // is left whole to the paragraph, which wraps it at words.
                rows += wrap(&text, width).len();
                out.push(Line::styled(text, style));
                continue;
            }
            for (i, part) in wrap(body, width.saturating_sub(hang))
                .into_iter()
                .enumerate()
            {
                let pad = if i == 0 { indent } else { hang };
                out.push(Line::styled(format!("{}{part}", " ".repeat(pad)), style));
                rows += 1;
            }
        } else {
            rows += line.width().max(1).div_ceil(width.max(1));
            out.push(line);
        }
    }
    (out, rows)
}

/// Draw `d` centred in `area`, over what is there.
pub fn render(f: &mut Frame, area: Rect, theme: &Theme, glyphs: &Glyphs, d: DialogView) {
    let w = area.width.saturating_sub(4).min(MAX_W);
    let inner_w = usize::from(w.saturating_sub(2)).max(1);
    let (mut lines, mut rows) = wrapped(d.body, inner_w);
    if !d.buttons.is_empty() {
        lines.push(Line::raw(""));
        lines.push(buttons(theme, &d.buttons, d.selected));
        rows += 2;
    }
    if !d.hint.is_empty() {
        let hint: Vec<String> = wrap(&d.hint, inner_w);
        rows += hint.len();
        lines.extend(hint.into_iter().map(|h| Line::styled(h, theme.get("dim"))));
    }
    let height = u16::try_from(rows + 2).unwrap_or(u16::MAX).min(area.height);
    let r = area.centered(Constraint::Length(w), Constraint::Length(height));
    f.render_widget(Clear, r);
    let b = Block::default()
        .borders(Borders::ALL)
        .border_set(glyphs.border)
        .border_style(theme.get("dialog.border"))
        .title(format!(" {} ", d.title))
        .title_style(theme.get("dialog.border"))
        .style(theme.get("base"));
    let inner = b.inner(r);
    f.render_widget(b, r);
    f.render_widget(
        Paragraph::new(glue_lines(lines)).wrap(Wrap { trim: false }),
        inner,
    );
}

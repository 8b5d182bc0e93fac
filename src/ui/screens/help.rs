//! The help screen, generated from the key maps.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::ui::App;
use crate::ui::keymap::{self, Binding};
use crate::ui::strings::s;
use crate::ui::widgets::{block, status_bar};

/// Every key map with its heading, in the order the help lists them.
pub fn sections() -> [(&'static str, &'static [Binding]); 7] {
    let h = s().help_sections;
    [
        (h[0], keymap::GLOBAL),
        (h[1], keymap::STAGES),
        (h[2], keymap::STEPS),
        (h[3], keymap::LOG),
        (h[4], keymap::DETAIL),
        (h[5], keymap::SUMMARY),
        (h[6], keymap::HELP),
    ]
}

pub fn render(app: &App, f: &mut Frame) {
    let t = s();
    let [body, bar] = f.area().layout(&Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(2),
    ]));
    let b = block(app, t.help_title.into(), true);
    let inner = b.inner(body);
    f.render_widget(b, body);
    let key = app.theme.get("help.key");
    let mut lines = Vec::new();
    for (title, map) in sections() {
        lines.push(Line::styled(title, app.theme.get("heading")));
        for bd in map {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<14}", bd.label), key),
                Span::raw((t.act)(bd.act).1),
            ]));
        }
    }
    lines.push(Line::styled(t.help_sections[7], app.theme.get("heading")));
    for h in [
        t.dialog_hint_yes_no,
        t.dialog_hint_manual,
        t.dialog_hint_failure,
        t.dialog_hint_notice,
    ] {
        lines.push(Line::raw(format!("  {h}")));
    }
    let visible: Vec<Line> = lines
        .into_iter()
        .skip(app.help_scroll)
        .take(inner.height as usize)
        .collect();
    f.render_widget(Paragraph::new(visible), inner);
    status_bar::render(app, f, bar, keymap::HELP);
}

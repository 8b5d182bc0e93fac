//! The help screen, generated from the key maps with the help widget the
//! plan wizard and the worksheet editor share ([`crate::ui::widgets::help`]).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::Line;

use crate::ui::App;
use crate::ui::keymap::{self, Binding};
use crate::ui::strings::s;
pub use crate::ui::widgets::help::{key_lines, scrolled_box};
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
    let mut lines = key_lines(
        &sections(),
        |a| (t.act)(a).1,
        app.theme.get("heading"),
        app.theme.get("help.key"),
        14,
        usize::from(body.width.saturating_sub(2)),
    );
    lines.push(Line::styled(t.help_sections[7], app.theme.get("heading")));
    for h in [
        t.dialog_hint_yes_no,
        t.dialog_hint_manual,
        t.dialog_hint_failure,
        t.dialog_hint_notice,
    ] {
        lines.push(Line::raw(format!("  {h}")));
    }
    scrolled_box(f, body, b, lines, app.help_scroll);
    status_bar::render(app, f, bar, keymap::HELP);
}

//! The help screen, generated from the key maps; its parts are shared with
//! the plan wizard and the worksheet editor, whose help lists their own
//! maps the same way.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::ui::App;
use crate::ui::keymap::{self, Binding};
use crate::ui::strings::s;
use crate::ui::widgets::{block, status_bar};
use crate::ui::wrap::wrap;

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

/// The lines of a help `width` columns wide: each key map under its
/// heading, each binding's keys (in a column `label_w` wide) and what it
/// does, wrapped at words beside the keys.
pub fn key_lines<A: Copy>(
    sections: &[(&str, &[Binding<A>])],
    describe: impl Fn(A) -> &'static str,
    heading: Style,
    key: Style,
    label_w: usize,
    width: usize,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let indent = 2 + label_w;
    for (title, map) in sections {
        lines.push(Line::styled(title.to_string(), heading));
        for bd in *map {
            let what = wrap(describe(bd.act), width.saturating_sub(indent));
            for (i, part) in what.into_iter().enumerate() {
                let head = if i == 0 {
                    Span::styled(format!("  {:<label_w$}", bd.label), key)
                } else {
                    Span::raw(" ".repeat(indent))
                };
                lines.push(Line::from(vec![head, Span::raw(part)]));
            }
        }
    }
    lines
}

/// Draw `lines` in `block` over `area` (cleared first), from line `scroll`.
pub fn scrolled_box(f: &mut Frame, area: Rect, block: Block, lines: Vec<Line>, scroll: usize) {
    f.render_widget(Clear, area);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let visible: Vec<Line> = lines
        .into_iter()
        .skip(scroll)
        .take(inner.height as usize)
        .collect();
    f.render_widget(Paragraph::new(visible), inner);
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

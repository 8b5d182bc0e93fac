//! The list of keys of every full-screen app, generated from its key maps:
//! each map under its heading, each binding's keys and what it does,
//! wrapped at words beside the keys, in a bordered box that scrolls. The
//! run view, the wizard and the worksheet editor draw their help with it,
//! and close it the same way (q, Esc or ?), never quitting the program.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::ui::keymap::Binding;
use crate::ui::wrap::wrap;

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

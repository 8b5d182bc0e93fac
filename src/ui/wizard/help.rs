//! The wizard's list of keys, generated from its key maps with the help
//! parts of the main view (`ui::screens::help`).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::keys::sections;
use super::state::Wizard;
use crate::ui::glyphs::Glyphs;
use crate::ui::strings::w;
use crate::ui::widgets::frame;
use crate::ui::widgets::help::{key_lines, scrolled_box};

fn lines(wz: &Wizard, width: usize) -> Vec<Line<'static>> {
    let t = w();
    let maps: Vec<(&str, &[super::keys::Binding])> =
        t.help_sections.iter().copied().zip(sections()).collect();
    key_lines(
        &maps,
        t.act_help,
        wz.theme.get("heading"),
        wz.theme.get("help.key"),
        14,
        width,
    )
}

/// How many lines the help has at most (its scroll stops there).
pub fn lines_count() -> usize {
    sections().iter().map(|m| 2 * m.len() + 1).sum()
}

pub fn render(wz: &Wizard, f: &mut Frame, area: Rect, scroll: usize) {
    let block = frame(
        &wz.theme,
        &Glyphs::new(wz.ascii),
        w().help_title.to_string(),
        true,
    );
    let width = usize::from(area.width.saturating_sub(2));
    scrolled_box(f, area, block, lines(wz, width), scroll);
}

//! Pieces the screens share.

pub mod log_view;
pub mod stages;
pub mod status_bar;
pub mod steps;

use ratatui::widgets::{Block, Borders};

use super::App;

/// A bordered block in the theme, with the focused style when `focused`.
pub fn block<'a>(app: &App, title: String, focused: bool) -> Block<'a> {
    let key = if focused {
        "border.focused"
    } else {
        "border.normal"
    };
    Block::default()
        .borders(Borders::ALL)
        .border_set(app.glyphs.border)
        .border_style(app.theme.get(key))
        .title(title)
        .title_style(
            app.theme
                .get(if focused { "border.focused" } else { "title" }),
        )
}

/// True when the screens lay out whole stage titles and put the
/// environment and the run id first in the status bar. French needs it:
/// its titles are longer than a stage box at 80 and 120 columns (« Test de
/// mise à jour »). English keeps its boxes and its bar as they are.
pub fn whole_titles() -> bool {
    crate::model::lang::current() == crate::model::lang::Lang::Fr
}

/// Cut `text` to at most `width` characters.
pub fn clip(text: &str, width: usize) -> String {
    text.chars().take(width).collect()
}

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

/// Cut `text` to at most `width` characters.
pub fn clip(text: &str, width: usize) -> String {
    text.chars().take(width).collect()
}

//! Pieces the screens share.

pub mod dialog;
pub mod help;
pub mod log_view;
pub mod stages;
pub mod status_bar;
pub mod steps;

use ratatui::widgets::{Block, Borders};

use super::App;
use super::glyphs::Glyphs;
use super::theme::Theme;

/// A bordered block in the theme and glyphs of any screen, with the
/// focused style when `focused`.
pub fn frame<'a>(theme: &Theme, glyphs: &Glyphs, title: String, focused: bool) -> Block<'a> {
    let key = if focused {
        "border.focused"
    } else {
        "border.normal"
    };
    Block::default()
        .borders(Borders::ALL)
        .border_set(glyphs.border)
        .border_style(theme.get(key))
        .title(title)
        .title_style(theme.get(if focused { "border.focused" } else { "title" }))
}

/// A bordered block of the run view (see [`frame`]).
pub fn block<'a>(app: &App, title: String, focused: bool) -> Block<'a> {
    frame(&app.theme, &app.glyphs, title, focused)
}

/// Cut `text` to at most `width` characters.
pub fn clip(text: &str, width: usize) -> String {
    text.chars().take(width).collect()
}

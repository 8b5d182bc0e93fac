//! The full-screen apps: the run view (a view of the run: events in,
//! commands out), the plan wizard ([`wizard`]) and the worksheet editor
//! ([`topology`]). Each is TEA: `Msg` -> `update` -> pure `render`, and
//! each is a [`screen::Screen`] of the one loop ([`screen::run`]), which
//! owns the terminal ([`terminal`]: set-up, restore, input, hang-up watch).
//! Their keys are tables of the one [`keymap::Binding`] type.

pub mod app;
/// The test fixture: the unit tests, and the benchmarks (feature `fixture`).
#[cfg(any(test, feature = "fixture"))]
#[doc(hidden)]
pub mod fixture;
#[cfg(any(test, feature = "fixture"))]
#[doc(hidden)]
pub mod fixture_production;
pub mod glyphs;
pub mod keymap;
pub mod logbuf;
pub mod production;
pub mod run_view;
pub mod screen;
pub mod screens;
pub mod strings;
pub mod terminal;
pub mod theme;
pub mod topology;
pub mod update;
mod update_dialog;
pub mod widgets;
pub mod wizard;
pub mod wrap;

use ratatui::Frame;

pub use app::App;
pub use run_view::run_tui;
pub use theme::Theme;

/// The smallest usable window.
pub const MIN_W: u16 = 80;
pub const MIN_H: u16 = 24;

/// How the interface looks.
#[derive(Debug, Clone)]
pub struct UiOptions {
    pub theme: Theme,
    /// Replace every line-drawing and symbol glyph with ASCII.
    pub ascii: bool,
    /// Stage ids the rehearsal gate keeps closed.
    pub locked: std::collections::BTreeSet<String>,
    /// What the gate says about production.
    pub production: production::ProductionInfo,
}

impl UiOptions {
    /// From `--theme NAME|PATH`, `--ascii` and the `NO_COLOR` variable.
    pub fn from_cli(theme: Option<&str>, ascii: bool) -> anyhow::Result<Self> {
        Ok(UiOptions {
            theme: Theme::resolve(theme, std::env::var_os("NO_COLOR").as_deref())?,
            ascii,
            locked: Default::default(),
            production: Default::default(),
        })
    }
}

/// How the interface ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UiExit {
    /// The user quit; nothing was running.
    Quit,
    /// The user quit while a step ran and agreed to cancel it.
    QuitCancelled,
    /// The terminal went away (hang-up, closed SSH session, unreadable
    /// input, failed write). The engine may keep running.
    TerminalLost,
    /// The operator asked for the multiserver worksheet editor.
    Topology,
    /// The operator left the view; the engine goes on in the background.
    Detach,
}

/// Draw the whole screen from the view model. Reads `app`, never changes it.
pub fn render(app: &App, f: &mut Frame) {
    let area = f.area();
    if area.width < MIN_W || area.height < MIN_H {
        return screens::small::render(app, f);
    }
    match app.screen {
        app::Screen::Main => screens::main::render(app, f),
        app::Screen::Detail => screens::detail::render(app, f),
        app::Screen::Help => screens::help::render(app, f),
        app::Screen::Summary => screens::summary::render(app, f),
    }
    if let Some(d) = &app.dialog {
        screens::dialogs::render(app, d, f);
    }
}

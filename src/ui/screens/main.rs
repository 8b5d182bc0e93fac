//! The main screen: stages side by side, the steps of the selected stage,
//! the live log, the status bar.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};

use crate::ui::App;
use crate::ui::app::Pane;
use crate::ui::keymap;
use crate::ui::widgets::{log_view, stages, status_bar, steps};

pub struct Areas {
    pub stages: Rect,
    pub steps: Rect,
    pub log: Rect,
    pub status: Rect,
}

pub fn areas(area: Rect) -> Areas {
    let [stages, middle, status] = area.layout(&Layout::vertical([
        Constraint::Length(4),
        Constraint::Fill(1),
        Constraint::Length(2),
    ]));
    let [steps, log] = middle.layout(&Layout::horizontal([
        Constraint::Percentage(40),
        Constraint::Percentage(60),
    ]));
    Areas {
        stages,
        steps,
        log,
        status,
    }
}

/// Lines of text inside the log pane for a terminal of `size`.
pub fn log_height(size: (u16, u16)) -> usize {
    let a = areas(Rect::new(0, 0, size.0, size.1));
    a.log.height.saturating_sub(2) as usize
}

pub fn render(app: &App, f: &mut Frame) {
    let a = areas(f.area());
    stages::render(app, f, a.stages);
    steps::render(app, f, a.steps);
    log_view::render(app, f, a.log);
    let map = match app.focus {
        Pane::Stages => keymap::STAGES,
        Pane::Steps => keymap::STEPS,
        Pane::Log => keymap::LOG,
    };
    status_bar::render(app, f, a.status, map);
}

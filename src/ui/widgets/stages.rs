//! The row of stage boxes, each with its status.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{block, clip};
use crate::ui::App;
use crate::ui::app::{Pane, StageStatus};
use crate::ui::strings::s;

pub fn status_word(st: StageStatus) -> (&'static str, &'static str) {
    let t = s();
    match st {
        StageStatus::NotRun => (t.stage_not_run, "stage.not-run"),
        StageStatus::Running => (t.stage_running, "stage.running"),
        StageStatus::Passed => (t.stage_passed, "stage.passed"),
        StageStatus::Failed => (t.stage_failed, "stage.failed"),
        StageStatus::Skipped => (t.stage_skipped, "stage.skipped"),
        StageStatus::Locked => (t.stage_locked, "stage.locked"),
    }
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    if app.stages.is_empty() {
        f.render_widget(
            block(app, s().pane_stages.into(), app.focus == Pane::Stages),
            area,
        );
        return;
    }
    let boxes = area.layout_vec(&Layout::horizontal(
        app.stages.iter().map(|_| Constraint::Fill(1)),
    ));
    for (i, (stage, r)) in app.stages.iter().zip(boxes).enumerate() {
        let selected = i == app.stage_sel;
        let b = block(app, String::new(), selected && app.focus == Pane::Stages);
        let inner = b.inner(r);
        f.render_widget(b, r);
        let w = inner.width as usize;
        let st = app.stage_status(stage);
        let (mut word, key) = status_word(st);
        if word.chars().count() + usize::from(st == StageStatus::Running) > w {
            word = s().stage_short[st as usize];
        }
        let mut status = Vec::new();
        if st == StageStatus::Running {
            status.push(Span::styled(
                app.glyphs.busy[app.blink as usize],
                app.theme.get(key),
            ));
        }
        status.push(Span::styled(
            clip(word, w.saturating_sub(status.len())),
            app.theme.get(key),
        ));
        let title_style = if selected {
            app.theme.get("stage.selected")
        } else {
            app.theme.get("title")
        };
        let lines = vec![
            Line::from(Span::styled(clip(&stage.title, w), title_style)),
            Line::from(status),
        ];
        f.render_widget(Paragraph::new(lines), inner);
    }
}

//! The steps of the selected stage: mark, title, duration, one-line result.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{block, clip};
use crate::engine::StepStatus;
use crate::ui::App;
use crate::ui::app::Pane;
use crate::ui::strings::{duration, fill, s};

pub fn style_key(st: StepStatus) -> &'static str {
    match st {
        StepStatus::Pending => "step.pending",
        StepStatus::Running | StepStatus::WaitingOperator => "step.running",
        StepStatus::Passed => "step.passed",
        StepStatus::Failed | StepStatus::Cancelled | StepStatus::Interrupted => "step.failed",
        StepStatus::Skipped => "step.skipped",
    }
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let Some(stage) = app.stage() else {
        f.render_widget(block(app, s().pane_steps.into(), false), area);
        return;
    };
    let focused = app.focus == Pane::Steps;
    let b = block(app, fill(s().pane_steps, &[&stage.title]), focused);
    let inner = b.inner(area);
    f.render_widget(b, area);
    if stage.steps.is_empty() {
        f.render_widget(
            Paragraph::new(s().no_steps).style(app.theme.get("dim")),
            inner,
        );
        return;
    }
    let w = inner.width as usize;
    let per_page = (inner.height as usize / 2).max(1);
    let first = app.step_sel.saturating_sub(per_page - 1);
    let mut lines = Vec::new();
    for (i, step) in stage.steps.iter().enumerate().skip(first).take(per_page) {
        let state = app.step_state(&stage.id, &step.id);
        let status = state.map(|s| s.status).unwrap_or(StepStatus::Pending);
        let dur = match (status, state) {
            (StepStatus::Running | StepStatus::WaitingOperator, Some(st)) => st
                .started_at
                .map(|t| duration(app.now_ms.saturating_sub(t)))
                .unwrap_or_default(),
            (_, Some(st)) => st.duration_ms.map(duration).unwrap_or_default(),
            _ => String::new(),
        };
        let mark = app.glyphs.step(status);
        let room = w.saturating_sub(mark.len() + 2 + dur.len());
        let title = clip(&step.title, room);
        let pad = " ".repeat(room - title.chars().count() + 1);
        let sel = i == app.step_sel;
        let title_style = if sel {
            app.theme.get("step.selected")
        } else {
            app.theme.get("base")
        };
        lines.push(Line::from(vec![
            Span::styled(mark, app.theme.get(style_key(status))),
            Span::raw(" "),
            Span::styled(title, title_style),
            Span::raw(pad),
            Span::styled(dur, app.theme.get("dim")),
        ]));
        let result = match (status, state) {
            (StepStatus::WaitingOperator, _) => s().step_waiting.to_string(),
            (_, Some(st)) if !st.message.is_empty() => st.message.clone(),
            (_, Some(st)) => match &st.progress {
                Some((done, Some(total), unit)) => format!("{done}/{total} {unit}"),
                Some((done, None, unit)) => format!("{done} {unit}"),
                None => String::new(),
            },
            _ => String::new(),
        };
        let key = if status == StepStatus::Failed {
            "step.failed"
        } else {
            "dim"
        };
        lines.push(Line::from(Span::styled(
            clip(&format!("    {result}"), w),
            app.theme.get(key),
        )));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

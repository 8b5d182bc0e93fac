//! Step detail: what the step does, what it measured, notes, its whole log.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::ui::App;
use crate::ui::keymap;
use crate::ui::strings::{duration, fill, s};
use crate::ui::widgets::{block, clip, log_view, status_bar};

pub fn render(app: &App, f: &mut Frame) {
    let t = s();
    let Some(d) = &app.detail else { return };
    let step = app
        .stages
        .iter()
        .find(|st| st.id == d.step.stage)
        .and_then(|st| st.steps.iter().find(|p| p.id == d.step.step));
    let state = app.state.step(&d.step);
    let [top, log, bar] = f.area().layout(&Layout::vertical([
        Constraint::Percentage(45),
        Constraint::Fill(1),
        Constraint::Length(2),
    ]));
    let b = block(app, fill(t.detail_title, &[&d.step]), false);
    let inner = b.inner(top);
    f.render_widget(b, top);
    let w = inner.width as usize;
    let h = app.theme.get("heading");
    let mut lines = Vec::new();
    if let Some(step) = step {
        lines.push(Line::styled(clip(&step.title, w), app.theme.get("title")));
        lines.push(Line::raw(clip(
            &fill(
                t.detail_flags,
                &[
                    &step.action.kind(),
                    &if step.required {
                        t.flag_required
                    } else {
                        t.flag_optional
                    },
                    &if step.changes {
                        t.flag_changes
                    } else {
                        t.flag_read_only
                    },
                ],
            ),
            w,
        )));
    }
    if let Some(st) = state {
        let status = if st.status == crate::engine::StepStatus::Pending {
            t.step_pending
        } else {
            step_word(st.status)
        };
        let dur = match (st.duration_ms, st.started_at) {
            (Some(d), _) => duration(d),
            (None, Some(t0)) => duration(app.now_ms.saturating_sub(t0)),
            _ => "-".into(),
        };
        lines.push(Line::raw(clip(
            &fill(t.detail_status, &[&status, &st.attempts, &dur, &st.message]),
            w,
        )));
    }
    lines.push(Line::styled(t.detail_does, h));
    for l in step.map(|p| p.action.describe()).unwrap_or_default() {
        lines.push(Line::raw(clip(&format!("  {l}"), w)));
    }
    let section = |lines: &mut Vec<Line>, title: &'static str, items: &[String]| {
        lines.push(Line::styled(title, h));
        if items.is_empty() {
            lines.push(Line::styled(format!("  {}", t.none), app.theme.get("dim")));
        }
        for m in items {
            lines.push(Line::raw(clip(&format!("  {m}"), w)));
        }
    };
    let measured = state.map(|s| s.measured.clone()).unwrap_or_default();
    let notes = state.map(|s| s.notes.clone()).unwrap_or_default();
    section(&mut lines, t.detail_measured, &measured);
    section(&mut lines, t.detail_notes, &notes);
    f.render_widget(Paragraph::new(lines), inner);

    let path = app.log_path(&d.step);
    let b = block(
        app,
        clip(
            &fill(t.detail_log, &[&path.display()]),
            log.width as usize - 2,
        ),
        true,
    );
    let inner = b.inner(log);
    f.render_widget(b, log);
    let lw = inner.width as usize;
    let lines: Vec<Line> = if d.log.is_empty() {
        vec![Line::from(Span::styled(t.log_empty, app.theme.get("dim")))]
    } else {
        // Long lines wrap: every character of the log can be read here.
        let mut rows = Vec::new();
        for l in d.log.iter().skip(d.scroll) {
            for piece in wrap_chars(&l.text, lw.max(1)) {
                let part = crate::ui::logbuf::LogLine {
                    stream: l.stream,
                    text: piece,
                };
                let line = log_view::styled(app, &part, d.query.as_deref(), lw);
                rows.push(Line::from(
                    line.spans
                        .into_iter()
                        .map(|sp| Span::styled(sp.content.into_owned(), sp.style))
                        .collect::<Vec<_>>(),
                ));
                if rows.len() >= inner.height as usize {
                    break;
                }
            }
            if rows.len() >= inner.height as usize {
                break;
            }
        }
        rows
    };
    f.render_widget(Paragraph::new(lines), inner);
    status_bar::render(app, f, bar, keymap::DETAIL);
}

/// A line cut into pieces of at most `width` characters.
fn wrap_chars(text: &str, width: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() {
        return vec![String::new()];
    }
    chars.chunks(width).map(|c| c.iter().collect()).collect()
}

/// A step's status in the reader's words.
pub fn step_word(st: crate::engine::StepStatus) -> &'static str {
    use crate::engine::StepStatus::*;
    let i = match st {
        Pending => 0,
        Running => 1,
        WaitingOperator => 2,
        Passed => 3,
        Failed => 4,
        Skipped => 5,
        Cancelled => 6,
        Interrupted => 7,
    };
    s().step_words[i]
}

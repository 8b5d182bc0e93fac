//! The run summary: what ran, how long, what failed, where the logs are.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::engine::StepStatus;
use crate::engine::event::RunOutcome;
use crate::ui::App;
use crate::ui::keymap;
use crate::ui::strings::{duration, fill, s};
use crate::ui::widgets::{block, clip, status_bar, steps::style_key};

fn outcome(o: Option<RunOutcome>) -> &'static str {
    match o {
        None => s().summary_unfinished,
        Some(RunOutcome::Passed) => s().stage_passed,
        Some(RunOutcome::Failed) => s().stage_failed,
        Some(RunOutcome::Waiting) => s().step_waiting,
        Some(RunOutcome::Aborted) => s().run_aborted,
        Some(RunOutcome::Interrupted) => s().run_interrupted,
    }
}

pub fn render(app: &App, f: &mut Frame) {
    let t = s();
    let [body, bar] = f.area().layout(&Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(2),
    ]));
    let b = block(app, t.summary_title.into(), true);
    let inner = b.inner(body);
    f.render_widget(b, body);
    let w = inner.width as usize;
    let st = &app.state;
    let mut lines = vec![Line::styled(
        clip(
            &fill(
                t.summary_outcome,
                &[&st.run_id, &st.env, &outcome(st.finished)],
            ),
            w,
        ),
        app.theme.get("title"),
    )];
    let total: u64 = st.chosen_steps().filter_map(|s| s.duration_ms).sum();
    lines.push(Line::raw(fill(t.summary_total, &[&duration(total)])));
    lines.push(Line::raw(clip(
        &fill(t.summary_logs, &[&app.run_dir.display()]),
        w,
    )));
    if let Some(fp) = &st.fingerprint {
        lines.push(Line::raw(clip(&fill(t.summary_fingerprint, &[fp]), w)));
    }
    for (reason, by) in &st.overrides {
        let who = format!("{}@{}", by.user, by.host);
        lines.push(Line::styled(
            clip(&fill(t.summary_override, &[&who, reason]), w),
            app.theme.get("step.failed"),
        ));
    }
    // The same estimate as the rehearsal report (`dress report`).
    if let Some(est) = crate::report::maintenance_window(st) {
        let text = fill(
            t.summary_window,
            &[
                &duration(est.automatic_ms),
                &crate::ui::strings::count(est.manual_steps.len(), t.manual_steps),
            ],
        );
        lines.push(Line::raw(clip(&text, w)));
    }
    lines.push(Line::raw(""));
    // The durations' column: 10 wide, wider for longer French durations.
    let dw = st
        .chosen_steps()
        .filter_map(|s| s.duration_ms.map(|d| duration(d).chars().count()))
        .max()
        .unwrap_or(0)
        .max(10);
    let room = w.saturating_sub(6 + dw);
    for step in st
        .chosen_steps()
        .filter(|s| s.status != StepStatus::Pending)
    {
        let dur = step.duration_ms.map(duration).unwrap_or_default();
        let name = clip(
            &format!("{} {}", step.planned.step, step.planned.title),
            room,
        );
        lines.push(Line::from(vec![
            Span::styled(
                app.glyphs.step(step.status),
                app.theme.get(style_key(step.status)),
            ),
            Span::raw(format!(" {name:<room$} {dur:>dw$}")),
        ]));
    }
    let failed: Vec<_> = st
        .chosen_steps()
        .filter(|s| matches!(s.status, StepStatus::Failed | StepStatus::Interrupted))
        .collect();
    if !failed.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(t.summary_failed, app.theme.get("heading")));
        for s in failed {
            lines.push(Line::styled(
                clip(
                    &format!("  {}", fill(t.label_value, &[&s.planned.step, &s.message])),
                    w,
                ),
                app.theme.get("step.failed"),
            ));
            let p = app.log_path(&s.planned.step);
            lines.push(Line::styled(
                clip(&format!("    {}", p.display()), w),
                app.theme.get("dim"),
            ));
        }
    }
    let notes: Vec<String> = st
        .chosen_steps()
        .flat_map(|s| {
            s.notes
                .iter()
                .map(move |n| format!("  {}", fill(t.label_value, &[&s.planned.step, &n])))
        })
        .collect();
    if !notes.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(t.summary_notes, app.theme.get("heading")));
        lines.extend(notes.into_iter().map(|n| Line::raw(clip(&n, w))));
    }
    let visible: Vec<Line> = lines
        .into_iter()
        .skip(app.summary_scroll)
        .take(inner.height as usize)
        .collect();
    f.render_widget(Paragraph::new(visible), inner);
    status_bar::render(app, f, bar, keymap::SUMMARY);
}

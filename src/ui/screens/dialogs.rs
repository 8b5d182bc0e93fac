//! The run view's dialogs, drawn with the one dialog widget of the
//! full-screen apps ([`crate::ui::widgets::dialog`]): confirmation (default
//! No), a choice (default: the answer that changes nothing), manual step,
//! guided failure, notice.

use ratatui::Frame;
use ratatui::text::{Line, Span};

use crate::engine::event::Choice;
use crate::ui::App;
use crate::ui::app::{Ask, Dialog, Pick};
use crate::ui::strings::{fill, s};
use crate::ui::update::choices;
use crate::ui::widgets::dialog::{self, DialogView};

fn step_title(app: &App, r: &crate::engine::StepRef) -> String {
    app.state
        .step(r)
        .map(|s| s.planned.title.clone())
        .unwrap_or_else(|| r.to_string())
}

pub fn render(app: &App, d: &Dialog, f: &mut Frame) {
    let t = s();
    let mut lines: Vec<Line<'static>> = Vec::new();
    let title;
    let mut labels: Vec<&str> = Vec::new();
    let mut selected = 0;
    let hint;
    match d {
        Dialog::Choose { ask, picks, sel } => {
            title = t.confirm_title;
            let q = match ask {
                Ask::RunStage(id) => {
                    let name = app
                        .stages
                        .iter()
                        .find(|s| &s.id == id)
                        .map(|s| s.title.clone())
                        .unwrap_or_else(|| id.clone());
                    fill(t.confirm_again_stage, &[&name])
                }
                Ask::RunStep(r) => fill(t.confirm_again_step, &[&step_title(app, r)]),
                Ask::Quit | Ask::Cancel => {
                    let cur = app
                        .running()
                        .map(|s| s.planned.title.clone())
                        .unwrap_or_default();
                    fill(t.confirm_quit, &[&cur])
                }
            };
            lines.push(Line::raw(q));
            let help = if picks.contains(&Pick::Leave) {
                fill(t.pick_help_leave, &[&app.state.run_id])
            } else {
                t.pick_help_again.to_string()
            };
            lines.push(Line::styled(help, app.theme.get("dim")));
            labels = picks
                .iter()
                .map(|p| match p {
                    Pick::Leave => t.pick_leave,
                    Pick::CancelAndQuit => t.pick_cancel_quit,
                    Pick::Stay => t.pick_stay,
                    Pick::Recheck => t.pick_recheck,
                    Pick::Redo => t.pick_redo,
                    Pick::Nothing => t.pick_nothing,
                })
                .collect();
            selected = *sel;
            hint = t.dialog_hint_choose;
        }
        Dialog::Confirm { ask, yes } => {
            title = t.confirm_title;
            let (q, changes): (String, Vec<String>) = match ask {
                Ask::RunStage(id) => {
                    let st = app.stages.iter().find(|s| &s.id == id);
                    let changing = st
                        .map(|s| {
                            s.steps
                                .iter()
                                .filter(|p| p.changes)
                                .map(|p| p.title.clone())
                                .collect()
                        })
                        .unwrap_or_default();
                    let name = st.map(|s| s.title.clone()).unwrap_or_else(|| id.clone());
                    (fill(t.confirm_run_stage, &[&name]), changing)
                }
                Ask::RunStep(r) => (
                    fill(t.confirm_run_step, &[&step_title(app, r)]),
                    vec![step_title(app, r)],
                ),
                Ask::Cancel | Ask::Quit => {
                    let cur = app
                        .running()
                        .map(|s| s.planned.title.clone())
                        .unwrap_or_default();
                    let tpl = if *ask == Ask::Cancel {
                        t.confirm_cancel
                    } else {
                        t.confirm_quit
                    };
                    (fill(tpl, &[&cur]), Vec::new())
                }
            };
            lines.push(Line::raw(q));
            // Name what changes the system, so "yes" is given knowingly.
            if !changes.is_empty() {
                let head = if changes.len() == 1 {
                    t.confirm_changes_one.to_string()
                } else {
                    fill(t.confirm_changes, &[&changes.len()])
                };
                lines.push(Line::styled(head, app.theme.get("dialog.warning")));
                for c in &changes {
                    lines.push(Line::raw(format!("  - {c}")));
                }
            }
            labels = vec![t.no, t.yes];
            selected = usize::from(*yes);
            hint = t.dialog_hint_yes_no;
        }
        Dialog::Manual {
            step,
            prompt,
            done,
            note,
            on_note,
            warn,
        } => {
            title = t.manual_title;
            lines.push(Line::styled(step_title(app, step), app.theme.get("title")));
            lines.push(Line::raw(prompt.clone()));
            lines.push(Line::raw(""));
            let tick = if *done { "[x]" } else { "[ ]" };
            let focus = |f: bool| {
                if f {
                    app.theme.get("dialog.selected")
                } else {
                    app.theme.get("base")
                }
            };
            lines.push(Line::from(Span::styled(
                format!("{tick} {}", t.manual_tick),
                focus(!on_note),
            )));
            lines.push(Line::from(vec![
                Span::raw(t.manual_note),
                Span::styled(format!("{}_", note.value()), focus(*on_note)),
            ]));
            if *warn {
                lines.push(Line::styled(
                    t.manual_need_tick,
                    app.theme.get("dialog.warning"),
                ));
            }
            hint = t.dialog_hint_manual;
        }
        Dialog::Failure {
            step,
            message,
            required,
            sel,
        } => {
            title = t.failure_title;
            lines.push(Line::styled(
                fill(t.failure_text, &[&step_title(app, step), message]),
                app.theme.get("dialog.warning"),
            ));
            if *required {
                lines.push(Line::raw(t.failure_required));
            }
            labels = choices(*required)
                .into_iter()
                .map(|c| match c {
                    Choice::Retry => t.choice_retry,
                    Choice::Skip => t.choice_skip,
                    Choice::Abort => t.choice_abort,
                })
                .collect();
            selected = *sel;
            hint = if *required {
                t.dialog_hint_failure_required
            } else {
                t.dialog_hint_failure
            };
        }
        Dialog::ConfirmProduction(c) => {
            let (pt, l) = crate::ui::production::lines(app, c);
            title = pt;
            lines = l;
            hint = t.dialog_hint_production;
        }
        Dialog::Notice(text) => {
            title = t.notice_title;
            lines.push(Line::raw(text.clone()));
            hint = t.dialog_hint_notice;
        }
    }
    dialog::render(
        f,
        f.area(),
        &app.theme,
        &app.glyphs,
        DialogView {
            title,
            body: lines,
            buttons: labels,
            selected,
            hint: hint.to_string(),
        },
    );
}

//! Messages and `update`: the only place the view model changes. Commands
//! for the engine come out of it; nothing here draws.

use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyEventKind};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::UiExit;
use super::app::{App, Ask, DetailView, Dialog, Pane, Pick, Screen};
use super::keymap::{self, Act};
use super::logbuf::LogLine;
use super::strings::{fill, s};
pub use super::update_dialog::choices;
use super::update_dialog::dialog_key;
use crate::engine::command::Command;
use crate::engine::ctx::parse_log_line;
use crate::engine::event::{Event, Millis, Outcome};

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Resize(u16, u16),
    Engine(Event),
    /// The view missed this many events.
    Lagged(u64),
    EngineClosed,
    /// Once a second while a step runs.
    Tick(Millis),
}

/// What an update asks of the loop.
#[derive(Debug, Default, PartialEq)]
pub struct Out {
    pub commands: Vec<Command>,
    pub exit: Option<UiExit>,
    pub redraw: bool,
}

pub fn update(app: &mut App, msg: Msg) -> Out {
    let mut out = Out {
        redraw: true,
        ..Default::default()
    };
    match msg {
        Msg::Key(k) if k.kind != KeyEventKind::Press => out.redraw = false,
        Msg::Key(k) => key(app, k, &mut out),
        Msg::Resize(w, h) => app.size = (w, h),
        Msg::Engine(e) => engine(app, e),
        Msg::Lagged(n) => {
            reload_log(app);
            notice(app, fill(s().notice_lagged, &[&n]));
        }
        Msg::EngineClosed => notice(app, s().notice_engine_gone.to_string()),
        Msg::Tick(now) => {
            app.now_ms = now;
            app.blink = !app.blink;
        }
    }
    if app.screen == Screen::Main {
        let h = app.log_height();
        if let Some(step) = app.log.step.clone() {
            let path = app.log_path(&step);
            app.log.ensure_loaded(h, &path);
        }
    }
    out
}

fn notice(app: &mut App, text: String) {
    if app.dialog.is_none() {
        app.dialog = Some(Dialog::Notice(text));
    }
}

fn reload_log(app: &mut App) {
    if let Some(step) = app.log.step.clone() {
        let path = app.log_path(&step);
        app.log.follow_step(step, &path);
    }
}

fn engine(app: &mut App, e: Event) {
    app.state.apply(&e);
    match e {
        Event::Log { step, stream, line } => {
            let path = app.log_path(&step);
            if app.log.step.as_ref() == Some(&step) {
                app.log.live(stream, &line, &path);
            } else if !app.log_pinned {
                app.log.follow_step(step, &path);
            }
        }
        Event::StepStarted { step, at, .. } => {
            app.now_ms = app.now_ms.max(at);
            // The view follows the run unless the operator chose a step.
            if !app.log_pinned {
                if app.log.step.as_ref() != Some(&step) {
                    let path = app.log_path(&step);
                    app.log.follow_step(step.clone(), &path);
                }
                if app.screen == Screen::Main {
                    app.select(&step);
                }
            }
        }
        Event::ManualWait { step, prompt } => {
            app.manual_prompt = Some((step.clone(), prompt.clone()));
            app.dialog = Some(Dialog::Manual {
                step,
                prompt,
                done: false,
                note: Input::default(),
                on_note: false,
                warn: false,
            });
        }
        Event::StepFinished {
            step,
            outcome: Outcome::Failed,
            message,
            at,
            ..
        } => {
            app.now_ms = app.now_ms.max(at);
            let required = app.state.step(&step).is_some_and(|s| s.planned.required);
            app.dialog = Some(Dialog::Failure {
                step,
                message,
                required,
                sel: 0,
            });
        }
        Event::Decision { step, .. } => {
            if matches!(&app.dialog, Some(Dialog::Failure { step: s, .. }) if *s == step) {
                app.dialog = None;
            }
        }
        Event::ManualConfirmed { step, .. } | Event::StepFinished { step, .. } => {
            if matches!(&app.dialog, Some(Dialog::Manual { step: s, .. }) if *s == step) {
                app.dialog = None;
            }
        }
        Event::RunFinished { at, .. } => {
            app.now_ms = app.now_ms.max(at);
            if app.dialog.is_none() {
                app.screen = Screen::Summary;
            }
        }
        _ => {}
    }
}

fn key(app: &mut App, k: KeyEvent, out: &mut Out) {
    if app.size.0 < super::MIN_W || app.size.1 < super::MIN_H {
        if keymap::lookup(keymap::GLOBAL, &k) == Some(Act::Quit) {
            quit(app, out);
        }
        return;
    }
    if app.dialog.is_some() {
        return dialog_key(app, k, out);
    }
    if let Some(input) = app.search.as_mut() {
        match k.code {
            KeyCode::Enter => {
                let q = input.value().to_string();
                app.search = None;
                if app.screen == Screen::Detail {
                    if let Some(d) = app.detail.as_mut() {
                        d.query = (!q.is_empty()).then_some(q);
                        d.current = None;
                        d.jump(true);
                    }
                } else {
                    let h = app.log_height();
                    app.log.set_query(q, h);
                }
            }
            KeyCode::Esc => app.search = None,
            _ => {
                input.handle_event(&TermEvent::Key(k));
            }
        }
        return;
    }
    let map = match (app.screen, app.focus) {
        (Screen::Main, Pane::Stages) => keymap::STAGES,
        (Screen::Main, Pane::Steps) => keymap::STEPS,
        (Screen::Main, Pane::Log) => keymap::LOG,
        (Screen::Detail, _) => keymap::DETAIL,
        (Screen::Help, _) => keymap::HELP,
        (Screen::Summary, _) => keymap::SUMMARY,
    };
    let Some(act) = keymap::lookup_with_global(map, &k) else {
        out.redraw = false;
        return;
    };
    act_on(app, act, out);
}

fn act_on(app: &mut App, act: Act, out: &mut Out) {
    let page = app.page_height();
    let lh = app.log_height();
    match (app.screen, act) {
        // The help closes with q, ? or Esc, and never quits the program.
        (Screen::Help, Act::Quit | Act::Help | Act::Back) => app.screen = Screen::Main,
        (_, Act::Quit) => quit(app, out),
        (_, Act::Help) => {
            app.help_scroll = 0;
            app.screen = Screen::Help;
        }
        (_, Act::Summary) => app.screen = Screen::Summary,
        // The worksheet editor takes the whole terminal: the view leaves and
        // comes back to the run afterwards (the engine goes on meanwhile).
        (_, Act::Topology) => out.exit = Some(UiExit::Topology),
        (_, Act::Detach) => out.exit = Some(UiExit::Detach),
        (_, Act::Back) => app.screen = Screen::Main,
        (_, Act::CancelStep) => {
            if app.running().is_some() {
                app.dialog = Some(Dialog::Confirm {
                    ask: Ask::Cancel,
                    yes: false,
                });
            }
        }
        (_, Act::Manual) => {
            if let Some(cur) = app.running()
                && cur.status == crate::engine::StepStatus::WaitingOperator
            {
                let step = cur.planned.step.clone();
                let prompt = match &app.manual_prompt {
                    Some((s, p)) if *s == step => p.clone(),
                    _ => cur.planned.title.clone(),
                };
                app.dialog = Some(Dialog::Manual {
                    step,
                    prompt,
                    done: false,
                    note: Input::default(),
                    on_note: false,
                    warn: false,
                });
            }
        }
        (_, Act::RunStep) => {
            let step = match (&app.screen, &app.detail) {
                (Screen::Detail, Some(d)) => Some(d.step.clone()),
                _ => app.step_ref(),
            };
            if let Some(step) = step {
                ask_run(app, Ask::RunStep(step), out);
            }
        }
        (Screen::Main, a) => main_act(app, a, out, lh),
        (Screen::Detail, Act::Search) => app.search = Some(Input::default()),
        (Screen::Detail, a @ (Act::NextMatch | Act::PrevMatch)) => {
            if let Some(d) = app.detail.as_mut() {
                d.jump(a == Act::NextMatch);
            }
        }
        (Screen::Detail, a) => {
            if let Some(d) = app.detail.as_mut() {
                let max = d.log.len().saturating_sub(1);
                d.scroll = scroll(d.scroll, a, page, max);
            }
        }
        (Screen::Help, a) => app.help_scroll = scroll(app.help_scroll, a, page, 200),
        (Screen::Summary, a) => app.summary_scroll = scroll(app.summary_scroll, a, page, 500),
    }
}

fn scroll(pos: usize, a: Act, page: usize, max: usize) -> usize {
    match a {
        Act::Up => pos.saturating_sub(1),
        Act::Down => (pos + 1).min(max),
        Act::PageUp => pos.saturating_sub(page),
        Act::PageDown => (pos + page).min(max),
        Act::Top => 0,
        Act::Bottom => max,
        _ => pos,
    }
}

fn main_act(app: &mut App, a: Act, out: &mut Out, lh: usize) {
    let n_steps = app.stage().map(|s| s.steps.len()).unwrap_or(0);
    match (app.focus, a) {
        (_, Act::NextPane) => {
            app.focus = match app.focus {
                Pane::Stages => Pane::Steps,
                Pane::Steps => Pane::Log,
                Pane::Log => Pane::Stages,
            }
        }
        (_, Act::PrevPane) => {
            app.focus = match app.focus {
                Pane::Stages => Pane::Log,
                Pane::Steps => Pane::Stages,
                Pane::Log => Pane::Steps,
            }
        }
        (_, Act::Left) => {
            app.stage_sel = app.stage_sel.saturating_sub(1);
            app.step_sel = 0;
            log_follows_selection(app);
        }
        (_, Act::Right) => {
            app.stage_sel = (app.stage_sel + 1).min(app.stages.len().saturating_sub(1));
            app.step_sel = 0;
            log_follows_selection(app);
        }
        (Pane::Steps, Act::Up) => {
            app.step_sel = app.step_sel.saturating_sub(1);
            log_follows_selection(app);
        }
        (Pane::Steps, Act::Down) => {
            app.step_sel = (app.step_sel + 1).min(n_steps.saturating_sub(1));
            log_follows_selection(app);
        }
        (Pane::Steps, Act::Detail) => open_detail(app),
        (_, Act::RunStage) => {
            if let Some(st) = app.stage() {
                let id = st.id.clone();
                ask_run(app, Ask::RunStage(id), out);
            }
        }
        (Pane::Log, Act::Up) => app.log.scroll_up(1, lh),
        (Pane::Log, Act::Down) => app.log.scroll_down(1),
        (Pane::Log, Act::PageUp) => app.log.scroll_up(lh.saturating_sub(1).max(1), lh),
        (Pane::Log, Act::PageDown) => app.log.scroll_down(lh.saturating_sub(1).max(1)),
        (Pane::Log, Act::Top) => app.log.top(lh),
        (Pane::Log, Act::Bottom) => app.log.bottom(),
        (Pane::Log, Act::Follow) => app.log.toggle_pause(),
        (Pane::Log, Act::Search) => app.search = Some(Input::default()),
        (Pane::Log, Act::NextMatch) => app.log.next_match(true, lh),
        (Pane::Log, Act::PrevMatch) => app.log.next_match(false, lh),
        _ => {}
    }
}

/// The log pane shows the selected step. Selecting the running step (or a
/// stage with nothing selected yet) lets it follow the run again.
fn log_follows_selection(app: &mut App) {
    let Some(step) = app.step_ref() else { return };
    let running = app.running().map(|r| r.planned.step.clone());
    app.log_pinned = running.as_ref() != Some(&step);
    if app.log.step.as_ref() != Some(&step) {
        let path = app.log_path(&step);
        app.log.follow_step(step, &path);
    }
}

fn open_detail(app: &mut App) {
    let Some(step) = app.step_ref() else { return };
    let log: Vec<LogLine> = if app.log.step.as_ref() == Some(&step) {
        (0..app.log.total())
            .filter_map(|n| app.log.get(n).cloned())
            .collect()
    } else {
        std::fs::read_to_string(app.log_path(&step))
            .map(|t| {
                t.lines()
                    .map(|l| {
                        let (stream, text) = parse_log_line(l);
                        LogLine {
                            stream,
                            text: text.to_string(),
                        }
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    // A running step's detail opens at its end, where the output grows.
    let running = app.running().is_some_and(|r| r.planned.step == step);
    let scroll = if running {
        log.len().saturating_sub(app.page_height().max(1))
    } else {
        0
    };
    app.detail = Some(DetailView {
        step,
        log,
        scroll,
        query: None,
        current: None,
    });
    app.screen = Screen::Detail;
}

/// Send a run command, asking first when something would change the
/// system, and refusing locked stages and a second run.
fn ask_run(app: &mut App, ask: Ask, out: &mut Out) {
    let (stage, changes) = match &ask {
        Ask::RunStage(id) => (
            id.clone(),
            app.stages
                .iter()
                .find(|s| &s.id == id)
                .is_some_and(|s| s.steps.iter().any(|p| p.changes)),
        ),
        Ask::RunStep(r) => (
            r.stage.clone(),
            app.stages
                .iter()
                .find(|s| s.id == r.stage)
                .and_then(|s| s.steps.iter().find(|p| p.id == r.step))
                .is_some_and(|p| p.changes),
        ),
        _ => return,
    };
    if app.locked.contains(&stage) {
        notice(app, crate::ui::production::locked_notice(app, &stage));
    } else if app.running().is_some() {
        notice(app, s().notice_busy.to_string());
    } else if all_finished(app, &ask) {
        // Asked again: say what happens to work already in place.
        app.dialog = Some(Dialog::Choose {
            ask,
            picks: vec![Pick::Recheck, Pick::Redo, Pick::Nothing],
            sel: 2,
        });
    } else if changes && stage == crate::recipe::StageId::Production {
        app.dialog = Some(crate::ui::production::confirm(ask));
    } else if changes {
        app.dialog = Some(Dialog::Confirm { ask, yes: false });
    } else {
        app.log_pinned = false;
        out.commands.push(command_for(ask));
    }
}

pub(super) fn command_for(ask: Ask) -> Command {
    match ask {
        Ask::RunStage(stage) => Command::RunStage { stage, redo: false },
        Ask::RunStep(step) => Command::RunStep { step, redo: false },
        Ask::Cancel | Ask::Quit => Command::Cancel,
    }
}

fn quit(app: &mut App, out: &mut Out) {
    if app.running().is_some() {
        // The step runs in the background engine: leaving it running is
        // the default; cancelling it is a choice of its own.
        app.dialog = Some(Dialog::Choose {
            ask: Ask::Quit,
            picks: vec![Pick::Leave, Pick::CancelAndQuit, Pick::Stay],
            sel: 0,
        });
    } else {
        out.exit = Some(UiExit::Quit);
    }
}

/// Whether every step `ask` would run has finished already (asked again).
fn all_finished(app: &App, ask: &Ask) -> bool {
    let done = |stage: &str, step: &str| {
        app.state
            .step(&crate::engine::StepRef::new(stage, step))
            .is_some_and(|s| s.status.is_finished())
    };
    match ask {
        Ask::RunStage(id) => {
            app.stages.iter().find(|s| &s.id == id).is_some_and(|st| {
                !st.steps.is_empty() && st.steps.iter().all(|p| done(&st.id, &p.id))
            })
        }
        Ask::RunStep(r) => done(&r.stage, &r.step),
        _ => false,
    }
}

#[cfg(test)]
#[path = "update_tests.rs"]
mod tests;

//! Keys while a dialog is open: confirmation (No unless answered Yes),
//! manual step (tick and note), guided failure (retry / skip / abort).
//! The keys are looked up in the dialogs' maps of [`super::keymap`], with
//! the same binding type as every screen.

use crossterm::event::{Event as TermEvent, KeyEvent};
use tui_input::backend::crossterm::EventHandler;

use super::UiExit;
use super::app::{App, Ask, Dialog, Pick};
use super::keymap::{self, DialogAct as D};
use super::update::{Out, command_for};
use crate::engine::command::Command;
use crate::engine::event::Choice;

pub(super) fn dialog_key(app: &mut App, k: KeyEvent, out: &mut Out) {
    let Some(d) = app.dialog.take() else { return };
    app.dialog = match d {
        Dialog::Choose { ask, picks, sel } => {
            let n = picks.len().max(1);
            match keymap::lookup(keymap::CHOOSE, &k) {
                Some(D::Close) => None,
                Some(D::Answer) => choose(app, &ask, picks.get(sel).copied(), out),
                Some(D::Leave) if picks.contains(&Pick::Leave) => {
                    choose(app, &ask, Some(Pick::Leave), out)
                }
                Some(D::Next) => Some(Dialog::Choose {
                    ask,
                    picks,
                    sel: (sel + 1) % n,
                }),
                Some(D::Prev) => Some(Dialog::Choose {
                    ask,
                    picks,
                    sel: (sel + n - 1) % n,
                }),
                _ => Some(Dialog::Choose { ask, picks, sel }),
            }
        }
        Dialog::ConfirmProduction(c) => match crate::ui::production::key(app, c, k) {
            crate::ui::production::Answer::Run(ask) => answer(app, ask, out),
            crate::ui::production::Answer::Close => None,
            crate::ui::production::Answer::Stay(c) => Some(Dialog::ConfirmProduction(c)),
        },
        Dialog::Confirm { ask, yes } => match keymap::lookup(keymap::CONFIRM, &k) {
            Some(D::Yes) => answer(app, ask, out),
            Some(D::Close) => None,
            Some(D::Quit) if ask != Ask::Quit => None,
            Some(D::Answer) if yes => answer(app, ask, out),
            Some(D::Answer) => None,
            Some(D::Next) => Some(Dialog::Confirm { ask, yes: !yes }),
            _ => Some(Dialog::Confirm { ask, yes }),
        },
        Dialog::Manual {
            step,
            prompt,
            mut done,
            mut note,
            mut on_note,
            mut warn,
        } => {
            match keymap::lookup(keymap::MANUAL, &k) {
                Some(D::Close) => return,
                Some(D::Next) => on_note = !on_note,
                Some(D::Answer) if done => {
                    out.commands.push(Command::Confirm {
                        step,
                        note: note.value().to_string(),
                        by: app.actor.clone(),
                    });
                    return;
                }
                Some(D::Answer) => warn = true,
                Some(D::Tick) if !on_note => {
                    done = !done;
                    warn = false;
                }
                _ if on_note => {
                    note.handle_event(&TermEvent::Key(k));
                }
                _ => {}
            }
            Some(Dialog::Manual {
                step,
                prompt,
                done,
                note,
                on_note,
                warn,
            })
        }
        Dialog::Failure {
            step,
            message,
            required,
            mut sel,
        } => {
            let choices = choices(required);
            let pick = match keymap::lookup(keymap::FAILURE, &k) {
                Some(D::Retry) => Some(Choice::Retry),
                Some(D::Skip) if !required => Some(Choice::Skip),
                Some(D::Abort) => Some(Choice::Abort),
                Some(D::Answer) => choices.get(sel).copied(),
                Some(D::Prev) => {
                    sel = sel.saturating_sub(1);
                    None
                }
                Some(D::Next) => {
                    sel = (sel + 1).min(choices.len() - 1);
                    None
                }
                _ => None,
            };
            match pick {
                Some(choice) => {
                    out.commands.push(Command::Decide {
                        step,
                        choice,
                        by: app.actor.clone(),
                    });
                    None
                }
                None => Some(Dialog::Failure {
                    step,
                    message,
                    required,
                    sel,
                }),
            }
        }
        Dialog::Notice(t) => match keymap::lookup(keymap::NOTICE, &k) {
            Some(D::Close) => None,
            _ => Some(Dialog::Notice(t)),
        },
    };
}

/// The choices offered after a failure: skip only for optional steps.
pub fn choices(required: bool) -> Vec<Choice> {
    if required {
        vec![Choice::Retry, Choice::Abort]
    } else {
        vec![Choice::Retry, Choice::Skip, Choice::Abort]
    }
}

/// The answer of a choice dialog.
fn choose(app: &mut App, ask: &Ask, pick: Option<Pick>, out: &mut Out) -> Option<Dialog> {
    match pick? {
        Pick::Leave => out.exit = Some(UiExit::Detach),
        Pick::CancelAndQuit => {
            out.commands.push(Command::Cancel);
            out.exit = Some(UiExit::QuitCancelled);
        }
        Pick::Recheck | Pick::Redo => {
            let redo = pick == Some(Pick::Redo);
            app.log_pinned = false;
            match ask {
                Ask::RunStage(stage) => out.commands.push(Command::RunStage {
                    stage: stage.clone(),
                    redo,
                }),
                Ask::RunStep(step) => out.commands.push(Command::RunStep {
                    step: step.clone(),
                    redo,
                }),
                Ask::Cancel | Ask::Quit => {}
            }
        }
        Pick::Stay | Pick::Nothing => {}
    }
    None
}

fn answer(_app: &mut App, ask: Ask, out: &mut Out) -> Option<Dialog> {
    if ask == Ask::Quit {
        out.commands.push(Command::Cancel);
        out.exit = Some(UiExit::QuitCancelled);
    } else {
        out.commands.push(command_for(ask));
    }
    None
}

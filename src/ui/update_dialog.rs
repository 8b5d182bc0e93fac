//! Keys while a dialog is open: confirmation (No unless answered Yes),
//! manual step (tick and note), guided failure (retry / skip / abort).

use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyModifiers};
use tui_input::backend::crossterm::EventHandler;

use super::UiExit;
use super::app::{App, Ask, Dialog, Pick};
use super::update::{Out, command_for};
use crate::engine::command::Command;
use crate::engine::event::Choice;

pub(super) fn dialog_key(app: &mut App, k: KeyEvent, out: &mut Out) {
    let ctrl_c = k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL);
    let Some(d) = app.dialog.take() else { return };
    app.dialog = match d {
        Dialog::Choose { ask, picks, sel } => {
            let safe = picks
                .iter()
                .position(|p| matches!(p, Pick::Stay | Pick::Nothing))
                .unwrap_or(0);
            let n = picks.len().max(1);
            match k.code {
                KeyCode::Esc | KeyCode::Char('n') | KeyCode::Char('N') => None,
                _ if ctrl_c => None,
                KeyCode::Enter => choose(app, &ask, picks.get(sel).copied(), out),
                KeyCode::Char('d') if picks.contains(&Pick::Leave) => {
                    choose(app, &ask, Some(Pick::Leave), out)
                }
                KeyCode::Tab | KeyCode::Right | KeyCode::Char('l') => Some(Dialog::Choose {
                    ask,
                    picks,
                    sel: (sel + 1) % n,
                }),
                KeyCode::BackTab | KeyCode::Left | KeyCode::Char('h') => Some(Dialog::Choose {
                    ask,
                    picks,
                    sel: (sel + n - 1) % n,
                }),
                _ => Some(Dialog::Choose {
                    ask,
                    picks,
                    sel: sel.min(safe.max(sel)),
                }),
            }
        }
        Dialog::ConfirmProduction(c) => match crate::ui::production::key(app, c, k) {
            crate::ui::production::Answer::Run(ask) => answer(app, ask, out),
            crate::ui::production::Answer::Close => None,
            crate::ui::production::Answer::Stay(c) => Some(Dialog::ConfirmProduction(c)),
        },
        Dialog::Confirm { ask, yes } => match k.code {
            KeyCode::Char('y') | KeyCode::Char('Y') => answer(app, ask, out),
            KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => None,
            KeyCode::Char('q') if ask != Ask::Quit => None,
            _ if ctrl_c => None,
            KeyCode::Enter if yes => answer(app, ask, out),
            KeyCode::Enter => None,
            KeyCode::Tab
            | KeyCode::BackTab
            | KeyCode::Left
            | KeyCode::Right
            | KeyCode::Char('h')
            | KeyCode::Char('l') => Some(Dialog::Confirm { ask, yes: !yes }),
            _ => Some(Dialog::Confirm { ask, yes }),
        },
        Dialog::Manual {
            step,
            prompt,
            mut done,
            mut note,
            mut on_note,
            mut warn,
        } => match k.code {
            KeyCode::Esc => None,
            KeyCode::Tab | KeyCode::BackTab | KeyCode::Up | KeyCode::Down => {
                on_note = !on_note;
                Some(Dialog::Manual {
                    step,
                    prompt,
                    done,
                    note,
                    on_note,
                    warn,
                })
            }
            KeyCode::Enter if done => {
                out.commands.push(Command::Confirm {
                    step,
                    note: note.value().to_string(),
                    by: app.actor.clone(),
                });
                None
            }
            KeyCode::Enter => {
                warn = true;
                Some(Dialog::Manual {
                    step,
                    prompt,
                    done,
                    note,
                    on_note,
                    warn,
                })
            }
            KeyCode::Char(' ') if !on_note => {
                done = !done;
                warn = false;
                Some(Dialog::Manual {
                    step,
                    prompt,
                    done,
                    note,
                    on_note,
                    warn,
                })
            }
            _ if on_note => {
                note.handle_event(&TermEvent::Key(k));
                Some(Dialog::Manual {
                    step,
                    prompt,
                    done,
                    note,
                    on_note,
                    warn,
                })
            }
            _ => Some(Dialog::Manual {
                step,
                prompt,
                done,
                note,
                on_note,
                warn,
            }),
        },
        Dialog::Failure {
            step,
            message,
            required,
            mut sel,
        } => {
            let choices = choices(required);
            let pick = match k.code {
                KeyCode::Char('r') => Some(Choice::Retry),
                KeyCode::Char('s') if !required => Some(Choice::Skip),
                KeyCode::Char('a') => Some(Choice::Abort),
                KeyCode::Enter => choices.get(sel).copied(),
                KeyCode::Left | KeyCode::Up | KeyCode::Char('h') | KeyCode::Char('k') => {
                    sel = sel.saturating_sub(1);
                    None
                }
                KeyCode::Right
                | KeyCode::Down
                | KeyCode::Tab
                | KeyCode::Char('l')
                | KeyCode::Char('j') => {
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
        Dialog::Notice(t) => match k.code {
            KeyCode::Enter | KeyCode::Esc | KeyCode::Char(' ') | KeyCode::Char('q') => None,
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

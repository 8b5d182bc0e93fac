//! Keys while a dialog is open: confirmation (No unless answered Yes),
//! manual step (tick and note), guided failure (retry / skip / abort).
//! The dialogs' key maps are here, in the binding type of every screen
//! ([`super::keymap::Binding`]).

use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent};
use tui_input::backend::crossterm::EventHandler;

use super::UiExit;
use super::app::{App, Ask, Dialog, Pick};
use super::keymap::{Binding, ctrl, key};
use super::update::{Out, command_for};
use crate::engine::command::Command;
use crate::engine::event::Choice;

use DialogAct as D;
use crossterm::event::KeyCode::{BackTab, Char, Down, Enter, Esc, Left, Right, Tab, Up};

/// What a key does in a dialog of the run view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DialogAct {
    /// Close the dialog without an answer.
    Close,
    /// Take the highlighted answer (or the typed one).
    Answer,
    Next,
    Prev,
    Yes,
    /// `q`: closes, except the question about quitting.
    Quit,
    /// Leave the view, the engine going on.
    Leave,
    /// Tick or untick "done" of a manual step.
    Tick,
    Retry,
    Skip,
    Abort,
}

type DBinding = Binding<DialogAct>;

const fn d(label: &'static str, keys: &'static [KeyCode], act: DialogAct) -> DBinding {
    key(label, keys, act, true)
}

const CTRL_C_CLOSES: DBinding = ctrl("Ctrl-C", &[Char('c')], DialogAct::Close, false);

/// A question with several answers (leave or cancel; re-run how).
pub(crate) static CHOOSE: &[DBinding] = &[
    d("Esc/n", &[Esc, Char('n'), Char('N')], DialogAct::Close),
    CTRL_C_CLOSES,
    d("Enter", &[Enter], DialogAct::Answer),
    d("d", &[Char('d')], DialogAct::Leave),
    d("Tab/Right/l", &[Tab, Right, Char('l')], DialogAct::Next),
    d("S-Tab/Left/h", &[BackTab, Left, Char('h')], DialogAct::Prev),
];

/// A yes/no question. `o` (« oui ») answers yes too, in both languages.
pub(crate) static CONFIRM: &[DBinding] = &[
    d(
        "y/o",
        &[Char('y'), Char('Y'), Char('o'), Char('O')],
        DialogAct::Yes,
    ),
    d("n/Esc", &[Char('n'), Char('N'), Esc], DialogAct::Close),
    d("q", &[Char('q')], DialogAct::Quit),
    CTRL_C_CLOSES,
    d("Enter", &[Enter], DialogAct::Answer),
    d(
        "Tab/Left/Right",
        &[Tab, BackTab, Left, Right, Char('h'), Char('l')],
        DialogAct::Next,
    ),
];

/// A manual step: tick "done", type a note (other keys go to the note).
pub(crate) static MANUAL: &[DBinding] = &[
    d("Esc", &[Esc], DialogAct::Close),
    d("Tab/Up/Down", &[Tab, BackTab, Up, Down], DialogAct::Next),
    d("Enter", &[Enter], DialogAct::Answer),
    d("Space", &[Char(' ')], DialogAct::Tick),
];

/// A failed step: retry, skip (optional steps), abort.
pub(crate) static FAILURE: &[DBinding] = &[
    d("r", &[Char('r')], DialogAct::Retry),
    d("s", &[Char('s')], DialogAct::Skip),
    d("a", &[Char('a')], DialogAct::Abort),
    d("Enter", &[Enter], DialogAct::Answer),
    d(
        "Left/Up",
        &[Left, Up, Char('h'), Char('k')],
        DialogAct::Prev,
    ),
    d(
        "Right/Down/Tab",
        &[Right, Down, Tab, Char('l'), Char('j')],
        DialogAct::Next,
    ),
];

/// A notice.
pub(crate) static NOTICE: &[DBinding] = &[d(
    "Enter/Esc",
    &[Enter, Esc, Char(' '), Char('q')],
    DialogAct::Close,
)];

/// Running something that changes production: the installation name is
/// typed (other keys go to the field).
pub(crate) static PRODUCTION: &[DBinding] = &[
    d("Esc", &[Esc], DialogAct::Close),
    d("Enter", &[Enter], DialogAct::Answer),
];

fn lookup(map: &[DBinding], k: &KeyEvent) -> Option<DialogAct> {
    super::keymap::lookup(map, k)
}

pub(super) fn dialog_key(app: &mut App, k: KeyEvent, out: &mut Out) {
    let Some(d) = app.dialog.take() else { return };
    app.dialog = match d {
        Dialog::Choose { ask, picks, sel } => {
            let n = picks.len().max(1);
            match lookup(CHOOSE, &k) {
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
        Dialog::Confirm { ask, yes } => match lookup(CONFIRM, &k) {
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
            match lookup(MANUAL, &k) {
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
            let pick = match lookup(FAILURE, &k) {
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
        Dialog::Notice(t) => match lookup(NOTICE, &k) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    #[test]
    fn dialog_answers_need_their_own_modifiers() {
        let k = |c, m| KeyEvent::new(c, m);
        assert_eq!(
            lookup(CONFIRM, &k(Char('y'), KeyModifiers::NONE)),
            Some(D::Yes)
        );
        assert_eq!(
            lookup(CONFIRM, &k(Char('Y'), KeyModifiers::SHIFT)),
            Some(D::Yes)
        );
        // « o » for « oui » is yes as well.
        assert_eq!(
            lookup(CONFIRM, &k(Char('o'), KeyModifiers::NONE)),
            Some(D::Yes)
        );
        // Ctrl-Y and Alt-Y are not "yes"; Ctrl-C closes.
        assert_eq!(lookup(CONFIRM, &k(Char('y'), KeyModifiers::CONTROL)), None);
        assert_eq!(lookup(CONFIRM, &k(Char('y'), KeyModifiers::ALT)), None);
        assert_eq!(
            lookup(CHOOSE, &k(Char('c'), KeyModifiers::CONTROL)),
            Some(D::Close)
        );
        assert_eq!(
            lookup(CHOOSE, &k(BackTab, KeyModifiers::SHIFT)),
            Some(D::Prev)
        );
        assert_eq!(lookup(PRODUCTION, &k(Char('q'), KeyModifiers::NONE)), None);
    }
}

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers};

use super::*;
use crate::engine::StepRef;
use crate::engine::event::Choice;
use crate::ui::fixture::{self, Phase};

fn press(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn app(phase: Phase) -> App {
    fixture::app(phase, "default", false, (120, 30))
}

fn keys(app: &mut App, codes: &[KeyCode]) -> Vec<Command> {
    let mut v = Vec::new();
    for c in codes {
        v.extend(update(app, press(*c)).commands);
    }
    v
}

#[test]
fn enter_on_a_read_only_stage_runs_it() {
    let mut a = app(Phase::Idle);
    assert_eq!(a.focus, Pane::Stages);
    let sent = keys(&mut a, &[KeyCode::Enter]);
    assert_eq!(
        sent,
        vec![Command::RunStage {
            stage: "prerequisites".into(),
            redo: false
        }]
    );
}

#[test]
fn a_stage_that_changes_things_asks_and_defaults_to_no() {
    let mut a = app(Phase::Idle);
    let backup = a.stages.iter().position(|s| s.id == "backup").unwrap();
    for _ in 0..backup {
        keys(&mut a, &[KeyCode::Right]);
    }
    assert!(keys(&mut a, &[KeyCode::Enter]).is_empty());
    assert!(matches!(a.dialog, Some(Dialog::Confirm { yes: false, .. })));
    // Enter takes the default answer: no.
    assert!(keys(&mut a, &[KeyCode::Enter]).is_empty());
    assert!(a.dialog.is_none());
    // Ask again, move to Yes, answer.
    let sent = keys(&mut a, &[KeyCode::Enter, KeyCode::Tab, KeyCode::Enter]);
    assert_eq!(
        sent,
        vec![Command::RunStage {
            stage: "backup".into(),
            redo: false
        }]
    );
    // `y` answers yes directly.
    let sent = keys(&mut a, &[KeyCode::Enter, KeyCode::Char('y')]);
    assert_eq!(
        sent,
        vec![Command::RunStage {
            stage: "backup".into(),
            redo: false
        }]
    );
}

#[test]
fn a_locked_stage_is_refused() {
    let mut a = app(Phase::Idle);
    a.stage_sel = a.stages.iter().position(|s| s.id == "production").unwrap();
    assert!(keys(&mut a, &[KeyCode::Enter]).is_empty());
    assert!(matches!(a.dialog, Some(Dialog::Notice(_))));
}

#[test]
fn cancelling_a_running_step_asks_and_defaults_to_no() {
    let mut a = app(Phase::Running);
    assert!(keys(&mut a, &[KeyCode::Char('c')]).is_empty());
    assert!(matches!(
        a.dialog,
        Some(Dialog::Confirm {
            ask: Ask::Cancel,
            yes: false
        })
    ));
    assert!(keys(&mut a, &[KeyCode::Enter]).is_empty());
    let sent = keys(&mut a, &[KeyCode::Char('c'), KeyCode::Char('y')]);
    assert_eq!(sent, vec![Command::Cancel]);
}

#[test]
fn quitting_while_a_step_runs_asks() {
    let mut a = app(Phase::Running);
    let out = update(&mut a, press(KeyCode::Char('q')));
    assert_eq!(out.exit, None);
    let ctrl_c = Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert_eq!(
        update(&mut a, ctrl_c).exit,
        None,
        "Ctrl-C in the dialog answers no"
    );
    assert!(a.dialog.is_none());
    // Enter takes the default: the step goes on in the background.
    update(&mut a, press(KeyCode::Char('q')));
    let out = update(&mut a, press(KeyCode::Enter));
    assert_eq!(
        out.exit,
        Some(UiExit::Detach),
        "leaving it running is the default"
    );
    assert!(out.commands.is_empty(), "leaving cancels nothing");
    // Cancelling the step is a choice of its own.
    let mut a = app(Phase::Running);
    update(&mut a, press(KeyCode::Char('q')));
    update(&mut a, press(KeyCode::Right));
    let out = update(&mut a, press(KeyCode::Enter));
    assert_eq!(out.exit, Some(UiExit::QuitCancelled));
    assert_eq!(out.commands, vec![Command::Cancel]);
    // Esc stays; `d` leaves at once.
    let mut a = app(Phase::Running);
    update(&mut a, press(KeyCode::Char('q')));
    assert_eq!(update(&mut a, press(KeyCode::Esc)).exit, None);
    assert_eq!(
        update(&mut a, press(KeyCode::Char('d'))).exit,
        Some(UiExit::Detach)
    );

    let mut idle = app(Phase::Idle);
    assert_eq!(
        update(&mut idle, press(KeyCode::Char('q'))).exit,
        Some(UiExit::Quit)
    );
}

#[test]
fn only_key_presses_count() {
    let mut a = app(Phase::Idle);
    let mut release = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
    release.kind = KeyEventKind::Release;
    let out = update(&mut a, Msg::Key(release));
    assert!(out.commands.is_empty() && !out.redraw);
    let repeat = KeyEvent::new_with_kind_and_state(
        KeyCode::Char('q'),
        KeyModifiers::NONE,
        KeyEventKind::Repeat,
        KeyEventState::NONE,
    );
    assert_eq!(update(&mut a, Msg::Key(repeat)).exit, None);
}

#[test]
fn skip_is_not_offered_for_a_required_step() {
    let mut a = app(Phase::Failed);
    let Some(Dialog::Failure {
        required, ref step, ..
    }) = a.dialog
    else {
        panic!("no failure dialog: {:?}", a.dialog.is_some());
    };
    assert!(required);
    assert_eq!(step, &StepRef::new("backup", "database"));
    assert!(
        keys(&mut a, &[KeyCode::Char('s')]).is_empty(),
        "s does nothing"
    );
    // Right twice from Retry lands on Abort (there is no Skip between).
    let sent = keys(&mut a, &[KeyCode::Right, KeyCode::Right, KeyCode::Enter]);
    assert!(matches!(
        &sent[..],
        [Command::Decide {
            choice: Choice::Abort,
            ..
        }]
    ));
}

#[test]
fn skip_is_offered_for_an_optional_step() {
    let mut a = app(Phase::Idle);
    update(
        &mut a,
        Msg::Engine(Event::StepFinished {
            step: StepRef::new("prerequisites", "disk"),
            outcome: Outcome::Failed,
            duration_ms: 5,
            message: "1 GiB free, 4 GiB needed".into(),
            at: fixture::T0 + 10,
        }),
    );
    let sent = keys(&mut a, &[KeyCode::Char('s')]);
    assert_eq!(
        sent,
        vec![Command::Decide {
            step: StepRef::new("prerequisites", "disk"),
            choice: Choice::Skip,
            by: fixture::actor(),
        }]
    );
}

#[test]
fn the_manual_step_needs_a_tick_and_sends_the_note() {
    let mut a = app(Phase::Manual);
    assert!(matches!(a.dialog, Some(Dialog::Manual { .. })));
    assert!(keys(&mut a, &[KeyCode::Enter]).is_empty(), "not ticked yet");
    let mut codes = vec![KeyCode::Char(' '), KeyCode::Tab];
    codes.extend("saved ACME".chars().map(KeyCode::Char));
    codes.push(KeyCode::Enter);
    let sent = keys(&mut a, &codes);
    assert_eq!(
        sent,
        vec![Command::Confirm {
            step: StepRef::new("verify", "customised"),
            note: "saved ACME".into(),
            by: fixture::actor(),
        }]
    );
}

#[test]
fn steps_pane_runs_a_step_and_opens_its_detail() {
    let mut a = app(Phase::Idle);
    keys(&mut a, &[KeyCode::Tab, KeyCode::Down]);
    assert_eq!(a.focus, Pane::Steps);
    let sent = keys(&mut a, &[KeyCode::Char('r')]);
    assert_eq!(
        sent,
        vec![Command::RunStep {
            step: StepRef::new("prerequisites", "port-80"),
            redo: false
        }]
    );
    keys(&mut a, &[KeyCode::Enter]);
    assert_eq!(a.screen, Screen::Detail);
    keys(&mut a, &[KeyCode::Esc]);
    assert_eq!(a.screen, Screen::Main);
}

#[test]
fn log_keys_scroll_search_and_follow() {
    let mut a = app(Phase::Running);
    keys(&mut a, &[KeyCode::Tab, KeyCode::Tab]);
    assert_eq!(a.focus, Pane::Log);
    assert_eq!(a.log.total(), 30);
    keys(&mut a, &[KeyCode::Char('g')]);
    assert!(a.log.paused);
    assert_eq!(a.log.visible(a.log_height()).start, 0);
    let mut codes = vec![KeyCode::Char('/')];
    codes.extend("msg 3211".chars().map(KeyCode::Char));
    codes.push(KeyCode::Enter);
    keys(&mut a, &codes);
    assert_eq!(a.log.matches, 3);
    assert_eq!(a.log.current, Some(3));
    keys(&mut a, &[KeyCode::Char('n')]);
    assert_eq!(a.log.current, Some(13));
    keys(&mut a, &[KeyCode::Char('N')]);
    assert_eq!(a.log.current, Some(3));
    keys(&mut a, &[KeyCode::Char('G')]);
    assert!(!a.log.paused);
}

#[test]
fn the_run_summary_opens_when_the_run_ends() {
    let a = app(Phase::Finished);
    assert_eq!(a.screen, Screen::Summary);
}

#[test]
fn a_hidden_manual_dialog_comes_back_with_its_prompt() {
    let mut a = app(Phase::Manual);
    keys(&mut a, &[KeyCode::Esc]);
    assert!(a.dialog.is_none());
    keys(&mut a, &[KeyCode::Char('m')]);
    let Some(Dialog::Manual { prompt, .. }) = &a.dialog else {
        panic!("no manual dialog");
    };
    assert_eq!(
        prompt,
        "Open the customised company screen and save a record."
    );
}

fn with_log_file(a: &mut App, stage: &str, step: &str, body: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    a.run_dir = dir.path().to_path_buf();
    let p = crate::engine::link::step_log_path(dir.path(), stage, step);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, body).unwrap();
    dir
}

#[test]
fn the_detail_screen_reads_the_whole_step_log_file() {
    let mut a = app(Phase::Running);
    let _dir = with_log_file(
        &mut a,
        "prerequisites",
        "port-80",
        "I|probing\nO|port 80: IIS\nE|warn\n",
    );
    a.stage_sel = 0;
    a.step_sel = 1;
    a.focus = Pane::Steps;
    keys(&mut a, &[KeyCode::Enter]);
    let d = a.detail.as_ref().unwrap();
    let got: Vec<(crate::engine::Stream, &str)> =
        d.log.iter().map(|l| (l.stream, l.text.as_str())).collect();
    use crate::engine::Stream::*;
    assert_eq!(
        got,
        vec![
            (Info, "probing"),
            (Stdout, "port 80: IIS"),
            (Stderr, "warn")
        ]
    );
}

#[test]
fn a_lagging_view_reloads_the_followed_log_from_its_file() {
    let mut a = app(Phase::Running);
    let body: String = (0..500).map(|i| format!("O|from file {i}\n")).collect();
    let _dir = with_log_file(&mut a, "backup", "database", &body);
    assert_eq!(a.log.total(), 30);
    update(&mut a, Msg::Lagged(470));
    assert_eq!(a.log.total(), 500);
    assert_eq!(a.log.get(499).unwrap().text, "from file 499");
    assert!(matches!(a.dialog, Some(Dialog::Notice(_))));
}

#[test]
fn a_passed_stage_asked_again_says_what_happens_and_defaults_to_nothing() {
    let mut a = app(Phase::Finished);
    a.screen = crate::ui::app::Screen::Main;
    a.dialog = None;
    let pre = a
        .stages
        .iter()
        .position(|s| s.id == "prerequisites")
        .unwrap();
    a.stage_sel = pre;
    assert!(
        a.state
            .stage_steps("prerequisites")
            .all(|s| s.status.is_finished()),
        "the fixture's prerequisites passed"
    );
    // Enter: the question is asked; Enter again takes "Do nothing".
    assert!(keys(&mut a, &[KeyCode::Enter]).is_empty());
    assert!(
        matches!(a.dialog, Some(Dialog::Choose { sel: 2, .. })),
        "{:?} {:?}",
        a.dialog,
        a.screen
    );
    assert!(keys(&mut a, &[KeyCode::Enter]).is_empty());
    assert!(a.dialog.is_none(), "the answer closes the dialog");
    // Check again: the finished steps run and keep what is in place.
    let sent = keys(
        &mut a,
        &[KeyCode::Enter, KeyCode::Left, KeyCode::Left, KeyCode::Enter],
    );
    assert_eq!(
        sent,
        vec![Command::RunStage {
            stage: "prerequisites".into(),
            redo: false
        }]
    );
    // Redo: the work is done again.
    let sent = keys(&mut a, &[KeyCode::Enter, KeyCode::Left, KeyCode::Enter]);
    assert_eq!(
        sent,
        vec![Command::RunStage {
            stage: "prerequisites".into(),
            redo: true
        }]
    );
}

#[test]
fn the_step_detail_searches_its_log_and_counts_what_it_holds() {
    let mut a = app(Phase::Finished);
    a.screen = crate::ui::app::Screen::Detail;
    a.dialog = None;
    let lines = ["copy a", "ERROR one", "copy b", "error two", "done"];
    a.detail = Some(crate::ui::app::DetailView {
        step: StepRef::new("backup", "database"),
        log: lines
            .iter()
            .map(|t| crate::ui::logbuf::LogLine {
                stream: crate::engine::Stream::Stdout,
                text: t.to_string(),
            })
            .collect(),
        scroll: 0,
        query: None,
        current: None,
    });
    keys(&mut a, &[KeyCode::Char('/')]);
    assert!(a.search.is_some(), "/ opens the search in the detail");
    for c in "error".chars() {
        keys(&mut a, &[KeyCode::Char(c)]);
    }
    keys(&mut a, &[KeyCode::Enter]);
    let d = a.detail.as_ref().unwrap();
    assert_eq!(d.matches(), 2);
    assert_eq!(d.current, Some(1));
    keys(&mut a, &[KeyCode::Char('n')]);
    assert_eq!(a.detail.as_ref().unwrap().current, Some(3));
    keys(&mut a, &[KeyCode::Char('n')]);
    assert_eq!(a.detail.as_ref().unwrap().current, Some(1), "wraps around");
    keys(&mut a, &[KeyCode::Char('N')]);
    assert_eq!(a.detail.as_ref().unwrap().current, Some(3));
}

#[test]
fn the_help_closes_with_q_and_never_quits() {
    for key in [KeyCode::Char('q'), KeyCode::Char('?'), KeyCode::Esc] {
        let mut a = app(Phase::Idle);
        update(&mut a, press(KeyCode::Char('?')));
        assert_eq!(a.screen, crate::ui::app::Screen::Help);
        let out = update(&mut a, press(key));
        assert_eq!(out.exit, None, "{key:?} quit the program from the help");
        assert_eq!(a.screen, crate::ui::app::Screen::Main, "{key:?}");
    }
}

#[test]
fn esc_on_a_question_does_nothing_and_keeps_the_view() {
    // Running a stage that changes the system: Esc answers No.
    let mut a = app(Phase::Idle);
    for _ in 0..4 {
        update(&mut a, press(KeyCode::Right));
    }
    update(&mut a, press(KeyCode::Enter));
    assert!(matches!(a.dialog, Some(Dialog::Confirm { yes: false, .. })));
    let out = update(&mut a, press(KeyCode::Esc));
    assert!(out.commands.is_empty(), "{:?}", out.commands);
    assert!(a.dialog.is_none());
    // Cancelling the running step: Esc keeps it running.
    let mut a = app(Phase::Running);
    update(&mut a, press(KeyCode::Char('c')));
    assert!(matches!(
        a.dialog,
        Some(Dialog::Confirm {
            ask: Ask::Cancel,
            yes: false
        })
    ));
    let out = update(&mut a, press(KeyCode::Esc));
    assert!(out.commands.is_empty(), "{:?}", out.commands);
    // Quitting while a step runs: Esc stays in the view.
    update(&mut a, press(KeyCode::Char('q')));
    assert!(matches!(a.dialog, Some(Dialog::Choose { .. })));
    let out = update(&mut a, press(KeyCode::Esc));
    assert_eq!(out.exit, None);
    assert!(out.commands.is_empty());
    assert!(a.dialog.is_none());
}

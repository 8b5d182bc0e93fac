//! A lost terminal ends the editor, as it ends the run view and the wizard:
//! through the shared loop's seam with a terminal input that fails or
//! floods, and for real in tmux with a hang-up. Nothing is saved behind the
//! user's back, and the loss of unsaved changes is said.

use std::collections::VecDeque;
use std::io;
use std::time::{Duration, Instant};

use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyModifiers};
use dress::ui::terminal::TermInput;
use dress::ui::topology::{self, EditorExit};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::common::tmux;
use crate::common::topology::*;

/// Gives its keys, then fails as a hung-up terminal does.
struct KeysThenFail(VecDeque<KeyCode>);

impl TermInput for KeysThenFail {
    fn poll(&mut self, _: Duration) -> io::Result<bool> {
        if self.0.is_empty() {
            Err(io::Error::other("input/output error"))
        } else {
            Ok(true)
        }
    }
    fn read(&mut self) -> io::Result<TermEvent> {
        let code = self.0.pop_front().ok_or(io::ErrorKind::UnexpectedEof)?;
        Ok(TermEvent::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }
}

/// Reports events without end, as some closed terminals do.
struct Flood;

impl TermInput for Flood {
    fn poll(&mut self, _: Duration) -> io::Result<bool> {
        Ok(true)
    }
    fn read(&mut self) -> io::Result<TermEvent> {
        Ok(TermEvent::FocusGained)
    }
}

fn keys(codes: &[KeyCode]) -> KeysThenFail {
    KeysThenFail(codes.iter().copied().collect())
}

fn term() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(100, 30)).unwrap()
}

#[test]
fn failing_input_ends_the_editor_and_says_the_changes_were_not_saved() {
    let dir = tempfile::tempdir().unwrap();
    let plan = write_plan(dir.path(), PLAN);
    let mut ed = editor(&plan);
    let mut input = vec![KeyCode::Char('a'), KeyCode::Enter];
    input.extend("WEB1".chars().map(KeyCode::Char));
    input.push(KeyCode::Enter);
    let exit = topology::run_on(&mut term(), &mut ed, keys(&input));
    assert_eq!(exit, EditorExit::TerminalLost { unsaved: true });
    assert_eq!(ed.rows[0].name, "WEB1", "the keys before the loss count");
    assert_eq!(std::fs::read_to_string(&plan).unwrap(), PLAN);
}

#[test]
fn failing_input_with_nothing_changed_ends_the_editor_too() {
    let dir = tempfile::tempdir().unwrap();
    let plan = write_plan(dir.path(), PLAN);
    let mut ed = editor(&plan);
    let exit = topology::run_on(&mut term(), &mut ed, keys(&[]));
    assert_eq!(exit, EditorExit::TerminalLost { unsaved: false });
}

#[test]
fn input_without_end_ends_the_editor_within_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let plan = write_plan(dir.path(), PLAN);
    let mut ed = editor(&plan);
    let t0 = Instant::now();
    let exit = topology::run_on(&mut term(), &mut ed, Flood);
    assert_eq!(exit, EditorExit::TerminalLost { unsaved: false });
    assert!(t0.elapsed() < Duration::from_secs(5), "{:?}", t0.elapsed());
}

#[test]
fn q_still_quits_through_the_shared_loop() {
    let dir = tempfile::tempdir().unwrap();
    let plan = write_plan(dir.path(), PLAN);
    let mut ed = editor(&plan);
    let exit = topology::run_on(&mut term(), &mut ed, keys(&[KeyCode::Char('q')]));
    assert_eq!(exit, EditorExit::Quit);
}

/// In a real terminal: the SSH session drops while a change is unsaved.
/// The editor notices the hang-up, ends within a second (not killed by it),
/// leaves the plan as it was and writes why into its log.
#[cfg(unix)]
#[test]
fn a_hang_up_ends_the_editor_and_leaves_the_plan_alone() {
    if !tmux::available() {
        eprintln!("tmux not installed: not run");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let plan = write_plan(dir.path(), PLAN);
    let state = dir.path().join("state");
    let t = tmux::Tmux::start(
        env!("CARGO_BIN_EXE_dress"),
        &["topology", plan.to_str().unwrap()],
        (100, 30),
        &[("DRESS_STATE_DIR", state.to_str().unwrap())],
    )
    .unwrap();
    let d = Duration::from_secs(10);
    t.wait_for("No server yet", d).unwrap();
    t.keys(&["a", "Enter"]).unwrap();
    t.wait_for("Editing Server name", d).unwrap();
    t.literal("WEB1").unwrap();
    t.keys(&["Enter"]).unwrap();
    t.wait_for("CRM server names          WEB1", d).unwrap();

    let pid = t.pid().unwrap();
    let dropped = Instant::now();
    t.hang_up().unwrap();
    while tmux::running(pid) {
        assert!(
            dropped.elapsed() < Duration::from_secs(2),
            "the editor did not end within two seconds of the hang-up"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(t);
    assert_eq!(std::fs::read_to_string(&plan).unwrap(), PLAN);
    let log = std::fs::read_to_string(state.join("dress.log")).unwrap_or_default();
    // Seen by the hang-up signal or by the terminal's own hang-up, which
    // ever comes first.
    assert!(
        log.contains("the worksheet editor lost its terminal (hang-up (SIGHUP)); unsaved changes: true")
            || log.contains(
                "the worksheet editor lost its terminal (terminal input failed: the terminal hung up); unsaved changes: true"
            ),
        "{log}"
    );
}

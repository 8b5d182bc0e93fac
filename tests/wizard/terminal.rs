//! `dress new` in a real pseudo-terminal (tmux): the wizard opens, keys
//! work, quitting asks first, saving an opened plan leaves it as it was,
//! and the terminal is given back (the last words are printed on the
//! normal screen).

use crate::common::tmux;

use std::path::Path;
use std::time::{Duration, Instant};

use tmux::Tmux;

const WAIT: Duration = Duration::from_secs(10);

/// `dress new FILE` through a shell that prints its exit code after it, on
/// the normal screen, and stays a while (a dead tmux pane may show its
/// saved screen instead of the last lines).
fn start(file: &Path, dir: &Path) -> Option<Tmux> {
    if !tmux::available() {
        eprintln!("tmux is not installed: skipped");
        return None;
    }
    let state = dir.join("state");
    let script = format!(
        "'{}' new '{}'; echo \"exit:$?\"; sleep 10",
        env!("CARGO_BIN_EXE_dress"),
        file.display()
    );
    Some(
        Tmux::start(
            "sh",
            &["-c", &script],
            (80, 24),
            &[("DRESS_STATE_DIR", state.to_str().unwrap())],
        )
        .unwrap(),
    )
}

fn exit_code(t: &Tmux) -> i32 {
    let t0 = Instant::now();
    loop {
        let s = t.screen().unwrap();
        if let Some(code) = s.split("exit:").nth(1) {
            return code.lines().next().unwrap().trim().parse().unwrap();
        }
        assert!(t0.elapsed() < WAIT, "{s}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn quit_asks_first_and_saves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("new.toml");
    let Some(t) = start(&file, dir.path()) else {
        return;
    };
    t.wait_for("New plan", WAIT).unwrap();
    t.literal("Bijou SA").unwrap();
    t.wait_for("Bijou SA", WAIT).unwrap();
    t.keys(&["PageDown"]).unwrap();
    t.wait_for("CRMBIJOUSA", WAIT).unwrap();
    t.keys(&["Escape"]).unwrap();
    t.wait_for("Quit without saving?", WAIT).unwrap();
    t.keys(&["y"]).unwrap();
    assert_eq!(exit_code(&t), 1);
    let screen = t.screen().unwrap();
    assert!(screen.contains("nothing was saved"), "{screen}");
    assert!(!screen.contains("New plan"), "the alternate screen is left");
    assert!(!file.exists());
}

#[test]
fn an_opened_plan_saved_from_the_summary_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("crm.toml");
    let original = std::fs::read_to_string("examples/crm.toml").unwrap();
    std::fs::write(&file, &original).unwrap();
    let Some(t) = start(&file, dir.path()) else {
        return;
    };
    t.wait_for("Edit plan", WAIT).unwrap();
    for _ in 0..6 {
        t.keys(&["PageDown"]).unwrap();
        std::thread::sleep(Duration::from_millis(100));
    }
    t.wait_for("Press Enter to save", WAIT).unwrap();
    t.keys(&["Enter"]).unwrap();
    assert_eq!(exit_code(&t), 0);
    let screen = t.screen().unwrap();
    assert!(screen.contains("saved"), "{screen}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), original);
}

#[test]
fn esc_with_nothing_changed_leaves_with_code_0() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("new.toml");
    let Some(t) = start(&file, dir.path()) else {
        return;
    };
    t.wait_for("New plan", WAIT).unwrap();
    // Paging through prefills nothing the user typed: still unchanged.
    t.keys(&["Escape"]).unwrap();
    assert_eq!(exit_code(&t), 0);
    let screen = t.screen().unwrap();
    assert!(screen.contains("nothing was changed"), "{screen}");
    assert!(!file.exists());
}

//! The real binary in a real pseudo-terminal (tmux): a stage run with key
//! presses, statuses read off the screen; a terminal that goes away in the
//! middle of a long step — the interface exits within a second, the engine
//! goes on, and `dress attach` shows the run.
#![cfg(unix)]

use crate::common;
use crate::common::tmux;
use crate::common::tmux::running;

use std::path::Path;
use std::time::{Duration, Instant};

use common::Sandbox;
use dress::engine::event::{Event, Outcome};

pub(crate) fn tmux_or_skip() -> bool {
    if tmux::available() {
        return true;
    }
    // CI installs tmux (.ci/run): there, a missing tmux is a failure.
    assert!(
        std::env::var("CI").is_err(),
        "tmux is required for the end-to-end tests"
    );
    eprintln!("tmux not installed: end-to-end test skipped");
    false
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_dress")
}

/// Press Right until the steps pane shows `title`.
pub(crate) fn select_stage(t: &tmux::Tmux, title: &str) {
    for _ in 0..12 {
        if t.screen().unwrap().contains(&format!("Steps of {title}")) {
            return;
        }
        t.keys(&["l"]).unwrap();
        std::thread::sleep(Duration::from_millis(150));
    }
    panic!("stage {title} not found:\n{}", t.screen().unwrap());
}

fn only_run(state: &Path) -> String {
    let runs: Vec<String> = std::fs::read_dir(state.join("runs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    assert_eq!(runs.len(), 1, "{runs:?}");
    runs[0].clone()
}

#[test]
fn the_backup_stage_runs_from_the_keyboard() {
    if !tmux_or_skip() {
        return;
    }
    let sb = Sandbox::new();
    let plan = sb.dir.join("sandbox.toml");
    let state = sb.state.to_string_lossy().into_owned();
    let t = tmux::Tmux::start(
        bin(),
        &[plan.to_str().unwrap(), "--state-dir", &state],
        (120, 30),
        &[],
    )
    .unwrap();
    t.wait_for("Steps of Prerequisites", Duration::from_secs(10))
        .unwrap();
    select_stage(&t, "Backup");
    t.keys(&["Enter"]).unwrap();
    t.wait_for("< No >", Duration::from_secs(5)).unwrap();
    t.keys(&["y"]).unwrap();
    let screen = t
        .wait_for("archived 6 files", Duration::from_secs(20))
        .unwrap();
    let t0 = Instant::now();
    let mut screen = screen;
    while !screen
        .lines()
        .skip(1)
        .take(3)
        .any(|l| l.contains("[x] Backup"))
    {
        assert!(t0.elapsed() < Duration::from_secs(10), "{screen}");
        std::thread::sleep(Duration::from_millis(100));
        screen = t.screen().unwrap();
    }
    assert!(screen.contains("[x] Archive the program files"), "{screen}");
    assert!(screen.contains("[x] Verify the archive"), "{screen}");
    assert!(
        screen.contains("[-] Export the product's registry keys"),
        "{screen}"
    );
    // The journal says the same as the screen.
    let run = only_run(&sb.state);
    let st = dress::engine::RunState::from_events(
        &dress::engine::journal::load(&sb.state.join("runs").join(&run))
            .unwrap()
            .events,
    );
    assert!(dress::engine::rehearsal::stage_passed(
        &st,
        dress::recipe::StageId::Backup
    ));
    // The worksheet editor is reachable from the main screen, and back.
    t.keys(&["t"]).unwrap();
    t.wait_for("Topology (0)", Duration::from_secs(5)).unwrap();
    t.keys(&["q"]).unwrap();
    let back = t.wait_for("Steps of", Duration::from_secs(5)).unwrap();
    assert!(
        back.lines()
            .skip(1)
            .take(3)
            .any(|l| l.contains("[x] Backup")),
        "the run is shown again: {back}"
    );
    let pid = t.pid().unwrap();
    t.keys(&["q"]).unwrap();
    let t0 = Instant::now();
    // Exited: the pane is dead, or the process is a zombie tmux has not
    // reaped yet (seen under load).
    while t.exit_status().unwrap().is_none() && running(pid) {
        if t0.elapsed() > Duration::from_secs(5) {
            // A question may be asked: answer yes.
            t.keys(&["y"]).unwrap();
        }
        assert!(
            t0.elapsed() < Duration::from_secs(15),
            "did not quit: {}\n{}",
            t.screen().unwrap(),
            process_state(&t)
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// What the program in the pane is doing, for a failure message.
fn process_state(t: &tmux::Tmux) -> String {
    let Ok(pid) = t.pid() else {
        return "no pane".into();
    };
    let read = |f: &str| std::fs::read_to_string(format!("/proc/{pid}/{f}")).unwrap_or_default();
    let mut out = format!("pid {pid}: {} wchan {}", read("stat"), read("wchan"));
    if let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) {
        for task in tasks.flatten() {
            let p = task.path();
            let f = |n: &str| std::fs::read_to_string(p.join(n)).unwrap_or_default();
            out.push_str(&format!(
                "\n  thread {} wchan {}",
                f("comm").trim(),
                f("wchan")
            ));
        }
    }
    out
}

/// A plan whose trial upgrade takes a few seconds and prints as it goes.
#[cfg(target_os = "linux")]
pub(crate) fn slow_plan(dir: &Path) -> std::path::PathBuf {
    let setup = dir.join("slow-setup.sh");
    std::fs::write(&setup, "#!/bin/sh\nfor i in 1 2 3 4 5 6 7 8; do echo \"upgrading part $i\"; sleep 0.5; done\necho done\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&setup, std::fs::Permissions::from_mode(0o755)).unwrap();
    let plan = dir.join("slow.toml");
    std::fs::write(
        &plan,
        "[deployment]\ncompany = \"Slow SA\"\ninstallation = \"CRMSLOW\"\n\n[environments.test]\ninstall_dir = \"test\"\nbackup_dir = \"backups\"\n\n[recipe.setup]\npackage = \"slow-setup.sh\"\n",
    )
    .unwrap();
    plan
}

#[cfg(target_os = "linux")]
#[test]
fn a_dropped_terminal_leaves_the_run_going_and_attach_shows_it() {
    if !tmux_or_skip() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let plan = slow_plan(tmp.path());
    let state_dir = tmp.path().join("state");
    let state = state_dir.to_string_lossy().into_owned();
    let t = tmux::Tmux::start(
        bin(),
        &[plan.to_str().unwrap(), "--state-dir", &state],
        (100, 30),
        &[],
    )
    .unwrap();
    t.wait_for("Steps of Prerequisites", Duration::from_secs(10))
        .unwrap();
    select_stage(&t, "Trial upgrade");
    t.keys(&["Enter"]).unwrap();
    t.wait_for("< No >", Duration::from_secs(5)).unwrap();
    t.keys(&["y"]).unwrap();
    t.wait_for("upgrading part 2", Duration::from_secs(10))
        .unwrap();

    // The SSH session drops.
    let ui_pid = t.pid().unwrap();
    let dropped = Instant::now();
    t.hang_up().unwrap();
    while running(ui_pid) {
        assert!(
            dropped.elapsed() < Duration::from_secs(1),
            "the interface did not exit within a second"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(t);

    // The engine goes on and finishes the step.
    let run = only_run(&state_dir);
    let run_dir = state_dir.join("runs").join(&run);
    let t0 = Instant::now();
    let finished = loop {
        let events = dress::engine::journal::load(&run_dir).unwrap().events;
        if let Some(o) = events.iter().find_map(|e| match e {
            Event::StepFinished { step, outcome, .. } if step.step == "setup" => Some(*outcome),
            _ => None,
        }) {
            break o;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(20),
            "the step did not finish after the terminal dropped"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(finished, Outcome::Passed);
    let log = std::fs::read_to_string(run_dir.join("logs/trial-upgrade/setup.log")).unwrap();
    assert!(
        log.contains("O|upgrading part 8") && log.contains("O|done"),
        "{log}"
    );

    // Attach from another terminal: the run is shown at once.
    let t2 = tmux::Tmux::start(
        bin(),
        &["attach", &run, "--state-dir", &state],
        (100, 30),
        &[],
    )
    .unwrap();
    let t0 = Instant::now();
    t2.wait_for("Trial upgra", Duration::from_secs(5)).unwrap();
    select_stage(&t2, "Trial upgrade");
    let screen = t2
        .wait_for("[x] Run the vendor setup", Duration::from_secs(2))
        .unwrap();
    assert!(t0.elapsed() < Duration::from_secs(3), "attach too slow");
    assert!(screen.contains("exit code 0"), "{screen}");
    // Leaving closes the run: the engine finishes it and exits.
    t2.keys(&["q"]).unwrap();
    let t0 = Instant::now();
    loop {
        let events = dress::engine::journal::load(&run_dir).unwrap().events;
        if matches!(events.last(), Some(Event::RunFinished { .. })) {
            break;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(10),
            "the engine did not close the run"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

//! The interface tells the truth, in a real terminal (tmux) on the real
//! binary: every log line once, a confirmed re-run that runs, runs recorded
//! as they ended (and not at all when nothing ran), a step left running in
//! the background and its question brought back by attach, prompted secrets
//! asked before anything runs, the log pane on the selected step, and the
//! run's exit code.
#![cfg(unix)]

use std::time::{Duration, Instant};

use crate::common::{Sandbox, tmux};
use crate::e2e_tui::{select_stage, tmux_or_skip};
use dress::engine::RunState;

const D: Duration = Duration::from_secs(20);

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_dress")
}

/// The interface in tmux; its exit code is kept in `exit-code` (a busy
/// tmux may be slow to report a pane's end).
fn start(sb: &Sandbox, args: &[&str], env: &[(&str, &str)]) -> tmux::Tmux {
    let code = sb.dir.join("exit-code");
    let _ = std::fs::remove_file(&code);
    let state = sb.state.to_string_lossy().into_owned();
    let mut all = args.to_vec();
    all.extend(["--state-dir", state.as_str()]);
    let mut env = env.to_vec();
    env.push(("DRESS_LICENCE_KEY", crate::common::SANDBOX_LICENCE_KEY));
    tmux::Tmux::start_with_exit_file(bin(), &all, (120, 30), &env, &code).unwrap()
}

fn open(sb: &Sandbox, plan: &str, env: &[(&str, &str)]) -> tmux::Tmux {
    let plan = sb.dir.join(plan);
    start(sb, &[plan.to_str().unwrap()], env)
}

/// The exit code of the interface, once it has left.
fn exit_code(sb: &Sandbox, t: &tmux::Tmux) -> i32 {
    tmux::exit_code_from(&sb.dir.join("exit-code"), D)
        .unwrap_or_else(|| panic!("did not leave: {}", t.screen().unwrap()))
}

fn state_of(sb: &Sandbox, run: &str) -> RunState {
    RunState::from_events(
        &dress::engine::journal::load(&sb.state.join("runs").join(run))
            .unwrap()
            .events,
    )
}

/// Wait until the stage box on the third line says `word` for stage `n`
/// (0 = Prerequisites) — the stage boxes are the first lines of the screen.
fn wait_stage(t: &tmux::Tmux, title: &str, word: &str) -> String {
    let t0 = Instant::now();
    loop {
        let s = t.screen().unwrap();
        // The stages pane: a top border, then `[x] Title` items.
        let mark = match word {
            "passed" => "[x]",
            "failed" => "[!]",
            "running" => "[>]",
            "skipped" => "[-]",
            "locked" => "[#]",
            _ => "[ ]",
        };
        let stages: String = s.lines().skip(1).take(3).collect::<Vec<_>>().join("\n");
        if stages.contains(&format!("{mark} {title}")) {
            return s;
        }
        assert!(t0.elapsed() < D, "stage {title} not {word}:\n{s}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn run_backup(t: &tmux::Tmux) {
    t.wait_for("Steps of Prerequisites", D).unwrap();
    select_stage(t, "Backup");
    t.keys(&["Enter"]).unwrap();
    t.wait_for("< No >", D).unwrap();
    t.keys(&["y"]).unwrap();
    wait_stage(t, "Backup", "passed");
}

/// Leave with q and return the exit code.
fn quit(sb: &Sandbox, t: &tmux::Tmux) -> i32 {
    t.keys(&["q"]).unwrap();
    exit_code(sb, t)
}

/// Item 1 and 6: the log pane shows the selected step, each line once, and
/// the search counts what the step log holds.
#[test]
fn every_line_once_and_the_log_pane_follows_the_selected_step() {
    if !tmux_or_skip() {
        return;
    }
    let sb = Sandbox::new();
    let t = open(&sb, "sandbox.toml", &[]);
    run_backup(&t);
    // Steps pane, first step (disk), then the archive step.
    t.keys(&["Tab"]).unwrap();
    t.keys(&["j"]).unwrap();
    let s = t.wait_for("Log of backup/program-files", D).unwrap();
    let shown = s.matches("archiving 6 files").count();
    assert_eq!(shown, 1, "the line is shown once:\n{s}");
    t.keys(&["Tab"]).unwrap();
    t.keys(&["/"]).unwrap();
    t.literal("archiving").unwrap();
    t.keys(&["Enter"]).unwrap();
    let s = t.wait_for("\"archiving\": 1 match", D).unwrap();
    let runs = sb.runs();
    let log = std::fs::read_to_string(
        sb.state
            .join("runs")
            .join(&runs[0])
            .join("logs/backup/program-files.log"),
    )
    .unwrap();
    assert_eq!(log.matches("archiving 6 files").count(), 1, "{s}");
    assert_eq!(quit(&sb, &t), 0);
}

/// Item 2: a confirmed re-run of a passed stage runs, and says what it kept.
#[test]
fn a_confirmed_rerun_runs_and_says_what_it_kept() {
    if !tmux_or_skip() {
        return;
    }
    let sb = Sandbox::new();
    let t = open(&sb, "sandbox.toml", &[]);
    run_backup(&t);
    t.keys(&["Enter"]).unwrap();
    t.wait_for("already passed. Run it again?", D).unwrap();
    // Do nothing is the default; Tab moves to Check again.
    t.keys(&["Tab", "Enter"]).unwrap();
    let runs = sb.runs();
    let t0 = Instant::now();
    loop {
        let st = state_of(&sb, &runs[0]);
        let archive = st
            .steps
            .iter()
            .find(|s| s.planned.step.to_string() == "backup/program-files")
            .unwrap();
        let stage_done = st
            .stage_steps("backup")
            .all(|s| s.attempts == 2 && s.status.is_finished());
        if stage_done {
            assert!(
                archive.message.contains("already in place"),
                "{}",
                archive.message
            );
            break;
        }
        assert!(
            t0.elapsed() < D,
            "the re-run did not run: {}",
            t.screen().unwrap()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let log = std::fs::read_to_string(
        sb.state
            .join("runs")
            .join(&runs[0])
            .join("logs/backup/program-files.log"),
    )
    .unwrap();
    assert!(log.contains("run again by the operator"), "{log}");
    // The view has caught up with the journal before leaving.
    wait_stage(&t, "Backup", "passed");
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(quit(&sb, &t), 0);
}

/// Item 3 and 7: opening and quitting records nothing; a run whose chosen
/// stage passed is passed, and the interface exits 0; a failed one exits 1.
#[test]
fn runs_are_recorded_as_they_ended_and_the_exit_code_says_so() {
    if !tmux_or_skip() {
        return;
    }
    let sb = Sandbox::new();
    for _ in 0..2 {
        let t = open(&sb, "sandbox.toml", &[]);
        t.wait_for("Steps of Prerequisites", D).unwrap();
        assert_eq!(quit(&sb, &t), 0);
    }
    // The engine may take a moment to remove the empty run.
    let t0 = Instant::now();
    while !sb.runs().is_empty() {
        assert!(
            t0.elapsed() < D,
            "empty sessions left runs: {:?}",
            sb.runs()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let t = open(&sb, "sandbox.toml", &[]);
    run_backup(&t);
    assert_eq!(quit(&sb, &t), 0);
    let runs = sb.runs();
    assert_eq!(runs.len(), 1, "{runs:?}");
    let st = state_of(&sb, &runs[0]);
    assert_eq!(st.finished, Some(dress::engine::event::RunOutcome::Passed));
    assert_eq!(
        st.stage_ids(),
        ["backup"],
        "only the chosen stage is reported"
    );
    let report = sb.run(&["report", &runs[0]]);
    let r = String::from_utf8_lossy(&report.stdout);
    assert!(
        !r.contains("pending"),
        "no step of a stage never chosen: {r}"
    );

    // A failing step: abort it, quit, exit code 1.
    let check = sb.dir.join("sandbox/checks/check-version.sh");
    std::fs::write(&check, "#!/bin/sh\necho 'wrong version' >&2\nexit 3\n").unwrap();
    let t = open(&sb, "sandbox.toml", &[]);
    t.wait_for("Steps of Prerequisites", D).unwrap();
    select_stage(&t, "Trial upgrade");
    t.keys(&["Enter"]).unwrap();
    t.wait_for("< No >", D).unwrap();
    t.keys(&["y"]).unwrap();
    t.wait_for("[ Abort ]", D).unwrap();
    // Choose Abort (the last answer) and leave.
    t.keys(&["Tab", "Tab", "Enter"]).unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let code = quit(&sb, &t);
    assert_eq!(code, 1, "a failed run exits 1: {}", t.screen().unwrap());
}

/// Item 4: a running step is left running in the background (d), and
/// attach brings back the question of a step that waits for an operator.
#[test]
fn leave_it_running_and_attach_brings_the_question_back() {
    if !tmux_or_skip() {
        return;
    }
    let sb = Sandbox::new();
    // The rehearsal up to verify, headless; verify from the interface.
    let o = sb.run(&[
        "run",
        "sandbox.toml",
        "--stage",
        "backup,test-env,trial-upgrade",
        "--yes",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", crate::common::text(&o));
    let t = open(&sb, "sandbox.toml", &[]);
    t.wait_for("Steps of Prerequisites", D).unwrap();
    select_stage(&t, "Verify");
    t.keys(&["Enter"]).unwrap();
    t.wait_for("The upgraded test environment was checked", D)
        .unwrap();
    // Close the question, then leave with d: nothing is cancelled.
    t.keys(&["Escape"]).unwrap();
    t.wait_for("m answer the waiting step", D).unwrap();
    t.keys(&["d"]).unwrap();
    assert_eq!(exit_code(&sb, &t), 0);
    let runs = sb.runs();
    let served = runs.last().unwrap().clone();
    let st = state_of(&sb, &served);
    assert_eq!(st.finished, None, "the run goes on in the background");
    // Attach: the question is asked again.
    let state = sb.state.to_string_lossy().into_owned();
    let a = tmux::Tmux::start(
        bin(),
        &["attach", &served, "--state-dir", &state],
        (120, 30),
        &[],
    )
    .unwrap();
    a.wait_for("The upgraded test environment was checked", D)
        .unwrap();
    // Answer it: tick, note, confirm.
    a.keys(&["Space"]).unwrap();
    a.keys(&["Tab"]).unwrap();
    a.literal("pages checked").unwrap();
    a.keys(&["Enter"]).unwrap();
    let t0 = Instant::now();
    loop {
        let st = state_of(&sb, &served);
        if st.stage_steps("verify").all(|s| s.status.is_finished()) {
            break;
        }
        assert!(t0.elapsed() < D, "not confirmed: {}", a.screen().unwrap());
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(quit(&sb, &a), 0);
}

/// Item 5: a `{ prompt = true }` secret is asked before the interface
/// opens, never echoed, and reaches the step that needs it.
#[test]
fn a_prompted_secret_is_asked_before_the_screen_and_reaches_the_step() {
    if !tmux_or_skip() {
        return;
    }
    let sb = Sandbox::new();
    let p = sb.dir.join("sandbox.toml");
    let text = std::fs::read_to_string(&p).unwrap();
    // An installation plan: its install stage hands the licence key to the
    // setup through a response file.
    std::fs::write(
        &p,
        text.replace(
            r#"licence_key = { env = "DRESS_LICENCE_KEY" }"#,
            "licence_key = { prompt = true }",
        )
        .replace("mode = \"upgrade\"", "mode = \"install\"")
        .replace(
            "after = \"trial-upgrade/setup\"",
            "after = \"install/setup\"",
        ),
    )
    .unwrap();
    let t = open(&sb, "sandbox.toml", &[]);
    t.wait_for("licence key (deployment.licence_key):", D)
        .unwrap();
    t.literal("Canary-Prompt-4417").unwrap();
    let s = t.screen().unwrap();
    assert!(!s.contains("Canary-Prompt-4417"), "echoed: {s}");
    t.keys(&["Enter"]).unwrap();
    t.wait_for("Steps of Prerequisites", D).unwrap();
    select_stage(&t, "Install");
    t.keys(&["Enter"]).unwrap();
    t.wait_for("< No >", D).unwrap();
    t.keys(&["y"]).unwrap();
    // The install stage asks first whether the summary is right.
    t.wait_for("summary is right", D).unwrap();
    t.keys(&["Space", "Enter"]).unwrap();
    let runs = {
        let t0 = Instant::now();
        loop {
            let r = sb.runs();
            if !r.is_empty() {
                break r;
            }
            assert!(t0.elapsed() < D);
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    let t0 = Instant::now();
    // The setup step ran (the sandbox's stand-in setup then finds no
    // installation to upgrade in the test folder): the secret was there.
    let setup = loop {
        let st = state_of(&sb, &runs[0]);
        if let Some(s) = st.steps.iter().find(|s| {
            s.planned.step.to_string() == "install/setup"
                && matches!(
                    s.status,
                    dress::engine::StepStatus::Passed | dress::engine::StepStatus::Failed
                )
        }) {
            break s.clone();
        }
        assert!(t0.elapsed() < D, "{}", t.screen().unwrap());
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(setup.attempts >= 1);
    assert!(
        !setup.message.contains("no answer") && !setup.message.contains("secrets missing"),
        "{}",
        setup.message
    );
    let log = std::fs::read_to_string(
        sb.state
            .join("runs")
            .join(&runs[0])
            .join("logs/install/setup.log"),
    )
    .unwrap();
    assert!(
        log.contains("Sage CRM setup (sandbox)"),
        "the setup ran: {log}"
    );
    // The canary is nowhere in the run folder.
    let mut stack = vec![sb.state.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(b) = std::fs::read(&p) {
                assert!(
                    !String::from_utf8_lossy(&b).contains("Canary-Prompt-4417"),
                    "the secret is in {}",
                    p.display()
                );
            }
        }
    }
    // Abort the failed setup (the last answer) and leave: exit code 1.
    t.wait_for("[ Abort ]", D).unwrap();
    t.keys(&["Tab", "Tab", "Enter"]).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(quit(&sb, &t), 1);
}

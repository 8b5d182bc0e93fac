//! The interface's background engine (`dress engine`, driven through its
//! control folder as the interface drives it) judges the gate and the
//! checklist's order like the command line (issue "A production gate that
//! means rehearsed", attacks 3 and 8).
#![cfg(unix)]

use std::time::{Duration, Instant};

use dress::engine::command::Command;
use dress::engine::event::{Actor, StepRef};

use crate::common::Sandbox;
use crate::gate_attacks::{append_byte, prod_version, rehearse};

/// Start `dress engine` on the sandbox, send `cmds`, wait for it to end;
/// the run's journal.
fn drive_engine(
    sb: &Sandbox,
    env: &str,
    run_id: &str,
    before: impl FnOnce(),
    cmds: &[Command],
) -> String {
    use dress::engine::control;
    let mut child = sb
        .cmd(&["engine", "sandbox.toml", "--env", env, "--run-id", run_id])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let run_dir = sb.state.join("runs").join(run_id);
    let t0 = Instant::now();
    while !control::control_dir(&run_dir).is_dir() && t0.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(50));
    }
    before();
    for c in cmds {
        control::send(&run_dir, c).unwrap();
    }
    let t0 = Instant::now();
    while child.try_wait().unwrap().is_none() && t0.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    std::fs::read_to_string(run_dir.join("journal.jsonl")).unwrap()
}

/// Attack 8 in the interface: its engine refuses a rehearsal stage whose
/// predecessors have not passed, with the same reason as the command line.
#[test]
fn the_interface_engine_refuses_stages_out_of_order() {
    let sb = Sandbox::new();
    let j = drive_engine(
        &sb,
        "test",
        "20260101-000000-test-0b0c",
        || {},
        &[
            Command::RunStage {
                stage: "trial-upgrade".into(),
                redo: false,
            },
            Command::Close,
        ],
    );
    assert!(
        j.contains("--stage trial-upgrade: the checklist runs backup, test-env before it"),
        "{j}"
    );
}

/// Attack 3: the engine judges the files it will run when production runs,
/// not the ones it saw when it started.
#[test]
fn the_interface_engine_judges_the_package_when_production_runs() {
    let sb = Sandbox::new();
    rehearse(&sb);
    let by = Actor {
        user: "t".into(),
        host: "h".into(),
    };
    let j = drive_engine(
        &sb,
        "production",
        "20260101-000000-production-0a0b",
        || append_byte(&sb.dir.join("sandbox/setup/crm-setup.sh")),
        &[
            Command::RunStage {
                stage: "backup".into(),
                redo: false,
            },
            Command::RunStage {
                stage: "production".into(),
                redo: false,
            },
            Command::Confirm {
                step: StepRef::new("production", "users-off"),
                note: "ok".into(),
                by,
            },
            Command::Close,
        ],
    );
    assert_eq!(prod_version(&sb), "2025.2", "{j}");
    assert!(j.contains("production is locked"), "{j}");
}

/// The interface's engine has no --allow-unencrypted-sql: a stage that would
/// send the production SQL login in clear text is refused before any of its
/// steps runs.
#[test]
fn the_interface_engine_refuses_a_production_login_in_clear_text() {
    let sb = Sandbox::new();
    let p = sb.dir.join("sandbox.toml");
    let text = std::fs::read_to_string(&p).unwrap();
    let sql = "\n[environments.production.sql]\nserver = \"127.0.0.1,1\"\ndatabase = \"CRMSANDBOX\"\nlogin = \"sa\"\npassword = { env = \"DRESS_LICENCE_KEY\" }\nencryption = \"not-supported\"\n";
    let text = text.replacen(
        "\n[environments.test]",
        &format!("{sql}\n[environments.test]"),
        1,
    );
    std::fs::write(&p, text).unwrap();
    let j = drive_engine(
        &sb,
        "test",
        "20260101-000000-test-0c1e",
        || {},
        &[
            Command::RunStage {
                stage: "backup".into(),
                redo: false,
            },
            Command::Close,
        ],
    );
    assert!(j.contains("in clear text"), "{j}");
    assert!(j.contains("--allow-unencrypted-sql"), "{j}");
    assert!(
        !j.contains("\"step\":\"program-files\"") || !j.contains("archived"),
        "nothing of the stage ran: {j}"
    );
    assert!(
        !sb.dir
            .join("sandbox/work/backups")
            .read_dir()
            .is_ok_and(|mut d| d.next().is_some()),
        "no archive was written"
    );
}

//! `recipe.setup.logs`: the log files the setup writes are collected into
//! the run's `logs/` once it ended, passed or failed. Real binary on the
//! sandbox example with a setup that writes a log.
#![cfg(unix)]

use crate::common;

use std::os::unix::fs::PermissionsExt;

use common::{Sandbox, text};

const SETUP: &str = r#"#!/bin/sh
mkdir -p sandbox/work
printf 'setup started\nupgrading %s\nerror 1603: %s\n' "$DRESS_INSTALLATION" "$FAKE_WHY" > sandbox/work/setup.log
printf '2026.1\n' > "$DRESS_INSTALL_DIR/version.txt"
exit ${FAKE_EXIT:-0}
"#;

fn sandbox() -> Sandbox {
    let sb = Sandbox::new();
    let script = sb.dir.join("sandbox/setup/logging-setup.sh");
    std::fs::write(&script, SETUP).unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let p = sb.dir.join("sandbox.toml");
    let plan = std::fs::read_to_string(&p).unwrap().replace(
        "package = \"sandbox/setup/crm-setup.sh\"",
        "package = \"sandbox/setup/logging-setup.sh\"\nlogs = [\"sandbox/work/setup.log\", \"sandbox/work/never-written.log\"]",
    );
    assert!(plan.contains("logging-setup.sh"));
    std::fs::write(&p, plan).unwrap();
    sb
}

fn collected(sb: &Sandbox, run: &str) -> std::path::PathBuf {
    sb.state
        .join("runs")
        .join(run)
        .join("logs/trial-upgrade/setup.files/setup.log")
}

#[test]
fn the_setup_logs_are_collected_whether_it_passed_or_failed() {
    for (exit, why) in [("0", "none"), ("7", "disk full")] {
        let sb = sandbox();
        let o = sb
            .cmd(&["run", "sandbox.toml", "--stage", "rehearsal", "--yes"])
            .env("FAKE_EXIT", exit)
            .env("FAKE_WHY", why)
            .output()
            .unwrap();
        let t = text(&o);
        let want = if exit == "0" { 3 } else { 1 };
        assert_eq!(o.status.code(), Some(want), "{t}");
        let run = sb.runs().pop().unwrap();
        let copy = collected(&sb, &run);
        let body = std::fs::read_to_string(&copy)
            .unwrap_or_else(|e| panic!("exit {exit}: {} not collected ({e}): {t}", copy.display()));
        assert!(body.contains(&format!("error 1603: {why}")), "{body}");
        let mode = std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "exit {exit}");
        let step_log = std::fs::read_to_string(
            sb.state
                .join("runs")
                .join(&run)
                .join("logs/trial-upgrade/setup.log"),
        )
        .unwrap();
        assert!(
            step_log.contains("never-written.log was not collected"),
            "{step_log}"
        );
    }
}

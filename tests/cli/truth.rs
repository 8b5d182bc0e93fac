//! `dress run` tells the truth before and after: every secret is read or
//! asked before the first step, an answer for a step that does not exist is
//! refused, and a failure says why without -v.

use crate::common;

use common::{Sandbox, text};

/// The sandbox as an installation plan: its install stage hands the
/// licence key to the setup through a response file.
fn as_install(sb: &Sandbox) {
    edit_plan(sb, "mode = \"upgrade\"", "mode = \"install\"");
    edit_plan(
        sb,
        "after = \"trial-upgrade/setup\"",
        "after = \"install/setup\"",
    );
}

fn edit_plan(sb: &Sandbox, from: &str, to: &str) {
    let p = sb.dir.join("sandbox.toml");
    let t = std::fs::read_to_string(&p).unwrap();
    assert!(t.contains(from), "the sandbox plan has {from}");
    std::fs::write(&p, t.replace(from, to)).unwrap();
}

#[test]
fn a_prompted_secret_without_a_terminal_is_refused_before_anything_runs() {
    let sb = Sandbox::new();
    as_install(&sb);
    edit_plan(
        &sb,
        r#"licence_key = { env = "DRESS_LICENCE_KEY" }"#,
        "licence_key = { prompt = true }",
    );
    let o = sb
        .cmd(&[
            "run",
            "sandbox.toml",
            "--stage",
            "prerequisites,install",
            "--yes",
        ])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(t.contains("deployment.licence_key"), "{t}");
    assert!(t.contains("{ env = \"NAME\" }"), "the fix is given: {t}");
    assert!(
        !t.contains("no answer was given"),
        "the old, false message: {t}"
    );
    assert!(sb.runs().is_empty(), "nothing ran, no run: {:?}", sb.runs());
}

#[test]
fn every_missing_secret_is_listed_at_once() {
    let sb = Sandbox::new();
    as_install(&sb);
    let o = sb
        .cmd(&[
            "run",
            "sandbox.toml",
            "--stage",
            "prerequisites,install",
            "--yes",
        ])
        .env_remove("DRESS_LICENCE_KEY")
        .output()
        .unwrap();
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(t.contains("DRESS_LICENCE_KEY is not set"), "{t}");
    assert!(sb.runs().is_empty(), "the prerequisites did not run first");
}

#[test]
fn an_answer_for_an_unknown_manual_step_is_refused_with_the_list() {
    let sb = Sandbox::new();
    let o = sb.run(&[
        "run",
        "sandbox.toml",
        "--stage",
        "rehearsal",
        "--yes",
        "--confirm",
        "signoff=pages checked",
    ]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(t.contains("--confirm signoff"), "{t}");
    assert!(
        t.contains("verify/sign-off"),
        "the manual steps are listed: {t}"
    );
    assert!(sb.runs().is_empty());
}

#[test]
fn a_failed_step_prints_its_last_error_lines_without_verbose() {
    let sb = Sandbox::new();
    // The version check of the trial upgrade fails with its reason on stderr.
    let check = sb.dir.join("sandbox/checks/check-version.sh");
    std::fs::write(
        &check,
        "#!/bin/sh\necho 'checking the version' \necho 'CustomPages/Reports/Pipeline.asp is missing' >&2\nexit 4\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&check, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let o = sb.run(&[
        "run",
        "sandbox.toml",
        "--stage",
        "rehearsal",
        "--yes",
        "--confirm",
        "sign-off=ok",
    ]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(
        t.contains("| CustomPages/Reports/Pipeline.asp is missing"),
        "the reason shows under the failure: {t}"
    );
    assert!(
        !t.contains("| checking the version"),
        "only the error stream: {t}"
    );
}

#[test]
fn redo_of_an_unknown_stage_is_refused() {
    let sb = Sandbox::new();
    let o = sb.run(&[
        "run",
        "sandbox.toml",
        "--stage",
        "backup",
        "--yes",
        "--redo",
        "bakup",
    ]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(t.contains("--redo bakup"), "{t}");
}

#[test]
fn redo_of_a_stage_does_its_work_again() {
    let sb = Sandbox::new();
    let o = sb.run(&[
        "run",
        "sandbox.toml",
        "--stage",
        "backup",
        "--yes",
        "--redo",
        "backup",
    ]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}");
    assert!(t.contains("archived 6 files"), "{t}");
    assert!(!t.contains("already in place"), "redo redoes: {t}");
}

#[test]
fn errors_say_what_was_looked_for_where_and_what_to_do() {
    let sb = Sandbox::new();
    let o = sb.run(&["report", "20260101-000000-test-abcd"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(
        t.contains("not found in") && t.contains("dress runs"),
        "{t}"
    );
    assert!(!t.contains("os error"), "no raw system error: {t}");

    for hostile in ["../../elsewhere/run", "..", "a/b", ""] {
        let o = sb.run(&["run", "--resume", hostile]);
        let t = text(&o);
        assert_eq!(o.status.code(), Some(2), "{hostile}: {t}");
        assert!(t.contains("is not a run id"), "{hostile}: {t}");
    }

    let o = sb.run(&["nothere.toml"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(
        t.contains("no such plan file") && t.contains("dress new"),
        "{t}"
    );

    std::fs::write(
        sb.dir.join("nothing.toml"),
        "[deployment]\ncompany = \"A\"\ninstallation = \"CRMA\"\n",
    )
    .unwrap();
    let o = sb.run(&["plan", "validate", "nothing.toml"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(t.contains("nothing.toml:1:1: environments:"), "{t}");
    assert!(t.contains("add [environments.test]"), "{t}");
}

#[test]
fn completions_and_the_manual_come_from_the_same_definitions_as_help() {
    let sb = Sandbox::new();
    let help = text(&sb.run(&["--help"]));
    let man = sb.run(&["man"]);
    assert_eq!(man.status.code(), Some(0));
    let man = String::from_utf8_lossy(&man.stdout).into_owned();
    assert!(man.contains(".TH dress"), "{man}");
    let bash = sb.run(&["completions", "bash"]);
    assert_eq!(bash.status.code(), Some(0));
    let bash = String::from_utf8_lossy(&bash.stdout).into_owned();
    for c in ["run", "plan", "runs", "attach", "report", "topology", "new"] {
        assert!(help.contains(&format!("\n  {c} ")), "--help lists {c}");
        assert!(man.contains(c), "the manual lists {c}");
        assert!(bash.contains(c), "the completions know {c}");
    }
    let o = sb.run(&["completions", "cmd.exe"]);
    assert_eq!(o.status.code(), Some(2), "an unknown shell is bad input");
}

#[test]
fn runs_lists_aligned_columns_and_json() {
    let sb = Sandbox::new();
    let o = sb.run(&["run", "sandbox.toml", "--stage", "backup", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = sb.run(&["runs"]);
    let t = String::from_utf8_lossy(&o.stdout).into_owned();
    let lines: Vec<&str> = t.lines().collect();
    assert_eq!(lines.len(), 2, "{t}");
    for col in [
        "state", "env", "plan", "stages", "started", "duration", "owner",
    ] {
        let h = lines[0]
            .find(col)
            .unwrap_or_else(|| panic!("no {col} column: {t}"));
        let _ = h;
    }
    // The state column starts at the same place on every line.
    let at = lines[0].find("state").unwrap();
    assert_eq!(&lines[1][at..at + 6], "passed", "{t}");
    assert!(
        lines[1].contains("sandbox.toml") && lines[1].contains("backup"),
        "{t}"
    );
    let o = sb.run(&["runs", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v[0]["state"], "passed");
    assert_eq!(v[0]["stages"][0], "backup");
}

#[test]
fn prune_keeps_the_newest_and_what_the_gate_relies_on() {
    let sb = Sandbox::new();
    // A passed rehearsal, then three backups.
    let o = sb.run(&[
        "run",
        "sandbox.toml",
        "--stage",
        "rehearsal",
        "--yes",
        "--confirm",
        "sign-off=ok",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    for _ in 0..3 {
        let o = sb.run(&["run", "sandbox.toml", "--stage", "backup", "--yes"]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    }
    let before = sb.runs();
    assert_eq!(before.len(), 4);
    let o = sb.run(&["runs", "prune", "--keep", "1"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let after = sb.runs();
    assert!(after.contains(&before[0]), "the rehearsal stays: {after:?}");
    assert!(after.contains(&before[3]), "the newest stays: {after:?}");
    assert_eq!(after.len(), 2, "{after:?}");
    assert!(text(&o).contains("2 runs removed"), "{}", text(&o));
}

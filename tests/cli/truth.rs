//! `dress run` tells the truth before and after: every secret is read or
//! asked before the first step, an answer for a step that does not exist is
//! refused, and a failure says why without -v.

use crate::common;

use common::{Sandbox, text};

fn edit_plan(sb: &Sandbox, from: &str, to: &str) {
    let p = sb.dir.join("sandbox.toml");
    let t = std::fs::read_to_string(&p).unwrap();
    assert!(t.contains(from), "the sandbox plan has {from}");
    std::fs::write(&p, t.replace(from, to)).unwrap();
}

#[test]
fn a_prompted_secret_without_a_terminal_is_refused_before_anything_runs() {
    let sb = Sandbox::new();
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
fn redo_does_the_work_again_and_a_rerun_says_what_it_kept() {
    let sb = Sandbox::new();
    let o = sb.run(&["run", "sandbox.toml", "--stage", "backup", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // The same stage again: the archive is in place and unchanged: kept.
    let o = sb.run(&["run", "sandbox.toml", "--stage", "backup", "--yes"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}");
    assert!(t.contains("already in place"), "{t}");
    // --redo backup archives again.
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
    assert!(!t.contains("already in place"), "redo redoes: {t}");
    assert!(t.contains("archived"), "{t}");
}

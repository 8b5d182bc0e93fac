//! The production gate attacked from outside, with no file of the state
//! folder edited: each way production was reached without a real rehearsal
//! (issue "A production gate that means rehearsed").
#![cfg(unix)]

use std::path::Path;

use crate::common;

use common::{Sandbox, text};

pub(crate) const PRODUCTION: &[&str] = &[
    "run",
    "sandbox.toml",
    "--stage",
    "backup,production",
    "--env",
    "production",
    "--yes",
    "--confirm",
    "users-off=announced",
];

pub(crate) fn prod_version(sb: &Sandbox) -> String {
    std::fs::read_to_string(sb.dir.join("sandbox/production/CRM/version.txt"))
        .unwrap()
        .trim()
        .to_string()
}

pub(crate) fn rehearse(sb: &Sandbox) -> String {
    let o = sb.run(&[
        "run",
        "sandbox.toml",
        "--stage",
        "rehearsal",
        "--yes",
        "--confirm",
        "sign-off=pages checked",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    sb.runs().pop().unwrap()
}

pub(crate) fn append_byte(p: &Path) {
    let mut b = std::fs::read(p).unwrap();
    b.push(b'\n');
    std::fs::write(p, b).unwrap();
}

pub(crate) fn journal(sb: &Sandbox, run: &str) -> String {
    std::fs::read_to_string(sb.state.join("runs").join(run).join("journal.jsonl")).unwrap()
}

/// Attack 1: a run of the verify stage alone (one manual sign-off) is not a
/// rehearsal; neither is it accepted without its predecessors.
#[test]
fn verify_alone_does_not_open_production() {
    let sb = Sandbox::new();
    let o = sb.run(&[
        "run",
        "sandbox.toml",
        "--stage",
        "verify",
        "--yes",
        "--confirm",
        "sign-off=looks fine",
    ]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(t.contains("--out-of-order"), "{t}");
    // Even when forced, the sign-off alone opens nothing.
    let o = sb.run(&[
        "run",
        "sandbox.toml",
        "--stage",
        "verify",
        "--yes",
        "--confirm",
        "sign-off=looks fine",
        "--out-of-order",
        "checking the sign-off dialog",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = sb.run(PRODUCTION);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(
        t.contains("production is locked") && t.contains("backup"),
        "{t}"
    );
    assert_eq!(prod_version(&sb), "2025.2");
}

/// Attack 2: a production run waiting at users-off, resumed after the setup
/// package was replaced, must not run the new package.
#[test]
fn resume_judges_the_gate_against_the_package_that_would_run() {
    let sb = Sandbox::new();
    rehearse(&sb);
    let o = sb.run(&PRODUCTION[..PRODUCTION.len() - 2]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    let run = sb.runs().pop().unwrap();
    append_byte(&sb.dir.join("sandbox/setup/crm-setup.sh"));
    let o = sb.run(&[
        "run",
        "--resume",
        &run,
        "--confirm",
        "users-off=ok",
        "--yes",
    ]);
    let t = text(&o);
    assert_ne!(o.status.code(), Some(0), "{t}");
    assert!(t.contains("production is locked"), "{t}");
    assert_eq!(prod_version(&sb), "2025.2");
}

/// Attack 2 again: the run's own copy of its plan edited by hand.
#[test]
fn resume_from_an_edited_plan_copy_is_refused() {
    let sb = Sandbox::new();
    rehearse(&sb);
    let o = sb.run(&PRODUCTION[..PRODUCTION.len() - 2]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    let run = sb.runs().pop().unwrap();
    // Another package next to the rehearsed one, named by the copy; the
    // original plan moved away so that the copy is what the run goes on with.
    let setup = std::fs::read_to_string(sb.dir.join("sandbox/setup/crm-setup.sh")).unwrap();
    std::fs::write(
        sb.dir.join("sandbox/setup/other.sh"),
        setup.replace("2026.1", "9999"),
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        let p = sb.dir.join("sandbox/setup/other.sh");
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let copy = sb.state.join("runs").join(&run).join("plan.toml");
    let edited = std::fs::read_to_string(&copy)
        .unwrap()
        .replace("setup/crm-setup.sh", "setup/other.sh");
    std::fs::write(&copy, edited).unwrap();
    std::fs::rename(sb.dir.join("sandbox.toml"), sb.dir.join("moved.toml")).unwrap();
    let o = sb.run(&[
        "run",
        "--resume",
        &run,
        "--confirm",
        "users-off=ok",
        "--yes",
    ]);
    let t = text(&o);
    assert_ne!(o.status.code(), Some(0), "{t}");
    assert_eq!(prod_version(&sb), "2025.2", "{t}");
    assert!(t.contains("production is locked"), "{t}");
}

/// Attack 2 again: a run folder put together by hand (a copy of a waiting
/// production run whose plan names another package) is judged like any run.
#[test]
fn a_run_folder_written_by_hand_is_judged_like_any_run() {
    let sb = Sandbox::new();
    rehearse(&sb);
    let o = sb.run(&PRODUCTION[..PRODUCTION.len() - 2]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    let run = sb.runs().pop().unwrap();
    let forged = "20300101-000000-production-0f0f";
    let from = sb.state.join("runs").join(&run);
    let to = sb.state.join("runs").join(forged);
    std::fs::create_dir_all(&to).unwrap();
    let j = std::fs::read_to_string(from.join("journal.jsonl"))
        .unwrap()
        .replace(&run, forged);
    std::fs::write(to.join("journal.jsonl"), j).unwrap();
    let setup = std::fs::read_to_string(sb.dir.join("sandbox/setup/crm-setup.sh")).unwrap();
    let other = sb.dir.join("sandbox/setup/other.sh");
    std::fs::write(&other, setup.replace("2026.1", "9999")).unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&other, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let plan = std::fs::read_to_string(from.join("plan.toml"))
        .unwrap()
        .replace("setup/crm-setup.sh", "setup/other.sh");
    std::fs::write(to.join("plan.toml"), &plan).unwrap();
    std::fs::write(sb.dir.join("sandbox.toml"), &plan).unwrap();
    let o = sb.run(&[
        "run",
        "--resume",
        forged,
        "--confirm",
        "users-off=ok",
        "--yes",
    ]);
    let t = text(&o);
    assert_ne!(o.status.code(), Some(0), "{t}");
    assert!(t.contains("production is locked"), "{t}");
    assert_eq!(prod_version(&sb), "2025.2");
}

/// Attack 4: a wrapper program rewritten after the rehearsal is a new recipe.
#[test]
fn a_rewritten_setup_program_closes_the_gate() {
    let sb = Sandbox::new();
    let wrapper = sb.dir.join("sandbox/setup/wrapper.sh");
    std::fs::write(
        &wrapper,
        "#!/bin/sh\nexec sh \"$(dirname \"$0\")/crm-setup.sh\"\n",
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let plan = sb.dir.join("sandbox.toml");
    let t = std::fs::read_to_string(&plan).unwrap().replace(
        "package = \"sandbox/setup/crm-setup.sh\"",
        "package = \"sandbox/setup/crm-setup.sh\"\nprogram = \"sandbox/setup/wrapper.sh\"",
    );
    std::fs::write(&plan, t).unwrap();
    rehearse(&sb);
    let mut w = std::fs::read_to_string(&wrapper).unwrap();
    w.push_str("# rewritten\n");
    std::fs::write(&wrapper, w).unwrap();
    let o = sb.run(PRODUCTION);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(t.contains("production is locked"), "{t}");
    assert_eq!(prod_version(&sb), "2025.2");
}

/// Attack 4: another deployment with the same recipe was never rehearsed.
#[test]
fn another_deployment_with_the_same_recipe_is_not_rehearsed() {
    let sb = Sandbox::new();
    rehearse(&sb);
    common::copy_tree(
        &sb.dir.join("sandbox/production"),
        &sb.dir.join("sandbox/other"),
    );
    let other = std::fs::read_to_string(sb.dir.join("sandbox.toml"))
        .unwrap()
        .replace(
            "installation = \"CRMSANDBOX\"",
            "installation = \"CRMOTHER\"",
        )
        .replace("sandbox/production/CRM", "sandbox/other/CRM");
    std::fs::write(sb.dir.join("other.toml"), other).unwrap();
    let mut args = PRODUCTION.to_vec();
    args[1] = "other.toml";
    let o = sb.run(&args);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(t.contains("production is locked"), "{t}");
    let v = std::fs::read_to_string(sb.dir.join("sandbox/other/CRM/version.txt")).unwrap();
    assert_eq!(v.trim(), "2025.2");
}

/// Attack 5: run ids are names, never paths.
#[test]
fn run_ids_that_are_paths_are_refused() {
    let sb = Sandbox::new();
    let cases: Vec<Vec<&str>> = vec![
        vec!["run", "--resume", "../../elsewhere/run", "--yes"],
        vec![
            "run",
            "sandbox.toml",
            "--stage",
            "prerequisites",
            "--yes",
            "--run-id",
            "../../x",
        ],
        vec!["attach", "../x"],
        vec!["report", "../../x"],
        vec!["run", "--resume", "/tmp", "--yes"],
    ];
    for args in cases {
        let o = sb.run(&args);
        let t = text(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {t}");
        assert!(t.contains("is not a run id"), "{args:?}: {t}");
    }
    assert!(!sb._tmp.path().join("x").exists());
    assert!(!sb.dir.parent().unwrap().join("x").exists());
}

/// Attack 8: stages out of order are refused with the reason, unless the
/// operator says why (journalled).
#[test]
fn stages_out_of_order_are_refused_unless_a_reason_is_given() {
    let sb = Sandbox::new();
    let o = sb.run(&["run", "sandbox.toml", "--stage", "trial-upgrade", "--yes"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(
        t.contains("trial-upgrade") && t.contains("backup") && t.contains("--out-of-order"),
        "{t}"
    );
    let o = sb.run(&[
        "run",
        "sandbox.toml",
        "--stage",
        "trial-upgrade",
        "--yes",
        "--out-of-order",
        "setup smoke test",
    ]);
    // It ran (and failed: there is no test installation to upgrade).
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let run = sb.runs().pop().unwrap();
    assert!(journal(&sb, &run).contains("setup smoke test"));
    // An upgrade plan has no Install stage.
    let o = sb.run(&["run", "sandbox.toml", "--stage", "install", "--yes"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(
        t.contains("recipe.mode = \"upgrade\" has no install stage"),
        "{t}"
    );
    let o = sb.run(&["plan", "show", "sandbox.toml"]);
    assert!(!text(&o).contains("[install]"), "{}", text(&o));
}

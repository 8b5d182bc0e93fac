//! Golden tests for plan files: every valid plan loads without a diagnostic;
//! every invalid plan produces exactly the text of its `.expected` file.
//!
//! To see the actual output of an invalid plan, run with
//! `DRESS_PRINT_DIAGNOSTICS=1 cargo test --test plan_golden -- --nocapture`.

use std::fs;
use std::path::{Path, PathBuf};

use dress::model::load::load_plan;

fn plans(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    v.sort();
    v
}

fn rendered(path: &Path) -> String {
    match load_plan(path) {
        Ok(_) => String::new(),
        Err(diags) => diags.iter().map(|d| format!("{d}\n")).collect(),
    }
}

#[test]
fn valid_plans_load_without_diagnostics() {
    let files = plans("tests/plans/valid");
    assert!(files.len() >= 4, "expected at least 4 valid plans");
    for f in files {
        if let Err(d) = load_plan(&f) {
            let text: Vec<String> = d.iter().map(|d| d.to_string()).collect();
            panic!("{} should be valid:\n{}", f.display(), text.join("\n"));
        }
    }
}

#[test]
fn invalid_plans_match_their_expected_text() {
    let files = plans("tests/plans/invalid");
    assert!(files.len() >= 15, "expected at least 15 invalid plans");
    let mut failures = Vec::new();
    for f in files {
        let got = rendered(&f);
        if std::env::var_os("DRESS_PRINT_DIAGNOSTICS").is_some() {
            println!("== {}\n{got}", f.display());
        }
        assert!(
            !got.is_empty(),
            "{} loaded without diagnostics",
            f.display()
        );
        let expected_path = f.with_extension("expected");
        let expected = fs::read_to_string(&expected_path).unwrap_or_default();
        if got != expected {
            failures.push(format!(
                "{}:\n--- expected\n{expected}--- got\n{got}",
                f.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_invalid_plan_has_an_expected_file_and_back() {
    for f in plans("tests/plans/invalid") {
        assert!(
            f.with_extension("expected").exists(),
            "{} has no .expected",
            f.display()
        );
    }
    for e in fs::read_dir("tests/plans/invalid").unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "expected") {
            assert!(
                p.with_extension("toml").exists(),
                "{} has no plan",
                p.display()
            );
        }
    }
}

#[test]
fn loaded_plan_keeps_source_and_feeds_the_lb_settings() {
    let path = Path::new("tests/plans/valid/full-three-web-servers.toml");
    let loaded = load_plan(path).unwrap();
    assert_eq!(loaded.path, path);
    assert_eq!(loaded.source, fs::read_to_string(path).unwrap());
    let prod = loaded.plan.environments.production.as_ref().unwrap();
    let lb = dress::model::topology::derive_lb_settings(&prod.servers);
    assert_eq!(lb.crm_server_names, "WEB1;WEB2;WEB3");
    assert_eq!(lb.ipv6_addresses, "fd00:b1::11;fd00:b1::12;fd00:b1::13");
    assert_eq!(lb.fqdn_names, "web1.bijou.local;WEB2;web3.bijou.local");
    assert_eq!(lb.dtls_server, "WEB1");
    assert!(lb.perform_load_balancing);
    let anchors = dress::model::validate::extra_step_anchors(&loaded.plan);
    assert_eq!(anchors[0], (0, "backup/registry".to_string()));
}

#[test]
fn unreadable_file_is_a_diagnostic() {
    let d = load_plan("tests/plans/no-such-plan.toml").unwrap_err();
    assert_eq!(d.len(), 1);
    let text = d[0].to_string();
    assert!(
        text.starts_with("tests/plans/no-such-plan.toml:1:1: plan: the file cannot be read ("),
        "{text}"
    );
}

/// `dress plan validate` on plans whose problems only stage building or
/// reading the bytes finds: every line is `FILE:LINE:COL: field: ...` and
/// matches its `.expected` file.
#[test]
fn build_and_encoding_errors_are_located() {
    let files = plans("tests/plans/located");
    assert!(files.len() >= 4, "expected at least 4 located plans");
    let mut failures = Vec::new();
    for f in files {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_dress"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["plan", "validate"])
            .arg(&f)
            .output()
            .unwrap();
        let got = String::from_utf8_lossy(&o.stderr).into_owned();
        if std::env::var_os("DRESS_PRINT_DIAGNOSTICS").is_some() {
            println!("== {}\n{got}", f.display());
        }
        assert_eq!(o.status.code(), Some(2), "{}: {got}", f.display());
        for line in got.lines() {
            let mut parts = line.splitn(4, ':');
            let (file, l, c) = (parts.next(), parts.next(), parts.next());
            assert!(
                file == Some(f.to_str().unwrap())
                    && l.is_some_and(|l| l.parse::<usize>().is_ok_and(|n| n > 0))
                    && c.is_some_and(|c| c.parse::<usize>().is_ok_and(|n| n > 0)),
                "not FILE:LINE:COL: {line}"
            );
        }
        let expected = fs::read_to_string(f.with_extension("expected")).unwrap_or_default();
        if got != expected {
            failures.push(format!(
                "{}:\n--- expected\n{expected}--- got\n{got}",
                f.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `dress run` says the same, at the same place, before anything runs.
#[test]
fn dress_run_locates_them_too() {
    let state = tempfile::tempdir().unwrap();
    for name in ["unknown-anchor", "invalid-utf8"] {
        let f = format!("tests/plans/located/{name}.toml");
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_dress"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("DRESS_STATE_DIR", state.path())
            .args([
                "run",
                &f,
                "--env",
                "production",
                "--stage",
                "backup",
                "--yes",
            ])
            .output()
            .unwrap();
        let got = String::from_utf8_lossy(&o.stderr).into_owned();
        assert_eq!(o.status.code(), Some(2), "{name}: {got}");
        let expected = fs::read_to_string(format!("tests/plans/located/{name}.expected")).unwrap();
        assert!(
            got.contains(expected.trim()),
            "{name}:\n--- expected\n{expected}--- got\n{got}"
        );
    }
    assert!(
        !state.path().join("runs").exists(),
        "a run was started for a plan with errors"
    );
}

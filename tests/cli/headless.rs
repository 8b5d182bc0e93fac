//! The headless command line: exit codes for bad input, JSON lines, the
//! dry run with its SQL, and the environment lock.

use crate::common;

use std::process::Command;

use common::{Sandbox, text};

fn dress(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_dress"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env(
            "DRESS_STATE_DIR",
            std::env::temp_dir().join("dress-headless-cli-unused"),
        )
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn bad_input_exits_with_2_and_says_how_to_fix_it() {
    let o = dress(&["run", "examples/sandbox.toml", "--stage", "nope", "--yes"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o).contains("--stage nope: there is no such stage"),
        "{}",
        text(&o)
    );

    let o = dress(&["run", "examples/sandbox.toml", "--yes"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("--stage"), "{}", text(&o));

    let o = dress(&[
        "run",
        "tests/fixtures/plans/invalid/literal-password.toml",
        "--stage",
        "backup",
        "--yes",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o).contains("literal-password.toml:")
            && text(&o).contains("a secret cannot be written in the plan"),
        "{}",
        text(&o)
    );

    let o = dress(&[
        "run",
        "examples/sandbox.toml",
        "--stage",
        "production",
        "--yes",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("add --env production"), "{}", text(&o));

    let o = dress(&[
        "run",
        "examples/sandbox.toml",
        "--stage",
        "backup",
        "--on-failure",
        "sometimes",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("use abort or retry:N"), "{}", text(&o));
}

#[test]
fn without_yes_and_without_a_terminal_nothing_that_changes_runs() {
    let sb = Sandbox::new();
    let o = sb
        .cmd(&["run", "sandbox.toml", "--stage", "backup"])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o).contains("backup/program-files") && text(&o).contains("--yes"),
        "{}",
        text(&o)
    );
    assert!(sb.runs().is_empty(), "no run was created");
}

#[test]
fn json_lines_carry_every_journalled_event() {
    let sb = Sandbox::new();
    let o = sb.run(&[
        "run",
        "sandbox.toml",
        "--stage",
        "backup",
        "--yes",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let types: Vec<&str> = lines
        .iter()
        .filter_map(|v| v["event"]["type"].as_str())
        .collect();
    assert_eq!(types.first(), Some(&"RunStarted"));
    assert_eq!(types.last(), Some(&"RunFinished"));
    let journal = std::fs::read_to_string(
        sb.state
            .join("runs")
            .join(&sb.runs()[0])
            .join("journal.jsonl"),
    )
    .unwrap();
    assert_eq!(
        types.len(),
        journal.lines().count(),
        "one JSON line per journal record"
    );
}

#[test]
fn plan_show_prints_the_sql_with_secrets_masked() {
    let o = Command::new(env!("CARGO_BIN_EXE_dress"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("DRESS_SQL_PASSWORD", "Canary-Show-9031")
        .args([
            "plan",
            "show",
            "examples/crm.toml",
            "--env",
            "production",
            "--stage",
            "backup",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let t = text(&o);
    assert!(
        t.contains(
            "BACKUP DATABASE [CRMSAGE] TO DISK = @P1 WITH COPY_ONLY, CHECKSUM, INIT, NAME = @P2, STATS = 10"
        ),
        "{t}"
    );
    assert!(t.contains("FROM MSDB.DBO.BACKUPSET AS BS"), "{t}");
    assert!(
        t.contains("RESTORE VERIFYONLY FROM DISK = @P1 WITH CHECKSUM"),
        "{t}"
    );
    assert!(!t.contains("Canary-Show-9031"));
}

#[test]
fn a_second_run_on_the_same_environment_is_refused_while_the_first_holds_the_lock() {
    let sb = Sandbox::new();
    let install = sb.dir.join("sandbox/work/test/CRM");
    let lock = dress::engine::lock::acquire_dir(&install, "test", "holder-run", false).unwrap();
    let o = sb.run(&["run", "sandbox.toml", "--stage", "backup", "--yes"]);
    assert_eq!(
        o.status.code(),
        Some(4),
        "a held lock has its own exit code"
    );
    assert!(
        text(&o).contains("in use by run holder-run"),
        "{}",
        text(&o)
    );
    drop(lock);
    // What a run that is gone left (its owner file) holds nothing: the
    // lock is the system's and died with its process.
    let path = dress::engine::lock::lock_path(&install);
    let host = hostname::get().unwrap().to_string_lossy().into_owned();
    let stale = serde_json::json!({"host": host, "user": "x", "pid": 4_000_000_000u32, "started": 0, "run_id": "gone-run"});
    std::fs::write(path.with_extension("owner"), stale.to_string()).unwrap();
    let o = sb.run(&["run", "sandbox.toml", "--stage", "backup", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // --break-stale-lock is still accepted and breaks nothing.
    let o = sb.run(&[
        "run",
        "sandbox.toml",
        "--stage",
        "backup",
        "--yes",
        "--break-stale-lock",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        !path.with_extension("owner").exists(),
        "the owner file is removed at the end of the run"
    );
}

#[test]
fn help_names_every_command() {
    let o = dress(&["--help"]);
    let t = text(&o);
    for c in ["run", "plan", "runs", "attach", "report"] {
        assert!(t.contains(&format!("\n  {c} ")), "--help misses {c}: {t}");
    }
    assert!(
        !t.contains("\n  engine "),
        "the internal engine command stays hidden"
    );
}

#[cfg(not(windows))]
#[test]
fn service_steps_are_not_applicable_off_windows_and_say_so() {
    let sb = Sandbox::new();
    let plan = std::fs::read_to_string(sb.dir.join("sandbox.toml")).unwrap()
        + "\n[[recipe.steps]]\nid = \"stop-iis\"\nbefore = \"trial-upgrade/setup\"\nkind = \"service.stop\"\nservice = \"W3SVC\"\n";
    std::fs::write(sb.dir.join("svc.toml"), plan).unwrap();
    let show = text(&sb.run(&["plan", "show", "svc.toml", "--stage", "trial-upgrade"]));
    assert!(
        show.contains("trial-upgrade/stop-iis") && show.contains("sc.exe stop \"W3SVC\""),
        "{show}"
    );
    let o = sb.run(&[
        "run",
        "svc.toml",
        "--stage",
        "trial-upgrade",
        "--yes",
        "--out-of-order",
        "service steps off Windows",
    ]);
    let t = text(&o);
    assert!(
        t.contains("trial-upgrade/stop-iis")
            && t.contains("skipped")
            && t.contains("no Windows service manager"),
        "{t}"
    );
}

#[test]
fn a_backup_run_again_writes_its_own_generation_and_leaves_the_first() {
    let sb = Sandbox::new();
    let o = sb.run(&["run", "sandbox.toml", "--stage", "backup", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let first = sb.runs().pop().unwrap();
    let archive = |run: &str| {
        sb.dir.join(format!(
            "sandbox/work/backups/CRMSANDBOX-{run}-program-files.tar"
        ))
    };
    let before = std::fs::metadata(archive(&first))
        .unwrap()
        .modified()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let o = sb.run(&["run", "sandbox.toml", "--stage", "backup", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let second = sb.runs().pop().unwrap();
    assert_ne!(first, second);
    assert!(archive(&second).is_file(), "{}", text(&o));
    assert_eq!(
        std::fs::metadata(archive(&first))
            .unwrap()
            .modified()
            .unwrap(),
        before,
        "the first generation was not rewritten"
    );
}

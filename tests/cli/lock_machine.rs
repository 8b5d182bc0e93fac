//! The lock protects the environment, not the state folder: keyed by the
//! resolved install folder, in a folder every dress on the machine sees,
//! taken atomically, released by the system when its process ends. Real
//! binary, many processes at once, planted links.
#![cfg(unix)]

use crate::common;

use std::path::Path;
use std::process::{Child, Command, Stdio};

use common::{Sandbox, text};

/// The sandbox plan with a first step that keeps the lock a few seconds.
fn slow_sandbox() -> Sandbox {
    let sb = Sandbox::new();
    let p = sb.dir.join("sandbox.toml");
    let mut plan = std::fs::read_to_string(&p).unwrap();
    plan.push_str(
        r#"
[[recipe.steps]]
id = "hold"
before = "backup/disk"
kind = "exec"
required = true
program = "/bin/sleep"
args = ["4"]
"#,
    );
    std::fs::write(&p, plan).unwrap();
    sb
}

fn start(sb: &Sandbox, state: &Path, extra: &[&str]) -> Child {
    let mut args = vec!["run", "sandbox.toml", "--stage", "backup", "--yes"];
    args.extend_from_slice(extra);
    Command::new(env!("CARGO_BIN_EXE_dress"))
        .current_dir(&sb.dir)
        .env("DRESS_STATE_DIR", state)
        // The machine-wide default: nothing shared but the machine.
        .env_remove("DRESS_LOCK_DIR")
        .args(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// (passed, refused as in use, other) of `n` simultaneous runs spread over
/// two state folders.
fn race(sb: &Sandbox, n: usize, extra: &[&str]) -> (usize, usize, Vec<String>) {
    let states = [sb.state.clone(), sb.dir.join("second-state")];
    let children: Vec<Child> = (0..n).map(|i| start(sb, &states[i % 2], extra)).collect();
    let (mut ok, mut held, mut other) = (0, 0, Vec::new());
    for c in children {
        let o = c.wait_with_output().unwrap();
        let t = text(&o);
        match o.status.code() {
            Some(0) => ok += 1,
            Some(4) if t.contains("is in use by run") => held += 1,
            _ => other.push(t),
        }
    }
    (ok, held, other)
}

#[test]
fn thirty_simultaneous_starts_over_two_state_folders_give_the_lock_once() {
    let sb = slow_sandbox();
    let (ok, held, other) = race(&sb, 30, &[]);
    eprintln!(
        "30 simultaneous starts: {ok} ran, {held} refused, {} other",
        other.len()
    );
    assert!(other.is_empty(), "{other:?}");
    assert_eq!((ok, held), (1, 29));
}

#[test]
fn thirty_simultaneous_break_stale_lock_still_give_it_once() {
    let sb = slow_sandbox();
    // What a killed run left: an owner file naming a dead process.
    let lock = dress::engine::lock::lock_path(&sb.dir.join("sandbox/work/test/CRM"));
    let host = hostname::get().unwrap().to_string_lossy().into_owned();
    let stale = serde_json::json!({"host": host, "user": "x", "pid": 4_000_000_000u32, "started": 0, "run_id": "gone-run"});
    std::fs::create_dir_all(lock.parent().unwrap()).unwrap();
    std::fs::write(lock.with_extension("owner"), stale.to_string()).unwrap();
    let (ok, held, other) = race(&sb, 30, &["--break-stale-lock"]);
    eprintln!(
        "30 simultaneous --break-stale-lock: {ok} ran, {held} refused, {} other",
        other.len()
    );
    assert!(other.is_empty(), "{other:?}");
    assert_eq!((ok, held), (1, 29));
}

#[test]
fn a_reused_pid_in_the_owner_file_holds_nothing() {
    let sb = Sandbox::new();
    let lock = dress::engine::lock::lock_path(&sb.dir.join("sandbox/work/test/CRM"));
    std::fs::create_dir_all(lock.parent().unwrap()).unwrap();
    let host = hostname::get().unwrap().to_string_lossy().into_owned();
    // A live process (this test) that is not the one that wrote the file.
    let reused = serde_json::json!({"host": host, "user": "x", "pid": std::process::id(), "started": 0, "run_id": "gone-run", "process_start": 1});
    std::fs::write(lock.with_extension("owner"), reused.to_string()).unwrap();
    let o = sb.run(&["run", "sandbox.toml", "--stage", "backup", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

#[test]
fn planted_links_are_never_followed() {
    let sb = Sandbox::new();
    let victim = sb.dir.join("victim.txt");
    std::fs::write(&victim, "untouched").unwrap();
    let lock = dress::engine::lock::lock_path(&sb.dir.join("sandbox/work/test/CRM"));
    std::fs::create_dir_all(lock.parent().unwrap()).unwrap();
    // The owner file is a link to another file: replaced, not written through.
    std::os::unix::fs::symlink(&victim, lock.with_extension("owner")).unwrap();
    let o = sb.run(&["run", "sandbox.toml", "--stage", "backup", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "untouched");
    // The lock file is a link: refused, naming the file to remove.
    std::os::unix::fs::symlink(&victim, sb.dir.join("planted")).unwrap();
    std::fs::remove_file(&lock).unwrap();
    std::os::unix::fs::symlink(&victim, &lock).unwrap();
    let o = sb.run(&["run", "sandbox.toml", "--stage", "backup", "--yes"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(4), "{t}");
    assert!(
        t.contains("is a link") && t.contains(&lock.display().to_string()),
        "{t}"
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "untouched");
    std::fs::remove_file(&lock).unwrap();
}

#[test]
fn the_lock_is_machine_wide_and_keyed_by_the_resolved_install_folder() {
    let sb = Sandbox::new();
    let install = sb.dir.join("sandbox/work/test/CRM");
    std::fs::create_dir_all(&install).unwrap();
    let lock = dress::engine::lock::lock_path(&install);
    assert!(!lock.starts_with(&sb.state), "{}", lock.display());
    // The same folder written another way is the same lock.
    let other = sb.dir.join("sandbox/work/test/../test/CRM");
    assert_eq!(dress::engine::lock::lock_path(&other), lock);
    let held = dress::engine::lock::acquire_dir(&other, "test", "holder-run", false).unwrap();
    let o = sb.run(&["run", "sandbox.toml", "--stage", "backup", "--yes"]);
    assert_eq!(o.status.code(), Some(4), "{}", text(&o));
    assert!(
        text(&o).contains("in use by run holder-run"),
        "{}",
        text(&o)
    );
    drop(held);
}

/// A rehearsal's backup reads production: while a production run holds
/// production, a rehearsal that backs it up is refused (and the other way
/// round), even from another state folder.
#[test]
fn a_rehearsal_backup_waits_for_no_production_run() {
    let sb = slow_sandbox();
    // A run on production that holds it for a few seconds.
    let production = start(&sb, &sb.state, &["--env", "production"]);
    std::thread::sleep(std::time::Duration::from_millis(800));
    let second = sb.dir.join("second-state");
    let rehearsal = start(&sb, &second, &["--env", "test"])
        .wait_with_output()
        .unwrap();
    let t = text(&rehearsal);
    assert_eq!(rehearsal.status.code(), Some(4), "{t}");
    assert!(
        t.contains("production") && t.contains("is in use by run"),
        "{t}"
    );
    let o = production.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // Once production is free, the same rehearsal runs.
    let again = start(&sb, &second, &["--env", "test"])
        .wait_with_output()
        .unwrap();
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
}

//! Nothing widens access: an archive keeps each file's mode and a restore
//! gives it back; archives and manifests are 0600, a backup folder created
//! by dress 0700; the state folder and everything in it private whatever
//! the umask; a state or run folder another user can write is refused.
//! One test per binary-wide umask change, so tests run one after another.
#![cfg(unix)]

use crate::common;
use crate::common::files as files_common;

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::sync::Mutex;

use common::{Sandbox, text};
use dress::engine::StepCtx;
use dress::engine::files::{self, manifest_path_for};

/// The umask is process-wide: tests that change it take this first.
static UMASK: Mutex<()> = Mutex::new(());

fn mode(p: &Path) -> u32 {
    std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o777
}

fn set_mode(p: &Path, m: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
}

#[test]
fn archive_and_restore_keep_modes_and_open_nothing() {
    let _g = UMASK.lock().unwrap_or_else(|e| e.into_inner());
    let rt = tokio::runtime::Runtime::new().unwrap();
    // SAFETY: umask only changes this process's creation mask.
    let old = unsafe { libc::umask(0) };
    let t = tempfile::tempdir().unwrap();
    let src = t.path().join("CRM");
    std::fs::create_dir_all(src.join("WWWRoot/private")).unwrap();
    let files = [
        ("WWWRoot/eware.ini", 0o600, "Password=Canary-Mode-1"),
        ("WWWRoot/page.asp", 0o644, "<% %>"),
        ("setup.sh", 0o755, "#!/bin/sh\n"),
        ("WWWRoot/private/key.pem", 0o400, "KEY"),
    ];
    for (rel, m, body) in files {
        std::fs::write(src.join(rel), body).unwrap();
        set_mode(&src.join(rel), m);
    }
    set_mode(&src.join("WWWRoot/private"), 0o700);
    let (ctx, _rx) = StepCtx::for_test(&t.path().join("step.log")).unwrap();
    let backups = t.path().join("backups/CRMSAGE");
    let archive = backups.join("program-files.tar");
    let (ctx, mut rx) = (ctx, _rx);
    let r = rt.block_on(files::archive(&src, &archive, &ctx));
    files_common::journal_events(&ctx.run_dir, &mut rx);
    let restored = t.path().join("test/CRM");
    let r2 = rt.block_on(files::restore(&archive, &restored, &ctx));
    unsafe { libc::umask(old) };
    r.unwrap();
    if let Err(e) = &r2 {
        panic!(
            "{e}\n{}",
            std::fs::read_to_string(ctx.run_dir.join("journal.jsonl")).unwrap_or_default()
        );
    }
    assert_eq!(mode(&archive), 0o600, "archive");
    assert_eq!(mode(&manifest_path_for(&archive)), 0o600, "manifest");
    assert_eq!(mode(&backups), 0o700, "backup folder created by the step");
    assert_eq!(mode(&t.path().join("backups")), 0o700, "its parent too");
    for (rel, m, _) in files {
        assert_eq!(mode(&restored.join(rel)), m, "{rel} restored");
    }
    assert_eq!(mode(&restored.join("WWWRoot/private")), 0o700);
}

fn private_run(sb: &Sandbox, args: &[&str]) -> std::process::Output {
    let mut c = sb.cmd(args);
    // SAFETY: umask is async-signal-safe and touches no memory.
    unsafe {
        c.pre_exec(|| {
            libc::umask(0);
            Ok(())
        });
    }
    c.output().unwrap()
}

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        out.push(p.clone());
        if p.is_dir() && !p.is_symlink() {
            walk(&p, out);
        }
    }
}

#[test]
fn the_state_folder_is_private_whatever_the_umask() {
    let _g = UMASK.lock().unwrap_or_else(|e| e.into_inner());
    let sb = Sandbox::new();
    let o = private_run(&sb, &["run", "sandbox.toml", "--stage", "backup", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(mode(&sb.state), 0o700, "the state folder");
    let mut all = Vec::new();
    walk(&sb.state, &mut all);
    assert!(all.len() >= 6, "{all:?}");
    for p in &all {
        let m = mode(p);
        assert_eq!(
            m & 0o077,
            0,
            "{} is {m:o}: open to other users",
            p.display()
        );
    }
    for want in ["dress.log", "journal.jsonl", "plan.toml", "disk.log"] {
        assert!(
            all.iter()
                .any(|p| p.ends_with(want) || p.file_name().unwrap() == want),
            "{want} not found in {all:?}"
        );
    }
}

#[test]
fn a_state_or_run_folder_others_can_write_is_refused() {
    let _g = UMASK.lock().unwrap_or_else(|e| e.into_inner());
    let sb = Sandbox::new();
    let o = sb.run(&["run", "sandbox.toml", "--stage", "backup", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let runs_before = sb.runs().len();
    set_mode(&sb.state, 0o777);
    let o = sb.run(&["run", "sandbox.toml", "--stage", "backup", "--yes"]);
    assert_ne!(o.status.code(), Some(0), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("chmod 700"), "no fix given: {t}");
    assert!(t.contains(&sb.state.display().to_string()), "{t}");
    assert_eq!(sb.runs().len(), runs_before, "a run was started: {t}");
    set_mode(&sb.state, 0o700);

    // A run folder another user can write is not resumed.
    let before = sb.runs();
    let o = sb.run(&["run", "sandbox.toml", "--stage", "rehearsal", "--yes"]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    let id = sb.runs().into_iter().find(|r| !before.contains(r)).unwrap();
    let run_dir = sb.state.join("runs").join(&id);
    set_mode(&run_dir, 0o777);
    let o = sb.run(&["run", "--resume", &id, "--confirm", "sign-off=ok"]);
    let t = text(&o);
    assert_ne!(o.status.code(), Some(0), "{t}");
    assert!(t.contains("chmod 700"), "{t}");
    assert!(t.contains(&run_dir.display().to_string()), "{t}");
}

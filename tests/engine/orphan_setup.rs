//! Nothing runs unsupervised after a crash: the engine is killed (SIGKILL)
//! while the vendor setup runs, again and again. The setup keeps running
//! and writing its output (no broken pipe), the resumed run waits for it
//! and never starts a second one beside it, and the run completes. Real
//! binary, real shell script as the setup.
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const KILLS: usize = 50;

/// Notes its start, any other setup running at the same time, each line it
/// writes and its end.
const SETUP: &str = r#"#!/bin/sh
for f in "$OUT"/running.*; do
  [ -e "$f" ] && kill -0 "${f##*.}" 2>/dev/null && echo "overlap $$ ${f##*.}" >> "$OUT/overlaps"
done
touch "$OUT/running.$$"
echo "$$" >> "$OUT/starts"
i=0
while [ $i -lt 16 ]; do echo "setup $$ line $i"; i=$((i+1)); sleep 0.05; done
echo "$$" >> "$OUT/finished"
rm -f "$OUT/running.$$"
"#;

const PLAN: &str = r#"
[deployment]
company = "Orphan SA"
installation = "CRMORPHAN"
licence_key = { env = "TEST_ORPHAN_KEY" }

[environments.production]
install_dir = "crm"
backup_dir = "backups"

[recipe]
mode = "install"

[recipe.setup]
package = "setup.sh"
args = ["/answers={response_file}"]
timeout_s = 60
"#;

fn dress(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dress"));
    c.current_dir(dir)
        .env("DRESS_STATE_DIR", dir.join("state"))
        .env("OUT", dir.join("out"))
        .env("TEST_ORPHAN_KEY", "Orphan-Key-3141")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

fn lines(p: &Path) -> Vec<String> {
    std::fs::read_to_string(p)
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
}

fn running(out: &Path) -> usize {
    std::fs::read_dir(out)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("running.")
        })
        .count()
}

#[test]
fn a_killed_engine_leaves_the_setup_running_and_the_resume_waits_for_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(dir.join("setup.sh"), SETUP).unwrap();
    std::fs::set_permissions(dir.join("setup.sh"), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(dir.join("plan.toml"), PLAN).unwrap();
    let first = [
        "run",
        "plan.toml",
        "--env",
        "production",
        "--stage",
        "install",
        "--yes",
        "--confirm",
        "review=ok",
    ];
    let mut run_id: Option<String> = None;
    let mut with_setup_running = 0;
    for i in 0..KILLS {
        let before = lines(&out.join("starts")).len();
        let mut child: Child = match &run_id {
            None => dress(dir, &first).spawn().unwrap(),
            Some(id) => dress(dir, &["run", "--resume", id]).spawn().unwrap(),
        };
        // Wait for this engine's own setup to start (after it waited for
        // the one the last kill left), then kill the engine at a varying
        // instant of the setup's run.
        let t0 = Instant::now();
        while lines(&out.join("starts")).len() == before {
            assert!(
                t0.elapsed() < Duration::from_secs(20),
                "kill {i}: no setup started"
            );
            if let Some(s) = child.try_wait().unwrap() {
                panic!("kill {i}: the engine ended ({s}) before its setup started");
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        std::thread::sleep(Duration::from_millis(((i * 53) % 500) as u64));
        if running(&out) > 0 {
            with_setup_running += 1;
        }
        child.kill().unwrap();
        child.wait().unwrap();
        if run_id.is_none() {
            let runs = std::fs::read_dir(dir.join("state/runs")).unwrap();
            run_id = runs
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .find(|n| !n.starts_with('.'));
        }
    }
    let id = run_id.unwrap();
    let o = dress(dir, &["run", "--resume", &id])
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let starts = lines(&out.join("starts"));
    let finished = lines(&out.join("finished"));
    let overlaps = lines(&out.join("overlaps"));
    eprintln!(
        "{KILLS} kills, {with_setup_running} with a setup running; {} setups started, {} ran to their end, {} overlaps",
        starts.len(),
        finished.len(),
        overlaps.len()
    );
    assert!(with_setup_running >= 50, "{with_setup_running}");
    assert!(overlaps.is_empty(), "two setups at once: {overlaps:?}");
    // None died of a broken pipe when its engine was killed.
    let mut s = starts.clone();
    let mut f = finished.clone();
    s.sort();
    f.sort();
    assert_eq!(s, f, "setups that did not run to their end");
    // The resumes said what they waited for.
    let journal =
        std::fs::read_to_string(dir.join("state/runs").join(&id).join("journal.jsonl")).unwrap();
    assert!(
        journal.contains("still running") && journal.contains("a second one is not started"),
        "no wait journalled"
    );
}

/// The operator's cancel stops the program the interrupted run left (its
/// whole process group) instead of waiting for it.
#[tokio::test]
async fn cancel_stops_the_program_left_by_the_interrupted_run() {
    use std::os::unix::process::CommandExt;
    let tmp = tempfile::tempdir().unwrap();
    let run_dir = tmp.path().join("runs/r1");
    std::fs::create_dir_all(&run_dir).unwrap();
    let (ctx, _rx) = dress::engine::StepCtx::for_test(&run_dir.join("step.log")).unwrap();
    // The program a killed engine left: its own process group, a child too.
    let mut left = Command::new("/bin/sh")
        .args(["-c", "sleep 60 & sleep 60; wait"])
        .process_group(0)
        .spawn()
        .unwrap();
    let pid = left.id();
    std::thread::sleep(Duration::from_millis(100));
    let private = run_dir.join("private");
    std::fs::create_dir_all(&private).unwrap();
    let start = dress::engine::lock::process_start(pid);
    std::fs::write(
        private.join("test-step.child"),
        serde_json::json!({"pid": pid, "pgid": pid, "start": start, "program": "setup.exe"})
            .to_string(),
    )
    .unwrap();
    let cancel = ctx.cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        cancel.cancel();
    });
    let t0 = Instant::now();
    let r = dress::engine::exec::orphan::settle_previous(&ctx).await;
    let e = r.unwrap_err();
    assert!(
        e.0.contains("cancelled") && e.0.contains("setup.exe"),
        "{e}"
    );
    assert!(t0.elapsed() < Duration::from_secs(10));
    let status = left.wait().unwrap();
    assert!(!status.success(), "the program was not stopped: {status}");
    assert!(!private.join("test-step.child").exists());
}

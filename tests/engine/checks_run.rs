//! Preflight checks against the real machine: real sockets, files, disks.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::Duration;

use dress::engine::checks;
use dress::engine::{Event, StepCtx};
use tokio::sync::mpsc::UnboundedReceiver;

fn ctx(dir: &Path) -> (StepCtx, UnboundedReceiver<Event>, PathBuf) {
    let log = dir.join("step.log");
    let (ctx, rx) = StepCtx::for_test(&log).unwrap();
    (ctx, rx, log)
}

/// The `Measured` texts sent so far.
fn measured(rx: &mut UnboundedReceiver<Event>) -> Vec<String> {
    let mut v = Vec::new();
    while let Ok(e) = rx.try_recv() {
        if let Event::Measured { what, .. } = e {
            v.push(what);
        }
    }
    v
}

#[tokio::test]
async fn port_free_fails_on_a_held_port_and_passes_on_a_free_one() {
    let dir = tempfile::tempdir().unwrap();
    let (ctx, mut rx, _) = ctx(dir.path());
    let held = TcpListener::bind("0.0.0.0:0").unwrap();
    let port = held.local_addr().unwrap().port();
    let err = checks::port_free(port, &ctx).await.unwrap_err();
    assert!(
        err.0.starts_with(&format!("port {port} is in use")),
        "{err}"
    );
    let m = measured(&mut rx);
    assert!(
        m[0].starts_with(&format!("TCP port {port}: in use")),
        "{m:?}"
    );
    #[cfg(target_os = "linux")]
    assert!(
        err.0.contains(&format!("(pid {})", std::process::id())),
        "{err}"
    );

    drop(held);
    let ok = checks::port_free(port, &ctx).await.unwrap();
    assert_eq!(ok, format!("port {port} is free"));
    assert_eq!(
        measured(&mut rx),
        vec![format!("TCP port {port}: free (bind on 0.0.0.0 works)")]
    );
}

#[tokio::test]
async fn tcp_reachable_and_unreachable() {
    let dir = tempfile::tempdir().unwrap();
    let (ctx, mut rx, _) = ctx(dir.path());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let ok = checks::tcp("127.0.0.1", port, Duration::from_secs(2), &ctx)
        .await
        .unwrap();
    assert!(
        ok.starts_with(&format!("127.0.0.1:{port} reachable")),
        "{ok}"
    );
    drop(listener);
    let err = checks::tcp("127.0.0.1", port, Duration::from_secs(2), &ctx)
        .await
        .unwrap_err();
    assert!(
        err.0
            .starts_with(&format!("cannot connect to 127.0.0.1:{port}")),
        "{err}"
    );
    let m = measured(&mut rx);
    assert_eq!(m.len(), 2, "{m:?}");
    assert!(m[0].contains("connected in"), "{m:?}");
    assert!(m[1].contains("limit 2000 ms"), "{m:?}");
}

#[tokio::test]
async fn path_exists_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    let (ctx, mut rx, _) = ctx(dir.path());
    let file = dir.path().join("present.txt");
    std::fs::write(&file, "x").unwrap();
    let ok = checks::path_exists(&file, &ctx).await.unwrap();
    assert!(ok.ends_with("exists (file)"), "{ok}");
    let ok = checks::path_exists(dir.path(), &ctx).await.unwrap();
    assert!(ok.ends_with("exists (folder)"), "{ok}");
    let missing = dir.path().join("absent");
    let err = checks::path_exists(&missing, &ctx).await.unwrap_err();
    assert!(err.0.contains("does not exist"), "{err}");
    assert!(err.0.contains("absent"), "{err}");
    let m = measured(&mut rx);
    assert!(m[2].ends_with("absent: missing"), "{m:?}");
}

#[tokio::test]
async fn disk_free_against_thresholds() {
    let dir = tempfile::tempdir().unwrap();
    let (ctx, mut rx, _) = ctx(dir.path());
    // A path that does not exist yet is measured on the disk of its parent.
    let target = dir.path().join("not-yet").join("deeper");
    let ok = checks::disk_free(&target, 0, &ctx).await.unwrap();
    assert!(ok.contains("MiB free on"), "{ok}");
    let err = checks::disk_free(&target, u64::MAX, &ctx)
        .await
        .unwrap_err();
    assert!(err.0.starts_with("only "), "{err}");
    assert!(
        err.0.contains(&format!("at least {} MiB needed", u64::MAX)),
        "{err}"
    );
    let m = measured(&mut rx);
    assert_eq!(m.len(), 2, "{m:?}");
    assert!(m[0].starts_with("free on /"), "{m:?}");
    assert!(m[0].ends_with("vs at least 0 MiB"), "{m:?}");
}

#[tokio::test]
async fn memory_against_thresholds() {
    let dir = tempfile::tempdir().unwrap();
    let (ctx, mut rx, _) = ctx(dir.path());
    let ok = checks::memory(0, &ctx).await.unwrap();
    assert!(
        ok.ends_with("MiB of memory (at least 0 MiB needed)"),
        "{ok}"
    );
    let err = checks::memory(u64::MAX, &ctx).await.unwrap_err();
    assert!(err.0.starts_with("only "), "{err}");
    let m = measured(&mut rx);
    // The machine has some memory: the measure is not zero.
    let total: u64 = m[0]
        .strip_prefix("total memory: ")
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(total > 0, "{m:?}");
}

#[tokio::test]
async fn admin_matches_the_effective_user() {
    let dir = tempfile::tempdir().unwrap();
    let (ctx, mut rx, _) = ctx(dir.path());
    let res = checks::admin(&ctx).await;
    #[cfg(unix)]
    {
        let root = std::fs::read_to_string("/proc/self/status")
            .map(|s| {
                s.lines()
                    .find(|l| l.starts_with("Uid:"))
                    .and_then(|l| l.split_whitespace().nth(2))
                    == Some("0")
            })
            .unwrap_or(false);
        assert_eq!(res.is_ok(), root, "{res:?}");
    }
    let m = measured(&mut rx);
    assert!(m[0] == "elevated: yes" || m[0] == "elevated: no", "{m:?}");
    assert_eq!(res.is_ok(), m[0] == "elevated: yes", "{res:?} {m:?}");
}

#[tokio::test]
async fn os_always_passes_and_measures() {
    let dir = tempfile::tempdir().unwrap();
    let (ctx, mut rx, log) = ctx(dir.path());
    let ok = checks::os(&ctx).await.unwrap();
    assert!(ok.contains(std::env::consts::ARCH), "{ok}");
    let m = measured(&mut rx);
    assert!(m[0].starts_with("os: "), "{m:?}");
    ctx.flush_log();
    let text = std::fs::read_to_string(log).unwrap();
    assert!(text.starts_with("I|os: "), "{text}");
}

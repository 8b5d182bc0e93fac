//! What files.archive reports while it runs: rate-limited progress in bytes
//! with the total, and the measured file count and size.

use std::fs;
use std::sync::Arc;

use dress::engine::ctx::StepLog;
use dress::engine::files;
use dress::engine::{Event, StepCtx, StepRef};
use tokio::sync::{broadcast, mpsc};
use tokio_util::sync::CancellationToken;

#[tokio::test]
async fn archive_reports_progress_sparingly_and_measures() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("CRM");
    let n_files = 400u64;
    for i in 0..n_files {
        let d = src.join(format!("dir {}", i / 50));
        fs::create_dir_all(&d).unwrap();
        fs::write(d.join(format!("f{i}.bin")), vec![(i % 251) as u8; 16_000]).unwrap();
    }
    let (tx, mut rx) = mpsc::unbounded_channel();
    let (live, mut live_rx) = broadcast::channel(8192);
    let ctx = StepCtx::new(
        StepRef::new("backup", "archive-program-files"),
        dir.path().to_path_buf(),
        StepLog::create(&dir.path().join("step.log")).unwrap(),
        tx,
        Some(live),
        Arc::new(Vec::new()),
        CancellationToken::new(),
    );
    files::archive(&src, &dir.path().join("a.tar"), &ctx)
        .await
        .unwrap();

    let mut progress = Vec::new();
    while let Ok(e) = live_rx.try_recv() {
        if let Event::Progress {
            done, total, unit, ..
        } = e
        {
            assert_eq!(unit, "bytes");
            progress.push((done, total));
        }
    }
    let total = n_files * 16_000;
    assert!(!progress.is_empty());
    assert!(
        progress.len() < n_files as usize / 4,
        "{} progress events",
        progress.len()
    );
    assert_eq!(progress.last(), Some(&(total, Some(total))));
    assert!(progress.windows(2).all(|w| w[0].0 <= w[1].0));

    let mut measured = Vec::new();
    while let Ok(e) = rx.try_recv() {
        if let Event::Measured { what, .. } = e {
            measured.push(what);
        }
    }
    // The seal of the archive (journalled for the restore), then the figures.
    assert_eq!(measured.len(), 2, "{measured:?}");
    assert!(measured[0].starts_with("archive sealed: "), "{measured:?}");
    assert!(
        measured[1].starts_with(&format!("archived {n_files} files, {total} bytes")),
        "{measured:?}"
    );
}

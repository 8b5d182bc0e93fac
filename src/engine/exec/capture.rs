//! The program's output goes to files, not to pipes held by the engine: if
//! the engine is killed, the program keeps writing (a pipe without reader
//! would kill it at its next line with SIGPIPE, half-way through an
//! upgrade). The engine follows the files as they grow and turns them into
//! step-log lines (secrets masked).
//!
//! The files are in the run's `private/` folder (0700): they hold the raw
//! output, unmasked, and are removed when the step ends; the one of a step
//! whose engine was killed is read (masked) by the resume, then removed.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::lines;
use crate::engine::ctx::StepCtx;
use crate::engine::event::Stream;

/// How often a growing output file is read again.
const POLL: Duration = Duration::from_millis(25);

/// The raw output files and the child record of a step.
pub struct Files {
    pub out: PathBuf,
    pub err: PathBuf,
    pub child: PathBuf,
}

impl Files {
    pub fn of(ctx: &StepCtx) -> Files {
        let dir = crate::engine::response::private_dir(&ctx.run_dir);
        let stem: String = format!("{}-{}", ctx.step.stage, ctx.step.step)
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        Files {
            out: dir.join(format!("{stem}.stdout")),
            err: dir.join(format!("{stem}.stderr")),
            child: dir.join(format!("{stem}.child")),
        }
    }

    /// Create both output files, empty and private.
    pub fn create(&self) -> std::io::Result<(std::fs::File, std::fs::File)> {
        if let Some(d) = self.out.parent() {
            crate::engine::private_fs::create_dir_private(d)?;
        }
        let open = |p: &Path| {
            crate::engine::private_fs::private(
                std::fs::OpenOptions::new()
                    .write(true)
                    .create(true)
                    .truncate(true),
            )
            .open(p)
        };
        Ok((open(&self.out)?, open(&self.err)?))
    }

    pub fn remove(&self) {
        for p in [&self.out, &self.err, &self.child] {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// Follow `path` until `ended` is set and everything written is read,
/// giving the lines to the step log; returns up to `keep` bytes of text.
pub async fn follow(
    path: PathBuf,
    stream: Stream,
    ctx: StepCtx,
    keep: usize,
    ended: Arc<AtomicBool>,
) -> std::io::Result<String> {
    let (mut tx, rx) = tokio::io::duplex(64 * 1024);
    let pump = {
        let ctx = ctx.clone();
        tokio::spawn(async move { lines::pump(rx, stream, &ctx, keep).await })
    };
    let mut f = tokio::fs::File::open(&path).await?;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = f.read(&mut buf).await?;
        if n > 0 {
            if tx.write_all(&buf[..n]).await.is_err() {
                break;
            }
            continue;
        }
        if ended.load(Ordering::Acquire) {
            // One more read: what was written just before the end.
            let n = f.read(&mut buf).await?;
            if n == 0 {
                break;
            }
            if tx.write_all(&buf[..n]).await.is_err() {
                break;
            }
            continue;
        }
        tokio::time::sleep(POLL).await;
    }
    drop(tx);
    pump.await.map_err(std::io::Error::other)?
}

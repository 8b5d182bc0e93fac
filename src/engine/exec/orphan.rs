//! A program left running by an engine that was killed.
//!
//! When a program starts, its pid, process group and start time are written
//! to `private/STAGE-STEP.child` (removed when the step ends). A resumed run
//! that finds the record before running the step again:
//! - the program still runs (same pid, same start time): it says so and
//!   waits for it to end, never starting a second one beside it; the
//!   operator's cancel stops it (its whole process group) and the step ends
//!   cancelled;
//! - once it is gone (or was already): its output, written to its files
//!   while no engine read them, goes into the step log, and the step runs
//!   again as any interrupted step (its exit code cannot be known: it was
//!   not this engine's child).
//!
//! Linux: the engine is not made a subreaper; the program leads its own
//! process group, whose id is journalled here, so the tree stays reachable
//! for a cancel after a crash. Windows: the job object is closed with the
//! engine and kills the tree (kill-on-close): no program outlives its
//! engine there, and the resumed step runs it again.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::capture::{Files, follow};
use crate::engine::ctx::{StepCtx, StepError};
use crate::engine::event::Stream;
use crate::engine::lock::process_start;

#[derive(Debug, Serialize, Deserialize)]
pub struct ChildRecord {
    pub pid: u32,
    /// Process group (Unix), the pid itself elsewhere.
    pub pgid: u32,
    /// Seconds since 1970, as the system gives it.
    pub start: Option<u64>,
    pub program: String,
}

/// Write the record of a started program.
pub fn record(files: &Files, pid: u32, program: &str) {
    let rec = ChildRecord {
        pid,
        pgid: pid,
        start: process_start(pid),
        program: program.to_string(),
    };
    if let Ok(body) = serde_json::to_vec(&rec) {
        let _ = crate::engine::journal::write_atomic(&files.child, &body);
    }
}

fn still_runs(rec: &ChildRecord) -> bool {
    match (process_start(rec.pid), rec.start) {
        (Some(now), Some(then)) => now.abs_diff(then) <= 1,
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// The processes that hold one of the step's output files open (Linux: the
/// program and whatever it started, which inherited its output), found
/// through /proc. Covers a program killed with its engine before its record
/// was written. Elsewhere: none known.
fn holders(files: &Files) -> Vec<u32> {
    #[cfg(target_os = "linux")]
    {
        let want: Vec<std::path::PathBuf> = [&files.out, &files.err]
            .iter()
            .filter_map(|p| std::fs::canonicalize(p).ok())
            .collect();
        if want.is_empty() {
            return Vec::new();
        }
        let me = std::process::id();
        let mut out = Vec::new();
        let Ok(procs) = std::fs::read_dir("/proc") else {
            return out;
        };
        for p in procs.flatten() {
            let Some(pid) = p.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else {
                continue;
            };
            if pid == me || process_start(pid).is_none() {
                continue;
            }
            let Ok(fds) = std::fs::read_dir(p.path().join("fd")) else {
                continue;
            };
            if fds
                .flatten()
                .any(|fd| std::fs::read_link(fd.path()).is_ok_and(|t| want.contains(&t)))
            {
                out.push(pid);
            }
        }
        out
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = files;
        Vec::new()
    }
}

/// Deal with the program an interrupted run of this step left, before the
/// step runs again (see the module doc).
pub async fn settle_previous(ctx: &StepCtx) -> Result<(), StepError> {
    let files = Files::of(ctx);
    let rec = std::fs::read_to_string(&files.child)
        .ok()
        .and_then(|t| serde_json::from_str::<ChildRecord>(&t).ok());
    if rec.is_none() && !files.out.exists() {
        return Ok(());
    }
    // Killed between starting the program and recording it: the output
    // files name it (their holders).
    let rec = rec.unwrap_or_else(|| ChildRecord {
        pid: holders(&files).first().copied().unwrap_or(0),
        pgid: 0,
        start: None,
        program: crate::model::lang::tr("the program of this step", "le programme de cette étape")
            .into(),
    });
    let alive =
        |rec: &ChildRecord| (rec.pid != 0 && still_runs(rec)) || !holders(&files).is_empty();
    let running = alive(&rec);
    if running {
        ctx.measured(crate::tr_fmt!(
            "the program started by the interrupted run is still running: {} (pid {}); waiting for it to end, a second one is not started (cancel the step to stop it)",
            "le programme lancé par l'exécution interrompue tourne encore : {} (pid {}) ; attente de sa fin, un second n'est pas lancé (annulez l'étape pour l'arrêter)",
            rec.program, rec.pid
        ));
        let mut cancelled = false;
        while alive(&rec) {
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(200)) => {}
                _ = ctx.cancel.cancelled(), if !cancelled => {
                    cancelled = true;
                    ctx.info(crate::model::lang::tr(
                        "cancel requested: stopping the program of the interrupted run and its processes",
                        "annulation demandée : arrêt du programme de l'exécution interrompue et de ses processus",
                    ));
                    stop_group(&rec, &holders(&files)).await;
                }
            }
        }
    }
    // Its output, from the files it wrote while no engine read them.
    ctx.info(crate::model::lang::tr(
        "output of the program of the interrupted run:",
        "sortie du programme de l'exécution interrompue :",
    ));
    let ended = Arc::new(AtomicBool::new(true));
    for (p, s) in [(&files.out, Stream::Stdout), (&files.err, Stream::Stderr)] {
        if p.exists() {
            let _ = follow(p.clone(), s, ctx.clone(), 0, ended.clone()).await;
        }
    }
    files.remove();
    if ctx.cancel.is_cancelled() {
        return Err(StepError(crate::tr_fmt!(
            "cancelled: {} (pid {}), started by the interrupted run, was stopped with the processes it started",
            "annulée : {} (pid {}), lancé par l'exécution interrompue, a été arrêté avec les processus qu'il a lancés",
            rec.program,
            rec.pid
        )));
    }
    ctx.info(&crate::tr_fmt!(
        "the program of the interrupted run has ended{}: the step runs again",
        "le programme de l'exécution interrompue est terminé{} : l'étape est relancée",
        if running {
            crate::model::lang::tr(
                " (its exit code cannot be known)",
                " (son code de sortie ne peut pas être connu)",
            )
        } else {
            ""
        }
    ));
    Ok(())
}

#[cfg(unix)]
async fn stop_group(rec: &ChildRecord, others: &[u32]) {
    let signal = |sig: libc::c_int| {
        if let Ok(pg) = libc::pid_t::try_from(rec.pgid)
            && pg > 0
        {
            // SAFETY: killpg only sends a signal to the recorded group.
            unsafe {
                libc::killpg(pg, sig);
            }
        }
        for &p in others {
            if let Ok(p) = libc::pid_t::try_from(p) {
                // SAFETY: kill only sends a signal to a process that holds
                // this step's output.
                unsafe {
                    libc::kill(p, sig);
                }
            }
        }
    };
    signal(libc::SIGTERM);
    tokio::time::sleep(Duration::from_secs(2)).await;
    signal(libc::SIGKILL);
}

#[cfg(not(unix))]
async fn stop_group(rec: &ChildRecord, _others: &[u32]) {
    use sysinfo::{Pid, ProcessesToUpdate, System};
    if let Ok(mut sys) = System::new() {
        let pid = Pid::from_u32(rec.pid);
        let _ = sys.refresh_processes(ProcessesToUpdate::Some(&[pid]), true);
        if let Some(p) = sys.process(pid) {
            let _ = p.kill();
        }
    }
}

//! One run per environment at a time: a lock file naming its owner.
//!
//! A lock whose process is gone is reported as stale and left alone unless
//! the operator asks to break it: it is never silently stolen.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::event::{Actor, Millis, now_ms};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LockOwner {
    pub host: String,
    pub user: String,
    pub pid: u32,
    pub started: Millis,
    pub run_id: String,
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("the {env} environment is in use by run {} (pid {} on {}, started {}): wait for it to finish, or open it with `dress attach {}`", .owner.run_id, .owner.pid, .owner.host, crate::engine::report_time(.owner.started), .owner.run_id)]
    Held { env: String, owner: Box<LockOwner> },
    #[error("the {env} environment has a stale lock at {path}: run {} (pid {} on {}, started {}) is no longer running. If you are sure no run is going on, start again with --break-stale-lock", .owner.run_id, .owner.pid, .owner.host, crate::engine::report_time(.owner.started))]
    Stale {
        env: String,
        path: PathBuf,
        owner: Box<LockOwner>,
    },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: the lock file cannot be read ({what}); if no run is going on, delete it")]
    Unreadable { path: PathBuf, what: String },
}

/// A held lock; released (file removed) on drop.
#[derive(Debug)]
pub struct EnvLock {
    path: PathBuf,
}

impl Drop for EnvLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

pub fn lock_path(state_dir: &Path, env: &str) -> PathBuf {
    state_dir.join("locks").join(format!("{env}.lock"))
}

/// Whether a process with this pid is alive on this machine.
pub fn pid_alive(pid: u32) -> bool {
    use sysinfo::{Pid, ProcessRefreshKind, ProcessesToUpdate, System};
    // If the process table cannot be read, say "alive": a lock is never
    // treated as stale on a guess.
    let Ok(mut sys) = System::new() else {
        return true;
    };
    let pid = Pid::from_u32(pid);
    sys.refresh_processes_specifics(
        ProcessesToUpdate::Some(&[pid]),
        true,
        ProcessRefreshKind::nothing(),
    );
    sys.process(pid).is_some()
}

pub fn read_owner(path: &Path) -> Result<Option<LockOwner>, LockError> {
    match fs::read_to_string(path) {
        Ok(t) => serde_json::from_str(&t)
            .map(Some)
            .map_err(|e| LockError::Unreadable {
                path: path.to_path_buf(),
                what: e.to_string(),
            }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(LockError::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Take the lock of an environment for a run.
pub fn acquire(
    state_dir: &Path,
    env: &str,
    run_id: &str,
    break_stale: bool,
) -> Result<EnvLock, LockError> {
    let path = lock_path(state_dir, env);
    let ioerr = |source| LockError::Io {
        path: path.clone(),
        source,
    };
    if let Some(dir) = path.parent() {
        super::private_fs::create_dir_private(dir).map_err(ioerr)?;
    }
    let me = Actor::current();
    let owner = LockOwner {
        host: me.host.clone(),
        user: me.user,
        pid: std::process::id(),
        started: now_ms(),
        run_id: run_id.to_string(),
    };
    let body = serde_json::to_vec_pretty(&owner).map_err(|e| ioerr(std::io::Error::other(e)))?;
    // The lock appears whole or not at all: written to a temporary file,
    // then hard-linked to its name (which fails if the name exists).
    let tmp = path.with_extension(format!("lock.{}.tmp", std::process::id()));
    {
        let mut f = super::private_fs::private(
            fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true),
        )
        .open(&tmp)
        .map_err(ioerr)?;
        f.write_all(&body).map_err(ioerr)?;
        f.sync_all().map_err(ioerr)?;
    }
    let result = (|| {
        for _ in 0..2 {
            match fs::hard_link(&tmp, &path) {
                Ok(()) => return Ok(EnvLock { path: path.clone() }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let held = match read_owner(&path) {
                        Ok(Some(h)) => h,
                        Ok(None) => continue,
                        Err(e) if break_stale => {
                            tracing::warn!("removing an unreadable lock on request: {e}");
                            fs::remove_file(&path).map_err(ioerr)?;
                            continue;
                        }
                        Err(e) => return Err(e),
                    };
                    let alive = held.host != me.host || pid_alive(held.pid);
                    if alive {
                        return Err(LockError::Held {
                            env: env.to_string(),
                            owner: Box::new(held),
                        });
                    }
                    if !break_stale {
                        return Err(LockError::Stale {
                            env: env.to_string(),
                            path: path.clone(),
                            owner: Box::new(held),
                        });
                    }
                    tracing::warn!(?held, "breaking a stale lock on request");
                    fs::remove_file(&path).map_err(ioerr)?;
                }
                Err(e) => return Err(ioerr(e)),
            }
        }
        Err(ioerr(std::io::Error::other(
            "the lock file keeps changing; another run is starting",
        )))
    })();
    let _ = fs::remove_file(&tmp);
    result
}

//! One run per environment at a time, for every dress on the machine.
//!
//! The lock is keyed by the environment's install folder, resolved (links
//! followed, `..` applied, without case on Windows), and lives in a folder
//! every dress on the machine sees whatever its state folder:
//! - Unix: `/run/lock/dress` — the system's place for lock files, shared by
//!   every user and emptied at boot (a lock cannot outlive the machine's
//!   processes); `/var/lock/dress` where `/run/lock` does not exist.
//!   A per-user place (`$XDG_RUNTIME_DIR`) would let two users run the same
//!   environment at once; `/var/tmp` survives reboots and is no lock place.
//! - Windows: `%ProgramData%\dress\locks`, machine-wide.
//! - `DRESS_LOCK_DIR` overrides both (tests, unusual machines).
//!
//! The lock itself is the system's: an exclusive lock on `KEY.lock`
//! (`flock` / `LockFileEx`), taken atomically and released by the system
//! when its process ends, even when it is killed. A lock is therefore never
//! stale: a run that died left nothing to break, a reused pid or a renamed
//! host cannot keep it, and two `--break-stale-lock` at once still give it
//! to one process. Who holds it is written beside it, in `KEY.owner`,
//! through a temporary file created exclusively (never following a link)
//! and renamed; opening the lock file never follows a link either.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::event::{Actor, Millis, now_ms};
use crate::model::{EnvKind, Plan};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LockOwner {
    pub host: String,
    pub user: String,
    pub pid: u32,
    pub started: Millis,
    pub run_id: String,
    /// When the process started (seconds since 1970, as the system says).
    #[serde(default)]
    pub process_start: Option<u64>,
    /// The environment's install folder, resolved.
    #[serde(default)]
    pub install_dir: String,
}

#[derive(Debug)]
pub enum LockError {
    Held {
        env: String,
        owner: Box<LockOwner>,
    },
    HeldUnknown {
        env: String,
        path: PathBuf,
        what: String,
    },
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    Link {
        path: PathBuf,
    },
}

impl std::error::Error for LockError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LockError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl std::fmt::Display for LockError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::tr_fmt;
        let text = match self {
            LockError::Held { env, owner } => {
                let (dir, run, pid, host) =
                    (&owner.install_dir, &owner.run_id, owner.pid, &owner.host);
                let started = crate::engine::report_time(owner.started);
                tr_fmt!(
                    "the {env} environment ({dir}) is in use by run {run} (pid {pid} on {host}, started {started}): wait for it to finish, or open it with `dress attach {run}`",
                    "l'environnement {env} ({dir}) est utilisé par l'exécution {run} (pid {pid} sur {host}, lancée {started}) : attendez qu'elle se termine, ou ouvrez-la avec `dress attach {run}`"
                )
            }
            LockError::HeldUnknown { env, path, what } => {
                let path = path.display();
                tr_fmt!(
                    "the {env} environment is locked by a running process that did not say who it is ({path} is held, {what}): find it with `fuser -v {path}` (Windows: Resource Monitor, search handles for the file name) and let it finish; the lock is released by the system when that process ends",
                    "l'environnement {env} est verrouillé par un processus en cours qui n'a pas dit qui il est ({path} est tenu, {what}) : trouvez-le avec `fuser -v {path}` (Windows : Moniteur de ressources, rechercher les handles du nom de fichier) et laissez-le finir ; le système libère le verrou quand ce processus se termine"
                )
            }
            LockError::Io { path, source } => {
                let path = path.display();
                let why = crate::model::lang_fmt::io_error(source);
                tr_fmt!("{path}: {why}", "{path} : {why}")
            }
            LockError::Link { path } => {
                let path = path.display();
                tr_fmt!(
                    "{path} is a link, not a lock file: a lock never follows a link; if no dress is running, remove {path}",
                    "{path} est un lien, pas un fichier de verrou : un verrou ne suit jamais un lien ; si aucun dress ne tourne, supprimez {path}"
                )
            }
        };
        f.write_str(&text)
    }
}

/// A held lock: released by the system when dropped (or when the process
/// ends). The lock file stays: removing it could let two processes lock
/// two different files of the same name.
#[derive(Debug)]
pub struct EnvLock {
    _file: File,
    owner: PathBuf,
}

impl Drop for EnvLock {
    fn drop(&mut self) {
        // Only the holder writes the owner file; gone with the lock.
        let _ = fs::remove_file(&self.owner);
    }
}

/// The folder of the machine-wide locks.
pub fn lock_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("DRESS_LOCK_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    if cfg!(windows) {
        let base = std::env::var_os("ProgramData")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(r"C:\ProgramData"));
        return base.join("dress").join("locks");
    }
    if Path::new("/run/lock").is_dir() {
        PathBuf::from("/run/lock/dress")
    } else {
        PathBuf::from("/var/lock/dress")
    }
}

/// The key of an install folder: its resolved path, hashed.
fn key(install_dir: &Path) -> (String, String) {
    let c = crate::model::validate::canonical(install_dir);
    let shown = c.to_string_lossy().into_owned();
    let k = if cfg!(windows) {
        shown.to_lowercase()
    } else {
        shown.clone()
    };
    let h = blake3::hash(k.as_bytes()).to_hex();
    (format!("env-{}", &h[..24]), shown)
}

/// The lock file of an install folder.
pub fn lock_path(install_dir: &Path) -> PathBuf {
    lock_dir().join(format!("{}.lock", key(install_dir).0))
}

/// When the process `pid` started, if it runs (a zombie does not).
pub fn process_start(pid: u32) -> Option<u64> {
    use sysinfo::{Pid, ProcessRefreshKind, ProcessesToUpdate, System};
    let mut sys = System::new().ok()?;
    let pid = Pid::from_u32(pid);
    sys.refresh_processes_specifics(
        ProcessesToUpdate::Some(&[pid]),
        true,
        ProcessRefreshKind::nothing(),
    );
    // A zombie has ended: it only waits for its parent to read its status.
    sys.process(pid)
        .filter(|p| p.status() != sysinfo::ProcessStatus::Zombie)
        .map(|p| p.start_time())
}

/// Whether a process with this pid is alive on this machine (alive when
/// the process table cannot be read: never decided on a guess).
pub fn pid_alive(pid: u32) -> bool {
    use sysinfo::System;
    System::new().is_err() || process_start(pid).is_some()
}

pub fn read_owner(path: &Path) -> Option<LockOwner> {
    let t = fs::read_to_string(path).ok()?;
    serde_json::from_str(&t).ok()
}

/// Take the lock of the environment `env` of `plan` for a run.
/// `break_stale` is accepted for compatibility: a lock of the system is
/// never stale, so there is never anything to break.
pub fn acquire(
    plan: &Plan,
    env: EnvKind,
    run_id: &str,
    break_stale: bool,
) -> Result<EnvLock, LockError> {
    let install = plan
        .environments
        .get(env)
        .map(|e| e.install_dir.clone())
        .unwrap_or_default();
    acquire_dir(&install, env.as_str(), run_id, break_stale)
}

/// Take the lock of the install folder `install_dir`.
pub fn acquire_dir(
    install_dir: &Path,
    env: &str,
    run_id: &str,
    break_stale: bool,
) -> Result<EnvLock, LockError> {
    let dir = lock_dir();
    let (k, shown) = key(install_dir);
    let path = dir.join(format!("{k}.lock"));
    let owner_path = dir.join(format!("{k}.owner"));
    let ioerr = |p: &Path| {
        let p = p.to_path_buf();
        move |source| LockError::Io { path: p, source }
    };
    make_lock_dir(&dir).map_err(ioerr(&dir))?;
    let file = open_lock_file(&path)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => return Err(held(env, &path, &owner_path)),
        Err(fs::TryLockError::Error(e)) => return Err(ioerr(&path)(e)),
    }
    if break_stale {
        tracing::info!("--break-stale-lock: the lock of {shown} was free, nothing to break");
    }
    let me = Actor::current();
    let pid = std::process::id();
    let owner = LockOwner {
        host: me.host,
        user: me.user,
        pid,
        started: now_ms(),
        run_id: run_id.to_string(),
        process_start: process_start(pid),
        install_dir: shown,
    };
    // Who holds it, for the others' messages; the lock does not depend on it.
    if let Err(e) = write_owner(&dir, &owner_path, &owner) {
        tracing::warn!("cannot write {}: {e}", owner_path.display());
    }
    Ok(EnvLock {
        _file: file,
        owner: owner_path,
    })
}

/// Say whether the environment's lock is free now, without keeping it.
pub fn check_free(plan: &Plan, env: EnvKind) -> Result<(), LockError> {
    let install = plan
        .environments
        .get(env)
        .map(|e| e.install_dir.clone())
        .unwrap_or_default();
    let dir = lock_dir();
    let k = key(&install).0;
    let path = dir.join(format!("{k}.lock"));
    if !path.exists() {
        return Ok(());
    }
    let file = open_lock_file(&path)?;
    match file.try_lock() {
        Ok(()) => Ok(()),
        Err(fs::TryLockError::WouldBlock) => {
            Err(held(env.as_str(), &path, &dir.join(format!("{k}.owner"))))
        }
        Err(fs::TryLockError::Error(source)) => Err(LockError::Io { path, source }),
    }
}

fn held(env: &str, path: &Path, owner_path: &Path) -> LockError {
    // The holder writes who it is just after taking the lock: give it a
    // moment before saying it did not.
    let mut owner = read_owner(owner_path);
    for _ in 0..30 {
        if owner.as_ref().is_some_and(recorded_owner_runs) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        owner = read_owner(owner_path);
    }
    match owner {
        Some(o) if recorded_owner_runs(&o) => LockError::Held {
            env: env.to_string(),
            owner: Box::new(o),
        },
        Some(o) => LockError::HeldUnknown {
            env: env.to_string(),
            path: path.to_path_buf(),
            what: crate::tr_fmt!(
                "its owner file names run {} (pid {} on {}), which is not that process any more",
                "son fichier de propriétaire nomme l'exécution {} (pid {} sur {}), qui n'est plus ce processus",
                o.run_id,
                o.pid,
                o.host
            ),
        },
        None => LockError::HeldUnknown {
            env: env.to_string(),
            path: path.to_path_buf(),
            what: crate::tr_fmt!("no owner file", "pas de fichier de propriétaire"),
        },
    }
}

/// Whether the recorded owner is the process that runs under that pid now
/// (same host, same start time: a reused pid is another process).
fn recorded_owner_runs(o: &LockOwner) -> bool {
    let host = Actor::current().host;
    if o.host != host {
        return false;
    }
    match (process_start(o.pid), o.process_start) {
        (Some(now), Some(then)) => now.abs_diff(then) <= 1,
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// The locks folder: shared by every user of the machine (sticky, like
/// `/run/lock`, so no user can remove another's files).
fn make_lock_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    match fs::create_dir_all(dir) {
        Ok(()) => {}
        Err(e) if dir.is_dir() => drop(e),
        Err(e) => return Err(e),
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = fs::set_permissions(dir, fs::Permissions::from_mode(0o1777));
    }
    Ok(())
}

/// Open (or create) the lock file, never through a link. An existing file
/// is opened without O_CREAT (in a sticky folder, O_CREAT on another
/// user's file is refused by the system).
fn open_lock_file(path: &Path) -> Result<File, LockError> {
    let ioerr = |source| LockError::Io {
        path: path.to_path_buf(),
        source,
    };
    for _ in 0..10 {
        if let Ok(m) = fs::symlink_metadata(path)
            && m.file_type().is_symlink()
        {
            return Err(LockError::Link {
                path: path.to_path_buf(),
            });
        }
        match no_follow(OpenOptions::new().read(true).write(true)).open(path) {
            Ok(f) => return Ok(f),
            Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
                // Another user's lock file: locking needs no write access.
                return no_follow(OpenOptions::new().read(true))
                    .open(path)
                    .map_err(ioerr);
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) if is_link_error(&e) => {
                return Err(LockError::Link {
                    path: path.to_path_buf(),
                });
            }
            Err(e) => return Err(ioerr(e)),
        }
        match no_follow(OpenOptions::new().read(true).write(true).create_new(true)).open(path) {
            Ok(f) => {
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    let _ = f.set_permissions(fs::Permissions::from_mode(0o644));
                }
                return Ok(f);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(ioerr(e)),
        }
    }
    Err(ioerr(io::Error::other(crate::tr_fmt!(
        "the lock file keeps appearing and disappearing; another program is changing the locks folder",
        "le fichier de verrou ne cesse d'apparaître et de disparaître ; un autre programme modifie le dossier des verrous"
    ))))
}

/// Write the owner file through an exclusive temporary file.
fn write_owner(dir: &Path, dest: &Path, owner: &LockOwner) -> io::Result<()> {
    let body = serde_json::to_vec_pretty(owner).map_err(io::Error::other)?;
    let tmp = dir.join(format!(
        ".{}.{}.{}.tmp",
        dest.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default(),
        std::process::id(),
        now_ms()
    ));
    let mut f = no_follow(OpenOptions::new().write(true).create_new(true)).open(&tmp)?;
    let r = f
        .write_all(&body)
        .and_then(|()| f.sync_all())
        .and_then(|()| fs::rename(&tmp, dest));
    if r.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    r
}

#[cfg(unix)]
fn no_follow(o: &mut OpenOptions) -> &mut OpenOptions {
    use std::os::unix::fs::OpenOptionsExt;
    o.custom_flags(libc::O_NOFOLLOW).mode(0o644)
}

#[cfg(windows)]
fn no_follow(o: &mut OpenOptions) -> &mut OpenOptions {
    use std::os::windows::fs::OpenOptionsExt;
    // FILE_FLAG_OPEN_REPARSE_POINT: open a link itself, never its target.
    o.custom_flags(0x0020_0000)
}

#[cfg(unix)]
fn is_link_error(e: &io::Error) -> bool {
    e.raw_os_error() == Some(libc::ELOOP)
}

#[cfg(windows)]
fn is_link_error(_e: &io::Error) -> bool {
    false
}

#[cfg(test)]
mod french_tests {
    use super::*;
    use crate::model::lang::{Lang, scoped};

    #[test]
    fn lock_messages_in_french() {
        let e = LockError::Link {
            path: PathBuf::from("/run/lock/dress/env-x.lock"),
        };
        assert!(e.to_string().contains("is a link, not a lock file"));
        let fr = scoped(Lang::Fr, || e.to_string());
        assert!(
            fr.starts_with("/run/lock/dress/env-x.lock est un lien, pas un fichier de verrou"),
            "{fr}"
        );
        let e = LockError::HeldUnknown {
            env: "production".into(),
            path: PathBuf::from("/l"),
            what: scoped(Lang::Fr, || {
                crate::tr_fmt!("no owner file", "pas de fichier de propriétaire")
            }),
        };
        let fr = scoped(Lang::Fr, || e.to_string());
        assert!(
            fr.starts_with("l'environnement production est verrouillé par un processus")
                && fr.contains("pas de fichier de propriétaire"),
            "{fr}"
        );
        let e = LockError::Io {
            path: PathBuf::from("/l"),
            source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        };
        assert_eq!(scoped(Lang::Fr, || e.to_string()), "/l : accès refusé");
    }
}

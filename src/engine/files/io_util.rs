//! Small file-system helpers shared by the file steps: error texts that name
//! the file, and writing a file to its final name through a temporary file,
//! fsync and rename.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

use crate::engine::ctx::StepError;

/// "cannot read C:\x\y.asp: Access is denied" plus a hint for the usual causes.
pub(crate) fn io_err(what: &str, path: &Path, e: &io::Error) -> StepError {
    let hint = match e.kind() {
        io::ErrorKind::PermissionDenied => {
            "; run dress as an administrator or stop the service that holds the file"
        }
        io::ErrorKind::NotFound => "; check the path in the plan",
        io::ErrorKind::StorageFull => "; free some disk space and run the step again",
        _ => "",
    };
    StepError(format!("cannot {what} {}: {e}{hint}", path.display()))
}

/// A file being written under a temporary name beside its final name.
/// Dropped without [`Staged::commit`], it removes itself: a failed or
/// cancelled step never leaves a half file under the final name.
pub(crate) struct Staged {
    tmp: PathBuf,
    dest: PathBuf,
    done: bool,
}

impl Staged {
    /// Create `DEST.partial` (replacing a stale one left by a crash).
    pub(crate) fn create(dest: &Path) -> Result<(Staged, File), StepError> {
        let mut name = dest.as_os_str().to_owned();
        name.push(".partial");
        let tmp = PathBuf::from(name);
        if let Some(parent) = dest.parent().filter(|p| !p.as_os_str().is_empty()) {
            // A folder created here (the backup folder) is private.
            crate::engine::private_fs::create_dir_private(parent)
                .map_err(|e| io_err("create the folder", parent, &e))?;
        }
        match fs::remove_file(&tmp) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_err("remove the stale file", &tmp, &e)),
        }
        // Private from the first byte: an archive, a manifest or a restored
        // file gets its own mode only once it is whole.
        let file =
            crate::engine::private_fs::private(OpenOptions::new().write(true).create_new(true))
                .open(&tmp)
                .map_err(|e| io_err("create", &tmp, &e))?;
        Ok((
            Staged {
                tmp,
                dest: dest.to_path_buf(),
                done: false,
            },
            file,
        ))
    }

    /// Rename the (already synced) temporary file to its final name, then
    /// sync the folder so the rename itself survives a crash.
    pub(crate) fn commit(mut self) -> Result<(), StepError> {
        fs::rename(&self.tmp, &self.dest).map_err(|e| io_err("rename into", &self.dest, &e))?;
        self.done = true;
        sync_parent(&self.dest);
        Ok(())
    }

    /// Rename without syncing: for the many files of a restore or a mirror,
    /// where a crash means running the step again anyway.
    pub(crate) fn commit_unsynced(mut self) -> Result<(), StepError> {
        fs::rename(&self.tmp, &self.dest).map_err(|e| io_err("rename into", &self.dest, &e))?;
        self.done = true;
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// Write `bytes` to `dest` through temp file + fsync + rename.
pub(crate) fn write_atomic(dest: &Path, bytes: &[u8]) -> Result<(), StepError> {
    use std::io::Write;
    let (staged, mut f) = Staged::create(dest)?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .map_err(|e| io_err("write", dest, &e))?;
    drop(f);
    staged.commit()
}

#[cfg(unix)]
fn sync_parent(path: &Path) {
    if let Some(parent) = path.parent() {
        let parent = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        if let Ok(d) = File::open(parent) {
            let _ = d.sync_all();
        }
    }
}

#[cfg(not(unix))]
fn sync_parent(_path: &Path) {
    // NTFS journals the rename itself; a folder cannot be opened for sync.
}

/// `p` made absolute with its longest existing ancestor canonicalised (the
/// archive and its folder may not exist yet).
pub(crate) fn resolve(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut rest = Vec::new();
    let mut cur = abs.as_path();
    loop {
        if let Ok(c) = fs::canonicalize(cur) {
            return rest.iter().rev().fold(c, |acc: PathBuf, n| acc.join(n));
        }
        match (cur.parent(), cur.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                cur = parent;
            }
            _ => return abs,
        }
    }
}

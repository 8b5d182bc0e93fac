//! Small file-system helpers shared by the file steps: error texts that name
//! the file, and writing a file to its final name through a temporary file,
//! fsync and rename.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

use crate::engine::ctx::StepError;

/// "cannot read C:\\x\\y.asp: Access is denied" plus a hint for the usual causes.
pub(crate) fn io_err(what: &str, path: &Path, e: &io::Error) -> StepError {
    use crate::model::lang::tr;
    let hint = match e.kind() {
        io::ErrorKind::PermissionDenied => tr(
            "; run dress as an administrator or stop the service that holds the file",
            " ; lancez dress en administrateur ou arrêtez le service qui tient le fichier",
        ),
        io::ErrorKind::NotFound => tr(
            "; check the path in the plan",
            " ; vérifiez le chemin dans le plan",
        ),
        io::ErrorKind::StorageFull => tr(
            "; free some disk space and run the step again",
            " ; libérez de la place sur le disque et relancez l'étape",
        ),
        _ => "",
    };
    let path = path.display();
    let why = crate::model::lang_fmt::io_error(e);
    let doing = doing_fr(what);
    let de = if doing.starts_with(['a', 'e', 'é', 'i', 'o', 'u']) {
        "d'"
    } else {
        "de "
    };
    StepError(crate::tr_fmt!(
        "cannot {what} {path}: {why}{hint}",
        "impossible {de}{doing} {path} : {why}{hint}"
    ))
}

/// The French of an `io_err` action (an infinitive and its object).
fn doing_fr(what: &str) -> &'static str {
    match what {
        "create the folder" => "créer le dossier",
        "create" => "créer",
        "list the folder" => "lister le dossier",
        "move into place" => "mettre en place",
        "move aside the previous content of (stop the services that use it)" => {
            "mettre de côté le contenu précédent de (arrêtez les services qui l'utilisent)"
        }
        "open the archive" => "ouvrir l'archive",
        "open the folder" => "ouvrir le dossier",
        "open" => "ouvrir",
        "read the archive" => "lire l'archive",
        "read the entry for" => "lire l'entrée de",
        "read the manifest" => "lire le manifeste",
        "read" => "lire",
        "remove the stale file" => "supprimer le fichier périmé",
        "remove" => "supprimer",
        "rename into" => "renommer en",
        "resolve" => "résoudre",
        "set the mode of" => "changer les droits de",
        "set the time of" => "changer la date de",
        "write the archive" => "écrire l'archive",
        "write" => "écrire",
        _ => "traiter",
    }
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

#[cfg(test)]
mod french_tests {
    use super::*;
    use crate::model::lang::{Lang, scoped};

    #[test]
    fn file_errors_in_french() {
        let e = io::Error::from(io::ErrorKind::PermissionDenied);
        let p = Path::new("/crm/eware.ini");
        let en = scoped(Lang::En, || io_err("read", p, &e).0);
        assert_eq!(
            en,
            format!(
                "cannot read /crm/eware.ini: {e}; run dress as an administrator or stop the service that holds the file"
            )
        );
        let fr = scoped(Lang::Fr, || io_err("read", p, &e).0);
        assert_eq!(
            fr,
            "impossible de lire /crm/eware.ini : accès refusé ; lancez dress en administrateur ou arrêtez le service qui tient le fichier"
        );
        let e = io::Error::from(io::ErrorKind::NotFound);
        let fr = scoped(Lang::Fr, || io_err("open the archive", p, &e).0);
        assert!(
            fr.starts_with("impossible d'ouvrir l'archive /crm/eware.ini : introuvable"),
            "{fr}"
        );
    }
}

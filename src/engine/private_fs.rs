//! Files and folders only their owner can open, whatever the umask: the
//! state folder, run folders, journals, logs, archives and manifests.
//!
//! On Unix, folders are created 0700 and files 0600 (the mode is given at
//! creation, then set again, so a umask of 000 changes nothing). On Windows
//! the state folder's protected ACL (`state_dir::restrict`, Administrators
//! and SYSTEM) is inherited by what is created below it.
//!
//! A folder that another user can write is refused: anyone who can write
//! the state folder can plant a run whose journal opens the gate for the
//! next production run. On Unix that is read from the owner and the mode;
//! on Windows from the folder's access list (`sddl::shared_writers`).

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

/// Create `dir` and its missing parents; each folder this call creates is
/// private to the owner. Existing folders are left as they are.
pub fn create_dir_private(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        let mut missing = Vec::new();
        let mut cur = Some(dir);
        while let Some(d) = cur {
            if d.as_os_str().is_empty() || d.is_dir() {
                break;
            }
            missing.push(d.to_path_buf());
            cur = d.parent();
        }
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
        for d in missing {
            std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o700))?;
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir)
    }
}

/// `opts` made to create files readable and writable by the owner only.
pub fn private(opts: &mut OpenOptions) -> &mut OpenOptions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600)
    }
    #[cfg(not(unix))]
    {
        opts
    }
}

/// Make an existing file private (after creating it with a umask we do not
/// control, or through a library that does not take a mode).
pub fn make_private(file: &File) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        Ok(())
    }
}

/// The name of a folder [`check_not_shared`] judges, in the language in use.
fn folder_name(what: &str) -> &str {
    if crate::model::lang::current() == crate::model::lang::Lang::En {
        return what;
    }
    match what {
        "the state folder" => "le dossier d'état",
        "the runs folder" => "le dossier des exécutions",
        "the run folder" => "le dossier de l'exécution",
        other => other,
    }
}

/// The folder's own metadata, `None` when it does not exist yet; a link is
/// refused (journals are kept only in a real folder).
fn real_folder(dir: &Path, what: &str) -> Result<Option<std::fs::Metadata>, String> {
    let m = match std::fs::symlink_metadata(dir) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(crate::tr_fmt!(
                "cannot read {what} {}: {}",
                "impossible de lire {what} {} : {}",
                dir.display(),
                crate::model::lang_fmt::io_error(&e)
            ));
        }
    };
    if m.file_type().is_symlink() {
        return Err(crate::tr_fmt!(
            "{what} {} is a link: dress keeps its journals only in a real folder; \
             point --state-dir (or DRESS_STATE_DIR) at the folder itself",
            "{what} {} est un lien : dress ne garde ses registres que dans un vrai dossier ; \
             faites pointer --state-dir (ou DRESS_STATE_DIR) sur le dossier lui-même",
            dir.display()
        ));
    }
    Ok(Some(m))
}

/// Refuse a folder that another user can write, or that belongs to another
/// user (root may use any folder it owns). Returns the reason and the fix.
pub fn check_not_shared(dir: &Path, what: &str) -> Result<(), String> {
    let what = folder_name(what);
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let Some(m) = real_folder(dir, what)? else {
            return Ok(());
        };
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        if m.uid() != me {
            return Err(crate::tr_fmt!(
                "{what} {} belongs to user id {}, not to the user running dress ({me}): \
                 another user could change its runs; use a folder of your own \
                 (--state-dir) or, as its owner, run: chown {me} '{}'",
                "{what} {} appartient à l'utilisateur {}, pas à celui qui lance dress ({me}) : \
                 un autre utilisateur pourrait modifier ses exécutions ; utilisez votre propre dossier \
                 (--state-dir) ou, en tant que propriétaire, lancez : chown {me} '{}'",
                dir.display(),
                m.uid(),
                dir.display()
            ));
        }
        let mode = m.mode() & 0o7777;
        if mode & 0o022 != 0 {
            return Err(crate::tr_fmt!(
                "{what} {} can be written by other users (mode {mode:o}): another user could \
                 plant a run that opens production; fix it with: chmod 700 '{}'",
                "{what} {} est modifiable par d'autres utilisateurs (mode {mode:o}) : un autre utilisateur \
                 pourrait y déposer une exécution qui ouvre la production ; corrigez avec : chmod 700 '{}'",
                dir.display(),
                dir.display()
            ));
        }
        Ok(())
    }
    #[cfg(windows)]
    {
        if real_folder(dir, what)?.is_none() {
            return Ok(());
        }
        let sddl = crate::engine::state_dir::dacl_sddl(dir)?;
        let me = crate::engine::state_dir::current_user_sid().unwrap_or_default();
        let writers = crate::engine::sddl::shared_writers(&sddl, &me);
        if writers.is_empty() {
            return Ok(());
        }
        let names: Vec<String> = writers
            .iter()
            .map(|s| crate::engine::sddl::trustee_name(s))
            .collect();
        Err(crate::tr_fmt!(
            "{what} {} can be written by {} (access rights {sddl}): another user could plant a \
             run that opens production; as Administrator, limit it with: {}",
            "{what} {} est modifiable par {} (droits d'accès {sddl}) : un autre utilisateur pourrait y \
             déposer une exécution qui ouvre la production ; en Administrateur, limitez-le avec : {}",
            dir.display(),
            names.join(", "),
            crate::engine::state_dir::icacls_hint(dir)
        ))
    }
    #[cfg(not(any(unix, windows)))]
    {
        let _ = (dir, what);
        Ok(())
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn created_folders_are_private_and_shared_ones_refused() {
        let t = tempfile::tempdir().unwrap();
        let d = t.path().join("a/b/c");
        create_dir_private(&d).unwrap();
        assert_eq!(mode(&d), 0o700);
        assert_eq!(mode(&t.path().join("a")), 0o700);
        assert!(check_not_shared(&d, "the state folder").is_ok());
        std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o777)).unwrap();
        let e = check_not_shared(&d, "the state folder").unwrap_err();
        assert!(e.contains("chmod 700"), "{e}");
        std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o770)).unwrap();
        assert!(check_not_shared(&d, "the state folder").is_err());
        std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert!(check_not_shared(&d, "the state folder").is_ok());
    }
}

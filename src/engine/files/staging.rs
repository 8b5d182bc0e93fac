//! A restore writes into a staging folder beside its target and moves it
//! into place only after the content check: a refused or failed restore
//! leaves the target as it was. A link anywhere on the target's path is
//! refused, before writing and again before the move: writing through it
//! would land somewhere else (production, for a test copy).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::io_util::io_err;
use crate::engine::ctx::{StepCtx, StepError};

/// Refuse `target` when it, or any folder above it, is a link.
pub(crate) fn refuse_links_on_path(target: &Path) -> Result<(), StepError> {
    let abs = std::path::absolute(target).map_err(|e| io_err("resolve", target, &e))?;
    let mut cur = Some(abs.as_path());
    while let Some(p) = cur {
        match fs::symlink_metadata(p) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(StepError(crate::tr_fmt!(
                    "{} is a link{}: a restore through it could write outside the target \
                     (into production); nothing was restored. Give the test environment a \
                     real folder (install_dir) with no link on its path",
                    "{} est un lien{} : une restauration à travers lui pourrait écrire hors de la \
                     cible (dans la production) ; rien n'a été restauré. Donnez à l'environnement de \
                     test un vrai dossier (install_dir) sans lien sur son chemin",
                    p.display(),
                    if p == abs {
                        String::new()
                    } else {
                        crate::tr_fmt!(
                            " on the path of the target {}",
                            " sur le chemin de la cible {}",
                            target.display()
                        )
                    }
                )));
            }
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_err("read", p, &e)),
        }
        cur = p.parent();
    }
    Ok(())
}

fn sibling(target: &Path, suffix: &str) -> Result<PathBuf, StepError> {
    let name = target.file_name().ok_or_else(|| {
        StepError(crate::tr_fmt!(
            "{} names no folder to restore into; write the folder's path",
            "{} ne désigne aucun dossier où restaurer ; écrivez le chemin du dossier",
            target.display()
        ))
    })?;
    let parent = target.parent().unwrap_or(Path::new("."));
    Ok(parent.join(format!(".{}.{suffix}", name.to_string_lossy())))
}

/// Remove what a killed restore left at `p` (a link is removed, never
/// followed).
fn clear(p: &Path) -> Result<(), StepError> {
    match fs::symlink_metadata(p) {
        Ok(m) if m.is_dir() => fs::remove_dir_all(p).map_err(|e| io_err("remove", p, &e)),
        Ok(_) => fs::remove_file(p).map_err(|e| io_err("remove", p, &e)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_err("read", p, &e)),
    }
}

/// A fresh, private staging folder beside `target`.
pub(crate) fn prepare(target: &Path) -> Result<PathBuf, StepError> {
    let staging = sibling(target, "restoring")?;
    if let Some(parent) = staging.parent() {
        fs::create_dir_all(parent).map_err(|e| io_err("create the folder", parent, &e))?;
    }
    clear(&staging)?;
    crate::engine::private_fs::create_dir_private(&staging)
        .map_err(|e| io_err("create the folder", &staging, &e))?;
    // The target keeps the mode its folder had.
    if let Ok(m) = fs::metadata(target) {
        let _ = fs::set_permissions(&staging, m.permissions());
    }
    Ok(staging)
}

/// Remove the staging folder of a refused or failed restore.
pub(crate) fn discard(staging: &Path) {
    let _ = clear(staging);
}

/// Move the checked staging folder into place: the previous target is
/// renamed away first, put back if the move fails, removed after.
pub(crate) fn commit(staging: &Path, target: &Path, ctx: &StepCtx) -> Result<(), StepError> {
    refuse_links_on_path(target)?;
    let exists = fs::symlink_metadata(target).is_ok();
    if !exists {
        return fs::rename(staging, target).map_err(|e| io_err("move into place", target, &e));
    }
    let old = sibling(target, "replaced")?;
    clear(&old)?;
    fs::rename(target, &old).map_err(|e| {
        io_err(
            "move aside the previous content of (stop the services that use it)",
            target,
            &e,
        )
    })?;
    if let Err(e) = fs::rename(staging, target) {
        let _ = fs::rename(&old, target);
        return Err(io_err("move into place", target, &e));
    }
    if let Err(e) = fs::remove_dir_all(&old) {
        ctx.info(&crate::tr_fmt!(
            "the previous content of the target, moved to {}, could not be removed ({}); remove it by hand",
            "l'ancien contenu de la cible, déplacé vers {}, n'a pas pu être supprimé ({}) ; supprimez-le à la main",
            old.display(),
            crate::model::lang_fmt::io_error(&e)
        ));
    }
    Ok(())
}

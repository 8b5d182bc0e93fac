//! `files.copy`: mirror a tree. New and changed files are copied (through a
//! temporary name, so a file is never half-written under its own name);
//! files and folders of the target absent from the source are removed, each
//! removal named in the step log. "Changed" means another size or a
//! modification time more than 2 s apart (the FAT/SMB rounding), as robocopy
//! does; copied files get the source's modification time. Files are not
//! fsynced one by one: after a crash, run the mirror again.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::Path;
use std::time::{Duration, SystemTime};

use super::io_util::{Staged, io_err, resolve};
use super::manifest::BUF;
use super::monitor::{Monitor, human};
use super::walk::{Kind, WalkEntry, walk};
use crate::engine::ctx::{StepCtx, StepError, StepResult};

const MTIME_SLACK: Duration = Duration::from_secs(2);

pub(crate) fn mirror_blocking(source: &Path, target: &Path, ctx: &StepCtx) -> StepResult {
    let mut mon = Monitor::new(
        ctx,
        None,
        crate::model::lang::tr(
            "mirroring (the target is partly updated)",
            "la copie miroir (la cible est en partie mise à jour)",
        ),
    );
    refuse_nested(source, target)?;
    let src = walk(source, &mon)?;
    fs::create_dir_all(target).map_err(|e| io_err("create the folder", target, &e))?;
    let dst = walk(target, &mon)?;
    let src_by: HashMap<&str, &WalkEntry> = src.iter().map(|e| (e.rel.as_str(), e)).collect();
    let dst_by: HashMap<&str, &WalkEntry> = dst.iter().map(|e| (e.rel.as_str(), e)).collect();

    // Extras first (children before their folders), so that a file can take
    // the place of a folder of the same name and the reverse.
    let mut removed = 0u64;
    for d in dst.iter().rev() {
        mon.check()?;
        let keep = matches!(src_by.get(d.rel.as_str()), Some(s) if s.kind == d.kind && d.kind != Kind::Other);
        if keep || !exists(&d.abs) {
            continue;
        }
        remove(d)?;
        removed += 1;
        ctx.info(&crate::tr_fmt!(
            "removed {} (not in the source)",
            "supprimé {} (absent de la source)",
            d.rel
        ));
    }

    let todo: Vec<&WalkEntry> = src
        .iter()
        .filter(|s| s.kind == Kind::File && !unchanged(s, dst_by.get(s.rel.as_str()).copied()))
        .collect();
    mon.set_total(todo.iter().map(|s| s.size).sum());
    for s in &src {
        if s.kind == Kind::Dir {
            let p = target.join(&s.rel);
            fs::create_dir_all(&p).map_err(|e| io_err("create the folder", &p, &e))?;
        } else if s.kind == Kind::Other {
            ctx.info(&crate::tr_fmt!(
                "not copied (link): {}",
                "non copié (lien) : {}",
                s.rel
            ));
        }
    }
    let mut buf = vec![0u8; BUF];
    let mut bytes = 0u64;
    for s in &todo {
        mon.check()?;
        let dest = target.join(&s.rel);
        let new = !dst_by.contains_key(s.rel.as_str());
        bytes += copy_file(&s.abs, &dest, &mut buf, &mut mon)?;
        ctx.info(&crate::tr_fmt!(
            "copied {} ({})",
            "copié {} ({})",
            s.rel,
            if new {
                crate::model::lang::tr("new", "nouveau")
            } else {
                crate::model::lang::tr("changed", "modifié")
            }
        ));
    }
    mon.finish();
    let files = src.iter().filter(|s| s.kind == Kind::File).count();
    let same = files - todo.len();
    ctx.measured(crate::tr_fmt!(
        "mirror: {} copied ({bytes} bytes), {same} unchanged, {removed} removed",
        "copie miroir : {} copié(s) ({bytes} octets), {same} inchangé(s), {removed} supprimé(s)",
        todo.len()
    ));
    Ok(crate::tr_fmt!(
        "mirrored {} to {}: {} copied ({}), {same} unchanged, {removed} removed from the \
         target (absent from the source)",
        "copie miroir de {} vers {} : {} copié(s) ({}), {same} inchangé(s), {removed} supprimé(s) \
         de la cible (absents de la source)",
        source.display(),
        target.display(),
        todo.len(),
        human(bytes)
    ))
}

fn unchanged(s: &WalkEntry, d: Option<&WalkEntry>) -> bool {
    let Some(d) = d else { return false };
    if d.kind != Kind::File || d.size != s.size {
        return false;
    }
    match (s.modified, d.modified) {
        (Some(a), Some(b)) => {
            let gap = a.duration_since(b).or_else(|_| b.duration_since(a));
            gap.map(|g| g <= MTIME_SLACK).unwrap_or(false)
        }
        _ => false,
    }
}

fn exists(p: &Path) -> bool {
    fs::symlink_metadata(p).is_ok()
}

fn remove(d: &WalkEntry) -> Result<(), StepError> {
    make_writable(&d.abs);
    let r = match d.kind {
        Kind::Dir => fs::remove_dir_all(&d.abs),
        Kind::File => fs::remove_file(&d.abs),
        // A link: remove the link, never what it points to.
        Kind::Other => fs::remove_file(&d.abs).or_else(|_| fs::remove_dir(&d.abs)),
    };
    r.map_err(|e| io_err("remove", &d.abs, &e))
}

fn copy_file(
    from: &Path,
    dest: &Path,
    buf: &mut [u8],
    mon: &mut Monitor,
) -> Result<u64, StepError> {
    let mut f = File::open(from).map_err(|e| io_err("open", from, &e))?;
    let meta = f.metadata().map_err(|e| io_err("read", from, &e))?;
    let (staged, mut out) = Staged::create(dest)?;
    let mut n_all = 0u64;
    loop {
        let n = f.read(buf).map_err(|e| io_err("read", from, &e))?;
        if n == 0 {
            break;
        }
        out.write_all(&buf[..n])
            .map_err(|e| io_err("write", dest, &e))?;
        n_all += n as u64;
        mon.add(n as u64)?;
    }
    let mtime = meta.modified().unwrap_or_else(|_| SystemTime::now());
    out.set_modified(mtime)
        .map_err(|e| io_err("set the time of", dest, &e))?;
    // The copy keeps the source's mode: never wider, never narrower.
    #[cfg(unix)]
    out.set_permissions(meta.permissions())
        .map_err(|e| io_err("set the mode of", dest, &e))?;
    drop(out);
    make_writable(dest);
    staged.commit_unsynced()?;
    Ok(n_all)
}

/// Windows refuses to replace or delete a read-only file.
#[cfg(windows)]
#[allow(clippy::permissions_set_readonly_false)]
fn make_writable(p: &Path) {
    if let Ok(m) = fs::symlink_metadata(p) {
        let mut perm = m.permissions();
        if perm.readonly() {
            perm.set_readonly(false);
            let _ = fs::set_permissions(p, perm);
        }
    }
}

#[cfg(not(windows))]
fn make_writable(_p: &Path) {}

fn refuse_nested(source: &Path, target: &Path) -> Result<(), StepError> {
    let s = fs::canonicalize(source).map_err(|e| io_err("open the folder", source, &e))?;
    let t = resolve(target);
    if s.starts_with(&t) || t.starts_with(&s) {
        return Err(StepError(crate::tr_fmt!(
            "{} and {} are the same folder or one holds the other; mirror to a separate folder",
            "{} et {} sont le même dossier ou l'un contient l'autre ; copiez vers un dossier distinct",
            source.display(),
            target.display()
        )));
    }
    Ok(())
}

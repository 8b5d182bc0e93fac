//! `files.restore`: extract an archive into a folder.
//!
//! Every entry is checked before anything is written (a first pass over the
//! headers): an entry whose path would land outside the target (absolute,
//! `..`, drive prefix, backslash, NTFS stream) or that is a link or a device
//! fails the step and nothing is extracted. Links are refused outright rather
//! than resolved: the archives this tool writes never hold any, and a chain of
//! links inside the target can point out of it. A target with a link
//! anywhere on its path is refused too, so nothing is written through it.
//!
//! The archive must prove itself first (its manifest and seal, see `seal`).
//! The files are then written into a staging folder beside the target,
//! hashed as they are written, and must match the manifest exactly; only
//! then does the staging folder replace the target (see `staging`): a
//! refused restore leaves the target as it was.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use tar::{Archive, EntryType};

use super::entry_path::check_entry_path;
use super::io_util::{Staged, io_err};
use super::manifest::{BUF, FileEntry, Manifest, diff_manifests};
use super::manifest_path_for;
use super::monitor::{Monitor, human};
use super::verify::judge;
use crate::engine::ctx::{StepCtx, StepError, StepResult};

pub(crate) fn restore_blocking(archive: &Path, target: &Path, ctx: &StepCtx) -> StepResult {
    let mpath = manifest_path_for(archive);
    let mut mon = Monitor::new(
        ctx,
        None,
        crate::model::lang::tr(
            "restoring (the target is unchanged)",
            "la restauration (la cible est inchangée)",
        ),
    );
    let total = check_entries(archive, &mon)?;
    mon.set_total(total);
    // No manifest, no restore: an archive alone proves nothing.
    if !mpath.exists() {
        return Err(StepError(crate::tr_fmt!(
            "no manifest {} beside the archive: an archive without the manifest its backup \
             wrote cannot be trusted; nothing was restored; run the backup stage again",
            "pas de manifeste {} à côté de l'archive : une archive sans le manifeste écrit par sa \
             sauvegarde n'est pas fiable ; rien n'a été restauré ; relancez la phase Sauvegarde",
            mpath.display()
        )));
    }
    let expected = Manifest::read(&mpath)?;
    super::seal::check(archive, &mpath, expected.archive.as_ref(), ctx)?;
    let expected = Some(expected);

    super::staging::refuse_links_on_path(target)?;
    let staging = super::staging::prepare(target)?;
    let actual = match extract(
        archive,
        &staging,
        expected.as_ref(),
        &mpath,
        target,
        &mut mon,
        ctx,
    ) {
        Ok(a) => a,
        Err(e) => {
            super::staging::discard(&staging);
            return Err(e);
        }
    };
    if let Err(e) = super::staging::commit(&staging, target, ctx) {
        super::staging::discard(&staging);
        return Err(e);
    }
    let done = super::monitor::agreed(actual.files.len() as u64, "restauré");
    Ok(crate::tr_fmt!(
        "restored {} ({}) into {}{}",
        "{} {done} ({}) dans {}{}",
        super::monitor::n_files(actual.files.len() as u64),
        human(actual.total_bytes()),
        target.display(),
        if expected.is_some() {
            crate::model::lang::tr(", all match the manifest", ", tous conformes au manifeste")
        } else {
            crate::model::lang::tr(
                " (no manifest to verify against)",
                " (aucun manifeste pour vérifier)",
            )
        }
    ))
}

/// Extract every entry under `root` (the staging folder) and check the
/// result against the manifest; `shown_as` is the target named in errors.
fn extract(
    archive: &Path,
    root: &Path,
    expected: Option<&Manifest>,
    mpath: &Path,
    shown_as: &Path,
    mon: &mut Monitor,
    ctx: &StepCtx,
) -> Result<Manifest, StepError> {
    let mut known: HashSet<PathBuf> = HashSet::new();
    let f = File::open(archive).map_err(|e| io_err("open the archive", archive, &e))?;
    let mut ar = Archive::new(BufReader::with_capacity(BUF, f));
    let bad = |e: io::Error| damaged(archive, e);
    let mut buf = vec![0u8; BUF];
    let mut files = Vec::new();
    // Folder modes are set once every file is in (a read-only folder would
    // refuse its own files).
    let mut dir_modes: Vec<(PathBuf, u32)> = Vec::new();
    for entry in ar.entries().map_err(bad)? {
        mon.check()?;
        let mut entry = entry.map_err(bad)?;
        let raw = entry.path_bytes().into_owned();
        // Checked in the first pass; checked again in case the file changed.
        let rel = check_entry_path(&raw).map_err(|why| refused(archive, &raw, &why, false))?;
        let parts: Vec<&str> = rel.split('/').filter(|p| !p.is_empty()).collect();
        match entry.header().entry_type() {
            EntryType::Directory => {
                ensure_dir(root, &parts, &mut known)?;
                if let Ok(mode) = entry.header().mode() {
                    let dir = parts.iter().fold(root.to_path_buf(), |p, c| p.join(c));
                    dir_modes.push((dir, mode));
                }
            }
            EntryType::Regular | EntryType::Continuous => {
                let Some((_, parents)) = parts.split_last() else {
                    return Err(refused(
                        archive,
                        &raw,
                        &crate::model::lang::tr(
                            "a file entry without a name",
                            "une entrée de fichier sans nom",
                        ),
                        false,
                    ));
                };
                ensure_dir(root, parents, &mut known)?;
                let dest = parts.iter().fold(root.to_path_buf(), |p, c| p.join(c));
                let mtime = entry.header().mtime().ok();
                let mode = entry.header().mode().ok();
                let (size, blake3) = write_entry(&mut entry, &dest, mtime, mode, &mut buf, mon)?;
                files.push(FileEntry {
                    path: rel,
                    size,
                    blake3,
                });
            }
            other => return Err(refused(archive, &raw, &kind_entry(other), false)),
        }
    }
    for (dir, mode) in dir_modes.iter().rev() {
        set_mode(dir, *mode)?;
    }
    mon.finish();
    let actual = Manifest::from_files(files);
    if let Some(expected) = &expected {
        let diffs = diff_manifests(expected, &actual);
        judge(ctx, &diffs, &actual, shown_as, mpath)?;
    } else {
        let done = super::monitor::agreed(actual.files.len() as u64, "restauré");
        ctx.measured(crate::tr_fmt!(
            "restored {}, {} bytes",
            "{} {done}, {} octets",
            super::monitor::n_files(actual.files.len() as u64),
            actual.total_bytes()
        ));
    }
    Ok(actual)
}

/// First pass: every entry path and kind, without writing. Returns the
/// number of content bytes.
fn check_entries(archive: &Path, mon: &Monitor) -> Result<u64, StepError> {
    let f = File::open(archive).map_err(|e| io_err("open the archive", archive, &e))?;
    let mut ar = Archive::new(f);
    let mut total = 0u64;
    for entry in ar.entries_with_seek().map_err(|e| damaged(archive, e))? {
        mon.check()?;
        let entry = entry.map_err(|e| damaged(archive, e))?;
        let raw = entry.path_bytes();
        let rel = check_entry_path(&raw).map_err(|why| refused(archive, &raw, &why, true))?;
        match entry.header().entry_type() {
            EntryType::Directory => {}
            EntryType::Regular | EntryType::Continuous if !rel.is_empty() => total += entry.size(),
            EntryType::Symlink | EntryType::Link => {
                let to = entry.link_name_bytes().unwrap_or_default();
                let why = crate::tr_fmt!(
                    "a link to `{}`",
                    "un lien vers `{}`",
                    String::from_utf8_lossy(&to)
                );
                return Err(refused(archive, &raw, &why, true));
            }
            other => return Err(refused(archive, &raw, &kind_entry(other), true)),
        }
    }
    Ok(total)
}

/// Create the folders `parts` under `target`, refusing any that is a link.
fn ensure_dir(
    target: &Path,
    parts: &[&str],
    known: &mut HashSet<PathBuf>,
) -> Result<(), StepError> {
    let mut p = target.to_path_buf();
    for c in parts {
        p.push(c);
        if known.contains(&p) {
            continue;
        }
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(StepError(crate::tr_fmt!(
                    "{} is a link in the target folder; restoring through it could write \
                     outside the target: remove it and run the step again",
                    "{} est un lien dans le dossier cible ; restaurer à travers lui pourrait écrire \
                     hors de la cible : supprimez-le et relancez l'étape",
                    p.display()
                )));
            }
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(StepError(crate::tr_fmt!(
                    "{} exists and is not a folder; move it away and run the step again",
                    "{} existe et n'est pas un dossier ; déplacez-le ailleurs et relancez l'étape",
                    p.display()
                )));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                fs::create_dir(&p).map_err(|e| io_err("create the folder", &p, &e))?;
            }
            Err(e) => return Err(io_err("read", &p, &e)),
        }
        known.insert(p.clone());
    }
    Ok(())
}

/// Write one entry to `dest` through a temporary file (renamed over any
/// existing file or link, never written through it), hashing on the way.
fn write_entry(
    entry: &mut impl Read,
    dest: &Path,
    mtime: Option<u64>,
    mode: Option<u32>,
    buf: &mut [u8],
    mon: &mut Monitor,
) -> Result<(u64, String), StepError> {
    let (staged, mut out) = Staged::create(dest)?;
    let mut h = blake3::Hasher::new();
    let mut size = 0u64;
    loop {
        let n = entry
            .read(buf)
            .map_err(|e| io_err("read the entry for", dest, &e))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
        out.write_all(&buf[..n])
            .map_err(|e| io_err("write", dest, &e))?;
        size += n as u64;
        mon.add(n as u64)?;
    }
    if let Some(secs) = mtime {
        let _ = out.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(secs));
    }
    if let Some(mode) = mode {
        set_file_mode(&out, dest, mode)?;
    }
    drop(out);
    staged.commit_unsynced()?;
    Ok((size, h.finalize().to_hex().to_string()))
}

/// The archived permission bits (setuid, setgid and sticky dropped).
#[cfg(unix)]
fn set_file_mode(f: &File, dest: &Path, mode: u32) -> Result<(), StepError> {
    use std::os::unix::fs::PermissionsExt;
    f.set_permissions(fs::Permissions::from_mode(mode & 0o777))
        .map_err(|e| io_err("set the mode of", dest, &e))
}

#[cfg(not(unix))]
fn set_file_mode(_f: &File, _dest: &Path, _mode: u32) -> Result<(), StepError> {
    // Windows files inherit the ACL of the folder they are restored into.
    Ok(())
}

#[cfg(unix)]
fn set_mode(dir: &Path, mode: u32) -> Result<(), StepError> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(dir, fs::Permissions::from_mode(mode & 0o777))
        .map_err(|e| io_err("set the mode of", dir, &e))
}

#[cfg(not(unix))]
fn set_mode(_dir: &Path, _mode: u32) -> Result<(), StepError> {
    Ok(())
}

fn damaged(archive: &Path, e: io::Error) -> StepError {
    StepError(crate::tr_fmt!(
        "the archive {} is damaged or not a tar file ({}); use another archive",
        "l'archive {} est endommagée ou n'est pas un fichier tar ({}) ; utilisez une autre archive",
        archive.display(),
        crate::model::lang_fmt::io_error(&e)
    ))
}

fn kind_entry(kind: EntryType) -> String {
    crate::tr_fmt!("{kind:?} entry", "entrée de type {kind:?}")
}

fn refused(archive: &Path, raw: &[u8], why: &dyn std::fmt::Display, first: bool) -> StepError {
    StepError(crate::tr_fmt!(
        "refused entry `{}` of {}: {why}; it would land outside the target or is not a \
         plain file or folder.{} Do not use this archive",
        "entrée `{}` de {} refusée : {why} ; elle aboutirait hors de la cible ou n'est pas un \
         simple fichier ou dossier.{} N'utilisez pas cette archive",
        String::from_utf8_lossy(raw),
        archive.display(),
        if first {
            crate::model::lang::tr(" Nothing was restored.", " Rien n'a été restauré.")
        } else {
            ""
        }
    ))
}

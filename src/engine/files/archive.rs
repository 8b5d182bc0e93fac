//! `files.archive`: one tar file plus its BLAKE3 manifest.
//!
//! The archive is an uncompressed tar: the CRM program files are mostly
//! already-compact binaries and images, so compression would cost most of the
//! step's time for little space, while an uncompressed tar streams at disk
//! speed, can be listed and checked entry by entry, and opens with the `tar`
//! built into Windows Server. Each file is read once: the bytes are hashed on
//! their way into the tar.

use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Write};
use std::path::Path;

use tar::{Builder, EntryType, Header, HeaderMode};

use super::io_util::{Staged, io_err, resolve};
use super::manifest::{BUF, FileEntry, Manifest};
use super::manifest_path_for;
use super::monitor::{Monitor, human};
use super::seal::{Seal, run_id, seal_record};
use super::walk::{Kind, walk};
use crate::engine::ctx::{StepCtx, StepError, StepResult};

/// Write buffer of the archive: few, large writes.
const OUT_BUF: usize = 1024 * 1024;

pub(crate) fn archive_blocking(source: &Path, archive: &Path, ctx: &StepCtx) -> StepResult {
    refuse_archive_inside_source(source, archive)?;
    let mut mon = Monitor::new(
        ctx,
        None,
        crate::model::lang::tr(
            "archiving (no archive was written)",
            "l'archivage (aucune archive n'a été écrite)",
        ),
    );
    let entries = walk(source, &mon)?;
    let total: u64 = entries.iter().map(|e| e.size).sum();
    mon.set_total(total);
    let n_files = entries.iter().filter(|e| e.kind == Kind::File).count();
    ctx.info(&crate::tr_fmt!(
        "archiving {n_files} files ({}) from {} into {}",
        "archivage de {n_files} fichiers ({}) de {} dans {}",
        human(total),
        source.display(),
        archive.display()
    ));

    let (staged, file) = Staged::create(archive)?;
    let mut tar = Builder::new(Hashing::new(BufWriter::with_capacity(OUT_BUF, file)));
    let mut buf = vec![0u8; BUF];
    let mut files = Vec::with_capacity(n_files);
    let werr = |e: io::Error| io_err("write the archive", archive, &e);
    for e in &entries {
        mon.check()?;
        match e.kind {
            Kind::Dir => {
                let mut h = Header::new_gnu();
                if let Ok(meta) = fs::metadata(&e.abs) {
                    h.set_metadata_in_mode(&meta, HeaderMode::Complete);
                }
                h.set_entry_type(EntryType::Directory);
                h.set_size(0);
                tar.append_data(&mut h, format!("{}/", e.rel), io::empty())
                    .map_err(werr)?;
            }
            Kind::File => {
                let entry = append_file(&mut tar, &e.abs, &e.rel, &mut buf, &mut mon, archive)?;
                files.push(entry);
            }
            Kind::Other => ctx.info(&crate::tr_fmt!(
                "not archived (link): {}",
                "non archivé (lien) : {}",
                e.rel
            )),
        }
    }
    tar.finish().map_err(werr)?;
    let out = tar.into_inner().map_err(werr)?;
    let (out, archive_hash) = out.finish();
    let file = out.into_inner().map_err(|e| werr(e.into_error()))?;
    mon.check()?;
    file.sync_all().map_err(werr)?;
    let archive_size = file.metadata().map(|m| m.len()).unwrap_or(0);
    drop(file);
    mon.check()?;

    let mut manifest = Manifest::from_files(files);
    let seal = Seal {
        blake3: archive_hash,
        run_id: run_id(ctx),
    };
    manifest.archive = Some(seal.clone());
    // The pair is committed together: the manifest is written and synced
    // first, then both are renamed. A full disk or a crash before that
    // leaves no new archive without its manifest; between the two renames,
    // the old manifest (if any) does not match the new archive and a
    // restore refuses the pair.
    let mpath = manifest_path_for(archive);
    let staged_manifest = manifest.stage(&mpath)?;
    mon.check()?;
    staged.commit()?;
    staged_manifest.commit()?;
    // Journalled: a restore checks the pair against this record.
    ctx.measured(seal_record(archive, &seal));
    mon.finish();
    let bytes = manifest.total_bytes();
    let n = manifest.files.len() as u64;
    let done = super::monitor::agreed(n, "archivé");
    ctx.measured(crate::tr_fmt!(
        "archived {}, {}; archive {}",
        "{} {done}, {} ; archive de {}",
        super::monitor::n_files(n),
        super::monitor::exact_bytes(bytes),
        super::monitor::exact_bytes(archive_size)
    ));
    Ok(crate::tr_fmt!(
        "archived {} ({}) into {} with manifest {}",
        "{} {done} ({}) dans {} avec le manifeste {}",
        super::monitor::n_files(n),
        human(bytes),
        archive.display(),
        mpath.display()
    ))
}

/// Header, then the content read once: hashed and written in the same pass.
fn append_file<W: Write>(
    tar: &mut Builder<W>,
    path: &Path,
    rel: &str,
    buf: &mut [u8],
    mon: &mut Monitor,
    archive: &Path,
) -> Result<FileEntry, StepError> {
    let werr = |e: io::Error| io_err("write the archive", archive, &e);
    let mut f = File::open(path).map_err(|e| io_err("open", path, &e))?;
    let meta = f.metadata().map_err(|e| io_err("read", path, &e))?;
    let size = meta.len();
    let mut h = Header::new_gnu();
    h.set_metadata_in_mode(&meta, HeaderMode::Complete);
    h.set_entry_type(EntryType::Regular);
    h.set_size(size);
    // The header (and a long-name record if needed) without content; the
    // content follows, written here so that it is hashed on the way.
    tar.append_data(&mut h, rel, io::empty()).map_err(werr)?;
    let out = tar.get_mut();
    let mut hasher = blake3::Hasher::new();
    let mut left = size;
    // Each read asks for one byte more than what is left, so that a file
    // that grew is caught without an extra read in the usual case.
    let mut end_seen = false;
    while left > 0 {
        let want = buf
            .len()
            .min(usize::try_from(left + 1).unwrap_or(usize::MAX));
        end_seen = want as u64 > left;
        let n = f
            .read(&mut buf[..want])
            .map_err(|e| io_err("read", path, &e))?;
        if n == 0 || n as u64 > left {
            return Err(changed(path, size));
        }
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n]).map_err(werr)?;
        left -= n as u64;
        mon.add(n as u64)?;
    }
    if !end_seen
        && f.read(&mut buf[..1])
            .map_err(|e| io_err("read", path, &e))?
            != 0
    {
        return Err(changed(path, size));
    }
    let pad = (512 - size % 512) % 512;
    out.write_all(&[0u8; 512][..pad as usize]).map_err(werr)?;
    Ok(FileEntry {
        path: rel.to_string(),
        size,
        blake3: hasher.finalize().to_hex().to_string(),
    })
}

/// A writer that hashes what goes through it: the archive's BLAKE3 without
/// reading it back.
struct Hashing<W> {
    inner: W,
    hasher: blake3::Hasher,
}

impl<W> Hashing<W> {
    fn new(inner: W) -> Self {
        Hashing {
            inner,
            hasher: blake3::Hasher::new(),
        }
    }

    fn finish(self) -> (W, String) {
        (self.inner, self.hasher.finalize().to_hex().to_string())
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn changed(path: &Path, size: u64) -> StepError {
    StepError(crate::tr_fmt!(
        "{} changed size while being archived (it had {size} bytes); stop the CRM \
         services that write to it and run the step again",
        "{} a changé de taille pendant l'archivage (il faisait {size} octets) ; arrêtez les \
         services CRM qui y écrivent et relancez l'étape",
        path.display()
    ))
}

fn refuse_archive_inside_source(source: &Path, archive: &Path) -> Result<(), StepError> {
    let src = fs::canonicalize(source).map_err(|e| io_err("open the folder", source, &e))?;
    if resolve(archive).starts_with(&src) {
        return Err(StepError(crate::tr_fmt!(
            "the archive {} would be inside the folder being archived {}; choose a \
             destination outside it",
            "l'archive {} serait dans le dossier archivé {} ; choisissez une \
             destination en dehors",
            archive.display(),
            source.display()
        )));
    }
    Ok(())
}

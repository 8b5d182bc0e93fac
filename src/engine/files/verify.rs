//! `files.verify`: a folder or an archive file against a manifest. Every
//! missing, extra or changed file is named in the step log; the error names
//! the first few.

use std::fs::{self, File};
use std::io::{BufReader, Read};
use std::path::Path;

use tar::{Archive, EntryType};

use super::entry_path::check_entry_path;
use super::io_util::io_err;
use super::manifest::{BUF, Difference, FileEntry, Manifest, diff_manifests, hash_tree};
use super::monitor::{Monitor, human};
use crate::engine::ctx::{StepCtx, StepError, StepResult};

pub(crate) fn verify_blocking(target: &Path, manifest: &Path, ctx: &StepCtx) -> StepResult {
    let expected = Manifest::read(manifest)?;
    let meta = fs::metadata(target).map_err(|e| io_err("open", target, &e))?;
    let mut mon = Monitor::new(ctx, Some(expected.total_bytes()), "verifying");
    let actual = if meta.is_dir() {
        hash_tree(target, &mut mon)?
    } else {
        hash_archive(target, &mut mon)?
    };
    mon.finish();
    let diffs = diff_manifests(&expected, &actual);
    judge(ctx, &diffs, &actual, target, manifest)?;
    Ok(format!(
        "verified {} files ({}) of {} against {}: all match",
        actual.files.len(),
        human(actual.total_bytes()),
        target.display(),
        manifest.display()
    ))
}

/// The manifest of the files inside a tar archive, read once.
pub(crate) fn hash_archive(archive: &Path, mon: &mut Monitor) -> Result<Manifest, StepError> {
    let f = File::open(archive).map_err(|e| io_err("open the archive", archive, &e))?;
    let mut ar = Archive::new(BufReader::with_capacity(BUF, f));
    let bad = |e: std::io::Error| {
        StepError(format!(
            "the archive {} is damaged or not a tar file ({e}); archive the folder again",
            archive.display()
        ))
    };
    let mut buf = vec![0u8; BUF];
    let mut files = Vec::new();
    for entry in ar.entries().map_err(bad)? {
        mon.check()?;
        let mut entry = entry.map_err(bad)?;
        let raw = entry.path_bytes().into_owned();
        let shown = String::from_utf8_lossy(&raw).into_owned();
        let rel = check_entry_path(&raw).map_err(|why| {
            StepError(format!(
                "the archive {} holds the entry `{shown}` that would land outside the \
                 target folder: {why}; do not restore this archive",
                archive.display()
            ))
        })?;
        match entry.header().entry_type() {
            EntryType::Directory => continue,
            EntryType::Regular | EntryType::Continuous => {}
            other => {
                return Err(StepError(format!(
                    "the archive {} holds `{shown}` of kind {other:?}; only files and \
                     folders are expected",
                    archive.display()
                )));
            }
        }
        let mut h = blake3::Hasher::new();
        let mut size = 0u64;
        loop {
            let n = entry.read(&mut buf).map_err(bad)?;
            if n == 0 {
                break;
            }
            h.update(&buf[..n]);
            size += n as u64;
            mon.add(n as u64)?;
        }
        files.push(FileEntry {
            path: rel,
            size,
            blake3: h.finalize().to_hex().to_string(),
        });
    }
    Ok(Manifest::from_files(files))
}

/// Log every difference and fail naming the first few; measure what was
/// checked either way.
pub(crate) fn judge(
    ctx: &StepCtx,
    diffs: &[Difference],
    actual: &Manifest,
    target: &Path,
    manifest: &Path,
) -> Result<(), StepError> {
    let mut named = Vec::new();
    for d in diffs {
        let line = match d {
            Difference::OnlyInA(f) => format!("missing: {} ({} bytes)", f.path, f.size),
            Difference::OnlyInB(f) => format!("extra: {} ({} bytes)", f.path, f.size),
            Difference::Differs { a, b } => format!(
                "changed: {} (manifest {} bytes {}, found {} bytes {})",
                a.path,
                a.size,
                short(&a.blake3),
                b.size,
                short(&b.blake3)
            ),
        };
        ctx.info(&line);
        if named.len() < 5 {
            named.push(line);
        }
    }
    ctx.measured(format!(
        "checked {} files, {} bytes, against {}; {} differences",
        actual.files.len(),
        actual.total_bytes(),
        manifest.display(),
        diffs.len()
    ));
    if diffs.is_empty() {
        return Ok(());
    }
    let more = if diffs.len() > named.len() {
        format!(" (and {} more in the step log)", diffs.len() - named.len())
    } else {
        String::new()
    };
    Err(StepError(format!(
        "{} of the {} files checked in {} differ from the manifest {}: {}{more}",
        diffs.len(),
        actual.files.len(),
        target.display(),
        manifest.display(),
        named.join("; ")
    )))
}

fn short(hex: &str) -> &str {
    hex.get(..12).unwrap_or(hex)
}

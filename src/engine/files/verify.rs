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
    let mut mon = Monitor::new(
        ctx,
        Some(expected.total_bytes()),
        crate::model::lang::tr("verifying", "la vérification"),
    );
    let actual = if meta.is_dir() {
        hash_tree(target, &mut mon)?
    } else {
        hash_archive(target, &mut mon)?
    };
    mon.finish();
    let diffs = diff_manifests(&expected, &actual);
    judge(ctx, &diffs, &actual, target, manifest)?;
    let done = super::monitor::agreed(actual.files.len() as u64, "vérifié");
    Ok(crate::tr_fmt!(
        "verified {} ({}) of {} against {}: all match",
        "{} {done} ({}) de {} par rapport à {} : tout correspond",
        super::monitor::n_files(actual.files.len() as u64),
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
        StepError(crate::tr_fmt!(
            "the archive {} is damaged or not a tar file ({}); archive the folder again",
            "l'archive {} est endommagée ou n'est pas un fichier tar ({}) ; archivez à nouveau le dossier",
            archive.display(),
            crate::model::lang_fmt::io_error(&e)
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
            StepError(crate::tr_fmt!(
                "the archive {} holds the entry `{shown}` that would land outside the \
                 target folder: {why}; do not restore this archive",
                "l'archive {} contient l'entrée `{shown}` qui aboutirait hors du \
                 dossier cible : {why} ; ne restaurez pas cette archive",
                archive.display()
            ))
        })?;
        match entry.header().entry_type() {
            EntryType::Directory => continue,
            EntryType::Regular | EntryType::Continuous => {}
            other => {
                return Err(StepError(crate::tr_fmt!(
                    "the archive {} holds `{shown}` of kind {other:?}; only files and \
                     folders are expected",
                    "l'archive {} contient `{shown}` de type {other:?} ; seuls des fichiers et \
                     des dossiers sont attendus",
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
            Difference::OnlyInA(f) => crate::tr_fmt!(
                "missing: {} ({} bytes)",
                "manquant : {} ({} octets)",
                f.path,
                f.size
            ),
            Difference::OnlyInB(f) => crate::tr_fmt!(
                "extra: {} ({} bytes)",
                "en trop : {} ({} octets)",
                f.path,
                f.size
            ),
            Difference::Differs { a, b } => crate::tr_fmt!(
                "changed: {} (manifest {} bytes {}, found {} bytes {})",
                "modifié : {} (manifeste {} octets {}, trouvé {} octets {})",
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
    let done = super::monitor::agreed(actual.files.len() as u64, "contrôlé");
    ctx.measured(crate::tr_fmt!(
        "checked {}, {} bytes, against {}; {} differences",
        "{} {done}, {} octets, par rapport à {} ; {} différence(s)",
        super::monitor::n_files(actual.files.len() as u64),
        actual.total_bytes(),
        manifest.display(),
        diffs.len()
    ));
    if diffs.is_empty() {
        return Ok(());
    }
    let more = if diffs.len() > named.len() {
        crate::tr_fmt!(
            " (and {} more in the step log)",
            " (et {} de plus dans le journal de l'étape)",
            diffs.len() - named.len()
        )
    } else {
        String::new()
    };
    let verb = if crate::model::lang::Lang::Fr.singular(diffs.len() as u64) {
        "diffère"
    } else {
        "diffèrent"
    };
    Err(StepError(crate::tr_fmt!(
        "{} of the {} files checked in {} differ from the manifest {}: {}{more}",
        "{} des {} fichiers contrôlés dans {} {verb} du manifeste {} : {}{more}",
        diffs.len(),
        actual.files.len(),
        target.display(),
        manifest.display(),
        named.join(crate::model::lang::tr("; ", " ; "))
    )))
}

fn short(hex: &str) -> &str {
    hex.get(..12).unwrap_or(hex)
}

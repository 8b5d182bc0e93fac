//! An archive that proves itself: its manifest carries the archive's BLAKE3
//! and the run that made it, the archive step journals both (a `Measured`
//! record in that run's journal), and a restore accepts the pair only when
//! the archive hashes to the manifest's value and the named run's journal
//! recorded that archive with that value.
//!
//! Replacing the archive, the manifest, or both with another pair is caught
//! unless the journal of the state folder recorded that very pair for that
//! very path: the backup folder may be shared, the state folder is not
//! (see `private_fs`).

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::io_util::io_err;
use super::manifest::BUF;
use crate::engine::ctx::{StepCtx, StepError};
use crate::engine::event::Event;
use crate::engine::journal::{JOURNAL_FILE, parse_record};

/// What a manifest says about the archive it was written with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seal {
    /// BLAKE3 of the whole archive file, lowercase hex.
    pub blake3: String,
    /// The run whose journal recorded the archive.
    pub run_id: String,
}

/// The journal line (a `Measured` record) of a sealed archive.
pub fn seal_record(archive: &Path, seal: &Seal) -> String {
    format!(
        "archive sealed: {} blake3 {} run {}",
        archive.display(),
        seal.blake3,
        seal.run_id
    )
}

/// The id of the run a step belongs to: the name of its run folder.
pub(crate) fn run_id(ctx: &StepCtx) -> String {
    ctx.run_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// BLAKE3 of a whole file.
pub(crate) fn hash_file(path: &Path) -> Result<String, StepError> {
    let mut f = File::open(path).map_err(|e| io_err("open the archive", path, &e))?;
    let mut h = blake3::Hasher::new();
    let mut buf = vec![0u8; BUF];
    loop {
        let n = f
            .read(&mut buf)
            .map_err(|e| io_err("read the archive", path, &e))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(h.finalize().to_hex().to_string())
}

/// Check an archive against its manifest's seal and the journal of the run
/// the seal names, before anything is restored.
pub(crate) fn check(
    archive: &Path,
    mpath: &Path,
    seal: Option<&Seal>,
    ctx: &StepCtx,
) -> Result<(), StepError> {
    let again = crate::model::lang::tr(
        "run the backup stage again to make a new archive and manifest",
        "relancez la phase Sauvegarde pour refaire une archive et un manifeste",
    );
    let seal = seal.ok_or_else(|| {
        StepError(crate::tr_fmt!(
            "the manifest {} does not name the archive's BLAKE3 and the run that made it \
             (written by an older dress, or by hand): nothing was restored; {again}",
            "le manifeste {} ne donne pas le BLAKE3 de l'archive ni l'exécution qui l'a faite \
             (écrit par une ancienne version de dress, ou à la main) : rien n'a été restauré ; {again}",
            mpath.display()
        ))
    })?;
    let found = hash_file(archive)?;
    if found != seal.blake3 {
        return Err(StepError(crate::tr_fmt!(
            "the archive {} is not the one its manifest was written with (BLAKE3 {found}, the \
             manifest says {}): it was changed or replaced; nothing was restored; {again}",
            "l'archive {} n'est pas celle avec laquelle son manifeste a été écrit (BLAKE3 {found}, le \
             manifeste indique {}) : elle a été modifiée ou remplacée ; rien n'a été restauré ; {again}",
            archive.display(),
            seal.blake3
        )));
    }
    let id = &seal.run_id;
    // A run folder's name: never a path that climbs out of the runs folder.
    let id_ok = !id.is_empty()
        && id != "."
        && id != ".."
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    let runs = ctx.run_dir.parent().unwrap_or(Path::new("."));
    let journal = runs.join(id).join(JOURNAL_FILE);
    let want = seal_record(archive, seal);
    let recorded = id_ok && journal_has(&journal, &want);
    if !recorded {
        return Err(StepError(crate::tr_fmt!(
            "the archive {} and its manifest name run \"{}\", whose journal ({}) has no record \
             of this archive with BLAKE3 {}: the pair was not made by a backup of this state \
             folder, or was replaced; nothing was restored; {again}",
            "l'archive {} et son manifeste désignent l'exécution « {} », dont le registre ({}) n'a aucune \
             trace de cette archive avec le BLAKE3 {} : la paire n'a pas été faite par une sauvegarde de ce \
             dossier d'état, ou a été remplacée ; rien n'a été restauré ; {again}",
            archive.display(),
            crate::model::naming::shown(id),
            journal.display(),
            seal.blake3
        )));
    }
    ctx.info(&crate::tr_fmt!(
        "the archive matches its manifest (BLAKE3 {}) and the journal of run {id}",
        "l'archive correspond à son manifeste (BLAKE3 {}) et au registre de l'exécution {id}",
        seal.blake3
    ));
    Ok(())
}

fn journal_has(journal: &Path, want: &str) -> bool {
    let Ok(f) = File::open(journal) else {
        return false;
    };
    BufReader::new(f).split(b'\n').any(|line| {
        line.ok()
            .and_then(|l| parse_record(&l))
            .is_some_and(|e| matches!(e, Event::Measured { what, .. } if what == want))
    })
}

//! File steps: archive with a BLAKE3 manifest, restore, mirror, verify.
//!
//! The async entry points (`archive`, `restore`, `copy`, `verify`) run the
//! blocking file work on tokio's blocking pool; the work itself lives in one
//! module per step kind. `build_manifest` and `diff_manifests` are pure helpers
//! that other checks (the multiserver drift check) use directly.

mod archive;
mod entry_path;
mod io_util;
mod manifest;
mod mirror;
mod monitor;
mod restore;
mod seal;
mod staging;
mod verify;
mod walk;

use std::path::Path;

pub use entry_path::{EntryPathError, check_entry_path};
pub use manifest::{Difference, FileEntry, Manifest, build_manifest, diff_manifests};
pub use seal::{Seal, seal_record};

pub use crate::model::step::manifest_path_for;

use super::ctx::{StepCtx, StepError, StepResult};

/// `files.archive`: archive `source` into the tar file `archive`, with its
/// manifest written at [`manifest_path_for`]`(archive)`.
pub async fn archive(source: &Path, archive: &Path, ctx: &StepCtx) -> StepResult {
    let (s, a, c) = (source.to_path_buf(), archive.to_path_buf(), ctx.clone());
    blocking(move || archive::archive_blocking(&s, &a, &c)).await
}

/// `files.restore`: extract `archive` into `target`, refusing entries that
/// would land outside it, and check the result against the manifest if any.
pub async fn restore(archive: &Path, target: &Path, ctx: &StepCtx) -> StepResult {
    let (a, t, c) = (archive.to_path_buf(), target.to_path_buf(), ctx.clone());
    blocking(move || restore::restore_blocking(&a, &t, &c)).await
}

/// `files.copy`: mirror `source` to `target` (new and changed files copied,
/// files absent from the source removed from the target).
pub async fn copy(source: &Path, target: &Path, ctx: &StepCtx) -> StepResult {
    let (s, t, c) = (source.to_path_buf(), target.to_path_buf(), ctx.clone());
    blocking(move || mirror::mirror_blocking(&s, &t, &c)).await
}

/// `files.verify`: check a folder or an archive file against a manifest.
pub async fn verify(target: &Path, manifest: &Path, ctx: &StepCtx) -> StepResult {
    let (t, m, c) = (target.to_path_buf(), manifest.to_path_buf(), ctx.clone());
    blocking(move || verify::verify_blocking(&t, &m, &c)).await
}

async fn blocking<F>(work: F) -> StepResult
where
    F: FnOnce() -> StepResult + Send + 'static,
{
    // The blocking thread speaks the language of the caller.
    let lang = crate::model::lang::current();
    match tokio::task::spawn_blocking(move || crate::model::lang::scoped(lang, work)).await {
        Ok(result) => result,
        Err(e) => Err(StepError(crate::tr_fmt!(
            "the file step stopped unexpectedly ({e}); see the step log and run it again",
            "l'étape de fichiers s'est arrêtée de façon inattendue ({e}) ; consultez le journal de l'étape et relancez-la"
        ))),
    }
}

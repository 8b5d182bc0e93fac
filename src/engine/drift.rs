//! Multiserver drift: the customised files (CustomPages) and parameter files
//! must be the same on every web server, and the product does not copy them.
//! `files.drift` compares a secondary's copy with the master's (size and
//! BLAKE3 of every file, through `files::build_manifest`/`diff_manifests`);
//! `files.sync` copies the master's to the secondary and compares again.

use std::path::{Path, PathBuf};

use super::ctx::{StepCtx, StepError, StepResult};
use super::files::{self, Difference, FileEntry, Manifest, build_manifest, diff_manifests};
use crate::model::step::drift::{DriftSpec, join_rel};

/// The manifest of a folder or of a single file, with paths prefixed by
/// `rel`; an absent path gives an empty manifest.
fn manifest_of(path: &Path, rel: &str) -> Result<Manifest, StepError> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Manifest::default()),
        Err(e) => return Err(cannot_read(path, &e)),
    };
    let rel = rel.trim_matches('/');
    if meta.is_dir() {
        let m = build_manifest(path)?;
        let files = m
            .files
            .into_iter()
            .map(|f| FileEntry {
                path: format!("{rel}/{}", f.path),
                ..f
            })
            .collect();
        return Ok(Manifest::from_files(files));
    }
    let bytes = std::fs::read(path).map_err(|e| cannot_read(path, &e))?;
    Ok(Manifest::from_files(vec![FileEntry {
        path: rel.to_string(),
        size: bytes.len() as u64,
        blake3: blake3::hash(&bytes).to_hex().to_string(),
    }]))
}

fn cannot_read(path: &Path, e: &std::io::Error) -> StepError {
    StepError(crate::tr_fmt!(
        "cannot read {}: {}",
        "impossible de lire {} : {}",
        path.display(),
        crate::model::lang_fmt::io_error(e)
    ))
}

/// Every difference between the master's files and the secondary's (`a` is
/// the master, `b` the secondary), sorted by path.
pub fn drift(spec: &DriftSpec) -> Result<Vec<Difference>, StepError> {
    let mut out = Vec::new();
    for rel in &spec.paths {
        let a = manifest_of(&join_rel(&spec.master, rel), rel)?;
        let b = manifest_of(&join_rel(&spec.secondary, rel), rel)?;
        out.extend(diff_manifests(&a, &b));
    }
    out.sort_by(|x, y| x.path().cmp(y.path()));
    Ok(out)
}

/// One line per difference, for the log.
pub fn explain(d: &Difference, server: &str) -> String {
    match d {
        Difference::OnlyInA(f) => crate::tr_fmt!(
            "missing on {server}: {} ({} B)",
            "manquant sur {server} : {} ({} o)",
            f.path,
            f.size
        ),
        Difference::OnlyInB(f) => crate::tr_fmt!(
            "only on {server}: {} ({} B)",
            "seulement sur {server} : {} ({} o)",
            f.path,
            f.size
        ),
        Difference::Differs { a, b } => crate::tr_fmt!(
            "changed on {server}: {} (master {} B, {server} {} B)",
            "modifié sur {server} : {} (maître {} o, {server} {} o)",
            a.path,
            a.size,
            b.size
        ),
    }
}

fn counts(diffs: &[Difference]) -> (usize, usize, usize) {
    let mut c = (0, 0, 0);
    for d in diffs {
        match d {
            Difference::Differs { .. } => c.0 += 1,
            Difference::OnlyInA(_) => c.1 += 1,
            Difference::OnlyInB(_) => c.2 += 1,
        }
    }
    c
}

fn report(spec: &DriftSpec, diffs: &[Difference], ctx: &StepCtx) -> String {
    for d in diffs {
        ctx.info(&explain(d, &spec.server));
    }
    let (changed, missing, extra) = counts(diffs);
    let line = crate::tr_fmt!(
        "{}: {} difference(s) with the master in {}: {changed} changed, {missing} missing, {extra} only on {}",
        "{} : {} différence(s) avec le maître dans {} : {changed} modifié(s), {missing} manquant(s), {extra} seulement sur {}",
        spec.server,
        diffs.len(),
        spec.paths.join(", "),
        spec.server
    );
    ctx.measured(line.clone());
    line
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, StepError> + Send + 'static,
) -> Result<T, StepError> {
    let lang = crate::model::lang::current();
    tokio::task::spawn_blocking(move || crate::model::lang::scoped(lang, work))
        .await
        .map_err(|e| {
            StepError(crate::tr_fmt!(
                "the comparison stopped unexpectedly ({e})",
                "la comparaison s'est arrêtée de façon inattendue ({e})"
            ))
        })?
}

/// `files.drift`: log and measure the differences; passes either way (the
/// `files.sync` step that follows removes them).
pub async fn check(spec: &DriftSpec, ctx: &StepCtx) -> StepResult {
    let s = spec.clone();
    let diffs = blocking(move || drift(&s)).await?;
    Ok(report(spec, &diffs, ctx))
}

/// `files.sync`: copy each path from the master to the secondary (folders
/// mirrored, files replaced), then compare again: fails if any difference is
/// left.
pub async fn sync(spec: &DriftSpec, ctx: &StepCtx) -> StepResult {
    for rel in &spec.paths {
        let from = join_rel(&spec.master, rel);
        let to = join_rel(&spec.secondary, rel);
        if ctx.cancel.is_cancelled() {
            return Err(crate::model::lang::tr(
                "cancelled; the secondary is partly updated, run the step again",
                "annulée ; le serveur secondaire est en partie mis à jour, relancez l'étape",
            )
            .into());
        }
        if from.is_dir() {
            files::copy(&from, &to, ctx).await?;
        } else if from.is_file() {
            let (f, t) = (from.clone(), to.clone());
            blocking(move || copy_file(&f, &t)).await?;
            ctx.info(&crate::tr_fmt!(
                "copied {} to {}",
                "copié {} vers {}",
                from.display(),
                to.display()
            ));
        } else if to.exists() {
            return Err(StepError(crate::tr_fmt!(
                "{rel} exists on {} but not on the master ({}): nothing to copy; remove it by hand \
                 or take it out of custom_files",
                "{rel} existe sur {} mais pas sur le maître ({}) : rien à copier ; supprimez-le à la main \
                 ou retirez-le de custom_files",
                spec.server,
                from.display()
            )));
        } else {
            ctx.info(&crate::tr_fmt!(
                "{rel}: on neither server, nothing to copy",
                "{rel} : sur aucun des deux serveurs, rien à copier"
            ));
        }
    }
    let s = spec.clone();
    let left = blocking(move || drift(&s)).await?;
    report(spec, &left, ctx);
    if left.is_empty() {
        Ok(crate::tr_fmt!(
            "{} has the master's {}",
            "{} a les mêmes {} que le maître",
            spec.server,
            spec.paths.join(", ")
        ))
    } else {
        Err(StepError(crate::tr_fmt!(
            "{} difference(s) remain on {} after the copy (see the log): a file may be locked or read-only there",
            "{} différence(s) restent sur {} après la copie (voir le journal) : un fichier y est peut-être verrouillé ou en lecture seule",
            left.len(),
            spec.server
        )))
    }
}

/// Replace `to` by a copy of `from` (through a temporary file and a rename).
fn copy_file(from: &Path, to: &Path) -> Result<(), StepError> {
    let err = |what: (&'static str, &'static str), p: &Path, e: std::io::Error| {
        StepError(crate::tr_fmt!(
            "cannot {} {}: {}",
            "impossible de {} {} : {}",
            crate::model::lang::tr(what.0, what.1),
            p.display(),
            crate::model::lang_fmt::io_error(&e)
        ))
    };
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| err(("create the folder", "créer le dossier"), dir, e))?;
    }
    let mut tmp = to.as_os_str().to_owned();
    tmp.push(".dress-tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::copy(from, &tmp).map_err(|e| err(("copy to", "copier vers"), &tmp, e))?;
    std::fs::rename(&tmp, to).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        err(("replace", "remplacer"), to, e)
    })
}

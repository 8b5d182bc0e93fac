//! The log files a vendor setup writes (`recipe.setup.logs`), copied into
//! the run's `logs/` folder once the setup ended, whether it passed, failed,
//! timed out or was cancelled: they are what tells why it failed.
//!
//! Where: `RUN_DIR/logs/STAGE/STEP.files/NAME` (a second file of the same
//! name gets a number). Copies are private to the owner like every file of
//! the run folder; the setup's secrets are masked in them like in the step
//! log (a setup that echoes its answers must not leave them in clear).

use std::path::{Path, PathBuf};

use super::ctx::StepCtx;

/// Copy each of `logs` into the run folder, saying in the step log what was
/// collected or why not. Never fails the step.
pub fn collect(logs: &[PathBuf], ctx: &StepCtx) {
    if logs.is_empty() {
        return;
    }
    let dir = ctx
        .run_dir
        .join("logs")
        .join(safe(&ctx.step.stage))
        .join(format!("{}.files", safe(&ctx.step.step)));
    if let Err(e) = super::private_fs::create_dir_private(&dir) {
        ctx.info(&crate::tr_fmt!(
            "the setup's logs cannot be collected: cannot create {} ({})",
            "les journaux du programme d'installation ne peuvent pas être recueillis : impossible de créer {} ({})",
            dir.display(),
            crate::model::lang_fmt::io_error(&e)
        ));
        return;
    }
    for (i, src) in logs.iter().enumerate() {
        let name = src
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| format!("log-{i}"));
        let mut dest = dir.join(&name);
        if dest.exists() {
            dest = dir.join(format!("{i}-{name}"));
        }
        match copy_masked(src, &dest, ctx) {
            Ok(n) => ctx.info(&crate::tr_fmt!(
                "collected the setup's log {} ({n} bytes) into {}",
                "journal du programme d'installation {} ({n} octets) recueilli dans {}",
                src.display(),
                dest.display()
            )),
            Err(e) => ctx.info(&crate::tr_fmt!(
                "the setup's log {} was not collected: {}",
                "le journal du programme d'installation {} n'a pas été recueilli : {}",
                src.display(),
                if e.kind() == std::io::ErrorKind::Other {
                    e.to_string()
                } else {
                    crate::model::lang_fmt::io_error(&e)
                }
            )),
        }
    }
}

fn copy_masked(src: &Path, dest: &Path, ctx: &StepCtx) -> std::io::Result<usize> {
    use std::io::Write;
    let meta = std::fs::symlink_metadata(src)?;
    if !meta.is_file() {
        return Err(std::io::Error::other(crate::model::lang::tr(
            "not a plain file (a link or a folder)",
            "pas un simple fichier (un lien ou un dossier)",
        )));
    }
    let bytes = std::fs::read(src)?;
    // Text is masked; a log that is not UTF-8 is masked on its lossy text.
    let text = ctx.redact(&String::from_utf8_lossy(&bytes));
    let mut f =
        super::private_fs::private(std::fs::OpenOptions::new().write(true).create_new(true))
            .open(dest)?;
    f.write_all(text.as_bytes())?;
    Ok(text.len())
}

fn safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

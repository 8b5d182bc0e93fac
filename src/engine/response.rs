//! Response files: the answers a vendor program (the CRM setup, the licence
//! update tool) reads instead of asking, secrets included.
//!
//! The secrets never go on a command line: the answers are written into a
//! file that only the current user can read, the program gets the file's
//! PATH (the argument `{response_file}` is replaced by it, and the variable
//! `DRESS_RESPONSE_FILE` holds it), and the file is deleted when the step
//! ends, whether it passed, failed or was cancelled.
//!
//! Where: `RUN_DIR/private/STAGE-STEP.response`.
//! - Unix: the `private` folder is mode 0700, the file is created with mode
//!   0600 (`OpenOptionsExt::mode`, so it is never readable by others, not even
//!   for an instant).
//! - Windows: before anything is written, the inherited permissions of the
//!   `private` folder are removed and only SYSTEM, the Administrators group
//!   and the current user are granted access (`icacls /inheritance:r`); if
//!   that fails the step stops without writing the file.
//!
//! A run killed outright (power loss, `kill -9`) cannot delete the file: the
//! next run of the same step in that run folder (a resume) removes it first,
//! and `private` is the one folder of a run to look at.
//!
//! Format: UTF-8, one `key=value` per line, after a comment line. A value
//! holding a line break is refused (it would inject a key).

use std::path::{Path, PathBuf};

use secrecy::ExposeSecret;

use super::ctx::{StepCtx, StepError};
use crate::model::SecretSource;
pub(crate) use crate::model::step::response::*;

/// The file's text, secrets resolved. Kept in memory only as long as it
/// takes to write it.
fn render(
    answers: &[Answer],
    db: DatabaseMode,
    secrets: &dyn SecretSource,
    step: &str,
) -> Result<secrecy::SecretString, StepError> {
    let mut out = format!("# response file of step {step}; deleted when the step ends\n");
    for a in answers {
        if RESERVED_KEYS.contains(&a.key.as_str()) {
            return Err(StepError(crate::tr_fmt!(
                "the answer {} is decided by the stage (master or secondary), not by an answer",
                "la réponse {} est décidée par la phase (Serveur Web Master ou Secondaire), pas par une réponse",
                a.key
            )));
        }
        out.push_str(&a.key);
        out.push('=');
        match &a.value {
            AnswerValue::Text { text } => {
                if text.contains(['\n', '\r']) {
                    return Err(StepError(crate::tr_fmt!(
                        "the answer {} holds a line break; a response file takes one line per answer — fix the plan value",
                        "la réponse {} contient un saut de ligne ; un fichier de réponses prend une ligne par réponse — corrigez la valeur dans le plan",
                        a.key
                    )));
                }
                out.push_str(text);
            }
            AnswerValue::Secret {
                what,
                field,
                source,
            } => {
                let r = source.as_ref().ok_or_else(|| {
                    StepError(crate::tr_fmt!(
                        "the {what} is needed and the plan has no {field}: add {field} = {{ prompt = true }} or {{ env = \"NAME\" }}",
                        "« {what} » est nécessaire et le plan n'a pas de {field} : ajoutez {field} = {{ prompt = true }} ou {{ env = \"NOM\" }}"
                    ))
                })?;
                let v = secrets.resolve(what, r).map_err(StepError)?;
                if v.expose_secret().contains(['\n', '\r']) {
                    return Err(StepError(crate::tr_fmt!(
                        "the {what} holds a line break: check the value given for {field}",
                        "« {what} » contient un saut de ligne : vérifiez la valeur donnée pour {field}"
                    )));
                }
                out.push_str(v.expose_secret());
            }
        }
        out.push('\n');
    }
    for (k, v) in db.answers() {
        out.push_str(&format!("{k}={v}\n"));
    }
    Ok(secrecy::SecretString::from(out))
}

/// A written response file; deleted when dropped (also when the step's
/// future is dropped on cancel).
pub struct ResponseFile {
    path: PathBuf,
    removed: bool,
}

impl ResponseFile {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Delete the file now, saying so when it cannot be done.
    pub fn remove(mut self) -> Result<(), StepError> {
        self.removed = true;
        match std::fs::remove_file(&self.path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(StepError(crate::tr_fmt!(
                "the response file {} holds secrets and could not be deleted ({}): delete it by hand now",
                "le fichier de réponses {} contient des secrets et n'a pas pu être supprimé ({}) : supprimez-le à la main maintenant",
                self.path.display(),
                crate::model::lang_fmt::io_error(&e)
            ))),
        }
    }
}

impl Drop for ResponseFile {
    fn drop(&mut self) {
        if !self.removed {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// The folder of a run that holds response files.
pub fn private_dir(run_dir: &Path) -> PathBuf {
    run_dir.join("private")
}

/// Write the response file of the step of `ctx`, readable by the current
/// user only.
pub fn write(
    answers: &[Answer],
    db: DatabaseMode,
    secrets: &dyn SecretSource,
    ctx: &StepCtx,
) -> Result<ResponseFile, StepError> {
    let step = format!("{}/{}", ctx.step.stage, ctx.step.step);
    let dir = private_dir(&ctx.run_dir);
    make_private_dir(&dir)?;
    let stem: String = format!("{}-{}", ctx.step.stage, ctx.step.step)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let path = dir.join(format!("{stem}.response"));
    // A file left by a run that was killed: never reuse it.
    match std::fs::remove_file(&path) {
        Ok(()) => ctx.info(crate::model::lang::tr(
            "removed a response file left by an interrupted run",
            "fichier de réponses laissé par une exécution interrompue supprimé",
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            return Err(StepError(crate::tr_fmt!(
                "a response file from an interrupted run is in the way and cannot be deleted: {} ({})",
                "un fichier de réponses d'une exécution interrompue gêne et ne peut pas être supprimé : {} ({})",
                path.display(),
                crate::model::lang_fmt::io_error(&e)
            )));
        }
    }
    let text = render(answers, db, secrets, &step)?;
    let file = ResponseFile {
        path: path.clone(),
        removed: false,
    };
    write_private(&path, text.expose_secret().as_bytes()).map_err(|e| {
        StepError(crate::tr_fmt!(
            "cannot write the response file {}: {}; check that the run folder is writable",
            "impossible d'écrire le fichier de réponses {} : {} ; vérifiez que le dossier de l'exécution est accessible en écriture",
            path.display(),
            crate::model::lang_fmt::io_error(&e)
        ))
    })?;
    Ok(file)
}

#[cfg(unix)]
fn make_private_dir(dir: &Path) -> Result<(), StepError> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    let err = |e: std::io::Error| {
        StepError(crate::tr_fmt!(
            "cannot prepare the private folder {}: {}",
            "impossible de préparer le dossier privé {} : {}",
            dir.display(),
            crate::model::lang_fmt::io_error(&e)
        ))
    };
    if !dir.is_dir() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(err)?;
    }
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(err)
}

#[cfg(windows)]
fn make_private_dir(dir: &Path) -> Result<(), StepError> {
    std::fs::create_dir_all(dir).map_err(|e| {
        StepError(crate::tr_fmt!(
            "cannot create the private folder {}: {}",
            "impossible de créer le dossier privé {} : {}",
            dir.display(),
            crate::model::lang_fmt::io_error(&e)
        ))
    })?;
    let mut args: Vec<String> = vec![
        dir.to_string_lossy().into_owned(),
        "/inheritance:r".into(),
        "/grant:r".into(),
        "*S-1-5-18:(OI)(CI)F".into(),
        "/grant:r".into(),
        "*S-1-5-32-544:(OI)(CI)F".into(),
    ];
    if let Ok(user) = std::env::var("USERNAME") {
        let who = match std::env::var("USERDOMAIN") {
            Ok(d) if !d.is_empty() => format!("{d}\\{user}"),
            _ => user,
        };
        args.push("/grant:r".into());
        args.push(format!("{who}:(OI)(CI)F"));
    }
    let ok = std::process::Command::new("icacls")
        .args(&args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if ok {
        Ok(())
    } else {
        Err(StepError(crate::tr_fmt!(
            "cannot restrict the permissions of {} (icacls failed): no secret was written; run dress as an administrator",
            "impossible de restreindre les droits de {} (icacls a échoué) : aucun secret n'a été écrit ; lancez dress en administrateur",
            dir.display()
        )))
    }
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(windows)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::secret::SecretRef;

    #[test]
    fn preview_masks_secrets_and_ends_with_the_database_mode() {
        let a = vec![
            Answer::text("company", "Sage SA"),
            Answer::secret(
                "licence_key",
                "licence key",
                "deployment.licence_key",
                Some(&SecretRef::Env { env: "K".into() }),
            ),
        ];
        assert_eq!(
            preview(&a, DatabaseMode::Existing),
            vec![
                "company=Sage SA",
                "licence_key=***",
                "create_database=false",
                "database_mode=existing"
            ]
        );
        assert_eq!(
            preview(&a, DatabaseMode::Create).last().unwrap(),
            "create_database=true"
        );
    }

    struct Fixed;
    impl SecretSource for Fixed {
        fn resolve(&self, _: &str, _: &SecretRef) -> Result<secrecy::SecretString, String> {
            Ok("k-1".into())
        }
    }

    #[test]
    fn reserved_keys_and_line_breaks_are_refused() {
        let a = vec![Answer::text("create_database", "true")];
        let e = render(&a, DatabaseMode::Existing, &Fixed, "s/t").unwrap_err();
        assert!(e.0.contains("decided by the stage"), "{e}");
        let a = vec![Answer::text("company", "A\ncreate_database=true")];
        let e = render(&a, DatabaseMode::Existing, &Fixed, "s/t").unwrap_err();
        assert!(e.0.contains("line break"), "{e}");
        let a = vec![Answer::secret(
            "licence_key",
            "licence key",
            "deployment.licence_key",
            None,
        )];
        let e = render(&a, DatabaseMode::Untouched, &Fixed, "s/t").unwrap_err();
        assert!(e.0.contains("deployment.licence_key"), "{e}");
    }
}

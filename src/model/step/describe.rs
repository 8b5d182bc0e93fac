//! `Action::describe()` for the install, licence and multiserver step kinds:
//! what runs, exactly, with every secret shown as `***`.

use super::Action;
use super::drift::show_rel;
use super::response;
use crate::model::lang::{Lang, current, tr};
use crate::tr_fmt;

pub(super) fn describe(a: &Action) -> Vec<String> {
    match a {
        Action::ExecWithResponse(r) => {
            let mut shown = r.exec.clone();
            shown.args = r.args_with(std::path::Path::new(tr(
                "<response file>",
                "<fichier de réponses>",
            )));
            let mut v = vec![tr_fmt!("run: {}", "lance : {}", shown.display())];
            if let Some(cwd) = &r.exec.cwd {
                v.push(tr_fmt!("in: {}", "dans : {}", cwd.display()));
            }
            v.push(tr_fmt!(
                "env: {}=<response file>",
                "env : {}=<fichier de réponses>",
                response::PATH_VAR
            ));
            for (k, val) in &r.exec.env {
                v.push(tr_fmt!("env: {k}={val}", "env : {k}={val}"));
            }
            if let Some(t) = r.exec.timeout_s {
                v.push(tr_fmt!(
                    "timeout: {t} s; accepted exit codes: {:?}",
                    "délai : {t} s ; codes de sortie acceptés : {:?}",
                    r.exec.ok_exit_codes
                ));
            }
            v.push(
                tr(
                    "response file (readable by the current user only, deleted when the step ends):",
                    "fichier de réponses (lisible par l'utilisateur courant seulement, supprimé à la fin de l'étape) :",
                )
                .into(),
            );
            v.extend(
                response::preview(&r.answers, r.database)
                    .into_iter()
                    .map(|l| format!("  {l}")),
            );
            v
        }
        Action::CheckPackageVersion {
            package,
            version_file,
            expected,
        } => vec![match version_file {
            Some(f) => tr_fmt!(
                "the first line of {} (version of {}) is {expected}",
                "la première ligne de {} (version de {}) est {expected}",
                f.display(),
                package.display()
            ),
            None => tr_fmt!(
                "the version in the file name of {} is {expected}",
                "la version dans le nom de fichier de {} est {expected}",
                package.display()
            ),
        }],
        Action::CheckSqlExpressSa { server, login } => vec![tr_fmt!(
            "finding when {server} is a SQLEXPRESS instance used with the sa login (login: {}); \
             read from the plan only, no login is tried with any default password",
            "constat si {server} est une instance SQLEXPRESS utilisée avec la connexion sa \
             (connexion : {}) ; lu dans le plan seulement, aucune connexion n'est tentée avec un \
             mot de passe par défaut",
            login
                .as_deref()
                .unwrap_or(tr("Windows authentication", "authentification Windows"))
        )],
        Action::IisReset { server } => vec![match server {
            Some(s) => tr_fmt!(
                "iisreset {s} /restart (Windows only)",
                "iisreset {s} /restart (Windows seulement)"
            ),
            None => tr(
                "iisreset /restart (Windows only)",
                "iisreset /restart (Windows seulement)",
            )
            .into(),
        }],
        Action::ServiceStop { name } => vec![tr_fmt!(
            "sc.exe stop \"{name}\", then sc.exe query until STOPPED (Windows only)",
            "sc.exe stop \"{name}\", puis sc.exe query jusqu'à STOPPED (Windows seulement)"
        )],
        Action::ServiceStart { name } => vec![tr_fmt!(
            "sc.exe start \"{name}\", then sc.exe query until RUNNING (Windows only)",
            "sc.exe start \"{name}\", puis sc.exe query jusqu'à RUNNING (Windows seulement)"
        )],
        Action::FilesDrift(d) => d
            .paths
            .iter()
            .map(|p| {
                tr_fmt!(
                    "compare {} with {} (size and BLAKE3 of every file)",
                    "compare {} avec {} (taille et BLAKE3 de chaque fichier)",
                    show_rel(&d.master, p),
                    show_rel(&d.secondary, p)
                )
            })
            .collect(),
        Action::FilesSync(d) => {
            let mut v: Vec<String> = d
                .paths
                .iter()
                .map(|p| {
                    tr_fmt!(
                        "copy {} to {}",
                        "copie {} vers {}",
                        show_rel(&d.master, p),
                        show_rel(&d.secondary, p)
                    )
                })
                .collect();
            v.push(tr_fmt!(
                "folders are mirrored: files found only on {} are removed; then compared again",
                "les dossiers sont copiés en miroir : les fichiers présents seulement sur {} sont \
                 supprimés ; puis ils sont comparés à nouveau",
                d.server
            ));
            v
        }
        Action::BackupPrune {
            dir,
            installation,
            keep,
        } => vec![match current() {
            Lang::En => format!(
                "keep the newest {keep} backups of {installation} in {} (named {installation}-RUN_ID-...); never one a passed rehearsal or a production run relies on",
                dir.display()
            ),
            Lang::Fr if *keep == 1 => format!(
                "garde la sauvegarde la plus récente de {installation} dans {} (nommée \
                 {installation}-RUN_ID-...) ; jamais une sauvegarde dont dépend une répétition \
                 générale réussie ou une mise à jour réelle",
                dir.display()
            ),
            Lang::Fr => format!(
                "garde les {keep} sauvegardes les plus récentes de {installation} dans {} \
                 (nommées {installation}-RUN_ID-...) ; jamais une sauvegarde dont dépend une \
                 répétition générale réussie ou une mise à jour réelle",
                dir.display()
            ),
        }],
        _ => Vec::new(),
    }
}

//! Runners of the install and licence steps: a program with a response
//! file, the version of a setup package, the SQL Express `sa` finding and
//! the IIS reset.

use std::path::Path;

use super::ctx::{StepCtx, StepError, StepResult};
use super::exec;
use super::response::{self, ResponseExec};
use crate::model::SecretSource;
use crate::model::step::ExecSpec;

/// `exec.response`: write the response file, run the program with the
/// file's path, delete the file (also on failure; on cancel the file is
/// deleted when the step's future is dropped).
pub async fn run_with_response(
    spec: &ResponseExec,
    secrets: &dyn SecretSource,
    ctx: &StepCtx,
) -> StepResult {
    // A setup the interrupted run left running still reads its response
    // file: it is waited for before anything is written again.
    exec::orphan::settle_previous(ctx).await?;
    let file = response::write(&spec.answers, spec.database, secrets, ctx)?;
    ctx.info(&crate::tr_fmt!(
        "response file written (owner only): {}",
        "fichier de réponses écrit (lisible par son seul propriétaire) : {}",
        file.path().display()
    ));
    for line in response::preview(&spec.answers, spec.database) {
        ctx.info(&format!("  {line}"));
    }
    let mut run = spec.exec.clone();
    run.args = spec.args_with(file.path());
    run.env.insert(
        response::PATH_VAR.to_string(),
        file.path().to_string_lossy().into_owned(),
    );
    let result = exec::run(&run, ctx).await;
    let path = file.path().to_path_buf();
    let removed = file.remove();
    ctx.info(&crate::tr_fmt!(
        "response file deleted: {}",
        "fichier de réponses supprimé : {}",
        path.display()
    ));
    match (result, removed) {
        (Ok(m), Ok(())) => Ok(m),
        (Err(e), Ok(())) => Err(e),
        (Ok(_), Err(e)) => Err(e),
        (Err(e), Err(r)) => Err(StepError(crate::tr_fmt!("{e}; {r}", "{e} ; {r}"))),
    }
}

/// The version in a file name: the first run of digits and dots holding at
/// least one dot (`Integration-2026.1-Setup.exe` gives `2026.1`).
pub fn version_in_name(name: &str) -> Option<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let run: String = chars[start..i].iter().collect();
            let run = run.trim_end_matches('.');
            if run.contains('.') {
                return Some(run.to_string());
            }
        } else {
            i += 1;
        }
    }
    None
}

/// `check.package_version`.
pub async fn package_version(
    package: &Path,
    version_file: Option<&Path>,
    expected: &str,
    ctx: &StepCtx,
) -> StepResult {
    let (found, from) = match version_file {
        Some(f) => {
            let text = std::fs::read_to_string(f).map_err(|e| {
                StepError(crate::tr_fmt!(
                    "cannot read the version file {}: {}; check recipe.integration_setup.version_file",
                    "impossible de lire le fichier de version {} : {} ; vérifiez recipe.integration_setup.version_file",
                    f.display(),
                    crate::model::lang_fmt::io_error(&e)
                ))
            })?;
            let line = text
                .lines()
                .map(|l| l.trim().trim_start_matches('\u{feff}'))
                .find(|l| !l.is_empty())
                .unwrap_or_default()
                .to_string();
            (
                line,
                crate::tr_fmt!(
                    "the first line of {}",
                    "la première ligne de {}",
                    f.display()
                ),
            )
        }
        None => {
            let name = package
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let v = version_in_name(&name).ok_or_else(|| {
                StepError(crate::tr_fmt!(
                    "no version in the file name '{name}': add version_file to [recipe.integration_setup] \
                     (a text file whose first line is the version)",
                    "aucune version dans le nom de fichier « {name} » : ajoutez version_file à \
                     [recipe.integration_setup] (un fichier texte dont la première ligne est la version)"
                ))
            })?;
            (
                v,
                crate::tr_fmt!(
                    "the file name of {}",
                    "le nom du fichier {}",
                    package.display()
                ),
            )
        }
    };
    ctx.measured(crate::tr_fmt!(
        "package version {found} (from {from}); expected {expected}",
        "version du programme d'installation {found} (d'après {from}) ; attendue {expected}"
    ));
    if found == expected {
        Ok(crate::tr_fmt!(
            "version {found}, as the plan expects",
            "version {found}, comme le plan l'attend"
        ))
    } else {
        Err(StepError(crate::tr_fmt!(
            "the package is version {found} (from {from}) but the plan expects {expected}: the integration \
             service must match the CRM and the back office; use the right package or correct the plan",
            "le programme d'installation est en version {found} (d'après {from}) mais le plan attend {expected} : \
             le service d'intégration doit correspondre au CRM et à la gestion commerciale ; utilisez le bon \
             programme d'installation ou corrigez le plan"
        )))
    }
}

/// Whether a plan's SQL server and login are the setup's SQL Express with
/// `sa`: the instance name is `SQLEXPRESS` and the login is `sa`.
pub fn is_express_sa(server: &str, login: Option<&str>) -> bool {
    let instance = server
        .split_once('\\')
        .map(|(_, i)| i.split(',').next().unwrap_or(i).trim());
    instance.is_some_and(|i| i.eq_ignore_ascii_case("SQLEXPRESS"))
        && login.is_some_and(|l| l.trim().eq_ignore_ascii_case("sa"))
}

/// `check.sql_express_sa`: decided from the plan alone. No login is tried
/// with the documented default password: it is never written, sent or
/// logged by this tool.
pub async fn sql_express_sa(server: &str, login: Option<&str>, ctx: &StepCtx) -> StepResult {
    ctx.measured(crate::tr_fmt!(
        "SQL server {server}, login {}",
        "serveur SQL {server}, connexion {}",
        login.unwrap_or(crate::model::lang::tr(
            "(Windows authentication)",
            "(authentification Windows)"
        ))
    ));
    if is_express_sa(server, login) {
        Err(StepError(crate::tr_fmt!(
            "security finding: {server} is the SQL Express instance the setup installs, used with the sa login, \
             whose default password is publicly documented — change the sa password (ALTER LOGIN sa WITH PASSWORD) \
             or disable sa, and give the CRM a dedicated sysadmin login",
            "constat de sécurité : {server} est l'instance SQL Express installée par le programme d'installation, \
             utilisée avec la connexion sa, dont le mot de passe par défaut est publié — changez le mot de passe de sa \
             (ALTER LOGIN sa WITH PASSWORD) ou désactivez sa, et donnez au CRM une connexion sysadmin dédiée"
        )))
    } else {
        Ok(crate::model::lang::tr(
            "not the setup's SQL Express with sa",
            "pas le SQL Express du programme d'installation avec sa",
        )
        .into())
    }
}

/// The `iisreset` command line for this machine or a remote server.
pub fn iis_reset_spec(server: Option<&str>) -> ExecSpec {
    let mut args: Vec<String> = server.map(|s| vec![s.to_string()]).unwrap_or_default();
    args.push("/restart".into());
    ExecSpec {
        program: "iisreset".into(),
        args,
        cwd: None,
        env: Default::default(),
        timeout_s: Some(300),
        ok_exit_codes: vec![0],
        pass_secrets: Vec::new(),
        collect_logs: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_in_names() {
        assert_eq!(
            version_in_name("Integration-2026.1-Setup.exe").as_deref(),
            Some("2026.1")
        );
        assert_eq!(
            version_in_name("setup64-9.0.2.exe").as_deref(),
            Some("9.0.2")
        );
        assert_eq!(version_in_name("setup64.exe"), None);
    }

    #[test]
    fn express_sa_needs_both_the_instance_and_sa() {
        assert!(is_express_sa(r"SRV\SQLEXPRESS", Some("sa")));
        assert!(is_express_sa(r"localhost\sqlexpress", Some("SA")));
        assert!(!is_express_sa(r"SRV\SQLEXPRESS", Some("crm_admin")));
        assert!(!is_express_sa("SRV,1433", Some("sa")));
        assert!(!is_express_sa(r"SRV\PROD", Some("sa")));
        assert!(!is_express_sa(r"SRV\SQLEXPRESS", None));
    }
}

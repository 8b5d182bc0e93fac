//! `Action::describe()` for the install, licence and multiserver step kinds:
//! what runs, exactly, with every secret shown as `***`.

use super::drift::show_rel;
use super::response;
use super::step::Action;

pub(super) fn describe(a: &Action) -> Vec<String> {
    match a {
        Action::ExecWithResponse(r) => {
            let mut shown = r.exec.clone();
            shown.args = r.args_with(std::path::Path::new("<response file>"));
            let mut v = vec![format!("run: {}", shown.display())];
            if let Some(cwd) = &r.exec.cwd {
                v.push(format!("in: {}", cwd.display()));
            }
            v.push(format!("env: {}=<response file>", response::PATH_VAR));
            for (k, val) in &r.exec.env {
                v.push(format!("env: {k}={val}"));
            }
            if let Some(t) = r.exec.timeout_s {
                v.push(format!(
                    "timeout: {t} s; accepted exit codes: {:?}",
                    r.exec.ok_exit_codes
                ));
            }
            v.push(
                "response file (readable by the current user only, deleted when the step ends):"
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
            Some(f) => format!(
                "the first line of {} (version of {}) is {expected}",
                f.display(),
                package.display()
            ),
            None => format!(
                "the version in the file name of {} is {expected}",
                package.display()
            ),
        }],
        Action::CheckSqlExpressSa { server, login } => vec![format!(
            "finding when {server} is a SQLEXPRESS instance used with the sa login (login: {}); \
             read from the plan only, no login is tried with any default password",
            login.as_deref().unwrap_or("Windows authentication")
        )],
        Action::IisReset { server } => vec![match server {
            Some(s) => format!("iisreset {s} /restart (Windows only)"),
            None => "iisreset /restart (Windows only)".into(),
        }],
        Action::ServiceStop { name } => vec![format!(
            "sc.exe stop \"{name}\", then sc.exe query until STOPPED (Windows only)"
        )],
        Action::ServiceStart { name } => vec![format!(
            "sc.exe start \"{name}\", then sc.exe query until RUNNING (Windows only)"
        )],
        Action::FilesDrift(d) => d
            .paths
            .iter()
            .map(|p| {
                format!(
                    "compare {} with {} (size and BLAKE3 of every file)",
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
                    format!(
                        "copy {} to {}",
                        show_rel(&d.master, p),
                        show_rel(&d.secondary, p)
                    )
                })
                .collect();
            v.push(format!(
                "folders are mirrored: files found only on {} are removed; then compared again",
                d.server
            ));
            v
        }
        Action::BackupPrune {
            dir,
            installation,
            keep,
        } => vec![format!(
            "keep the newest {keep} backups of {installation} in {} (named {installation}-RUN_ID-...); never one a passed rehearsal or a production run relies on",
            dir.display()
        )],
        _ => Vec::new(),
    }
}

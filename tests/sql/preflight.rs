//! Before the first step: every SQL step's connection must resolve (a
//! missing password stops the run before anything is archived), and a
//! production login in clear text needs --allow-unencrypted-sql; `plan
//! validate` and the run warn about it.

use crate::common::sql as sql_support;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use dress::engine::sql::preflight;
use dress::model::step::sql_text as text;
use dress::model::{EnvKind, EnvSecrets, Plan};
use dress::recipe as stages;
use sql_support::*;

const VAR: &str = "DRESS_PREFLIGHT_PW";

fn plan_text(port: u16, encryption: &str) -> String {
    let sql = |db: &str| {
        format!(
            "server = \"127.0.0.1,{port}\"\ndatabase = \"{db}\"\nlogin = \"sa\"\npassword = {{ env = \"{VAR}\" }}\n\
             encryption = \"{encryption}\"\ndata_dir = 'D:\\MSSQL\\Data'\nbackup_dir = 'D:\\MSSQL\\Backup'\n"
        )
    };
    format!(
        "[deployment]\ncompany = \"Preflight SA\"\ninstallation = \"CRMPRE\"\n\n\
         [environments.production]\ninstall_dir = \"prod/CRM\"\nbackup_dir = \"backups\"\n\n[environments.production.sql]\n{}\n\
         [environments.test]\ninstall_dir = \"test/CRM\"\nbackup_dir = \"test-backups\"\n\n[environments.test.sql]\n{}\n\
         [recipe.setup]\npackage = \"setup.sh\"\n",
        sql("CRMPRE"),
        sql("CRMPRE_TEST")
    )
}

fn folder(port: u16, encryption: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("prod/CRM/WWWRoot")).unwrap();
    std::fs::write(tmp.path().join("prod/CRM/WWWRoot/eware.ini"), "[crm]\n").unwrap();
    std::fs::write(tmp.path().join("plan.toml"), plan_text(port, encryption)).unwrap();
    tmp
}

fn dress(dir: &Path, password: Option<&str>, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dress"));
    c.current_dir(dir)
        .env("DRESS_STATE_DIR", dir.join("state"))
        .env_remove(VAR)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(p) = password {
        c.env(VAR, p);
    }
    c.output().unwrap()
}

#[test]
fn a_missing_sql_password_is_told_before_any_step_runs() {
    let tmp = folder(1, "required");
    let dir = tmp.path();
    let out = dress(
        dir,
        None,
        &[
            "run",
            "plan.toml",
            "--env",
            "production",
            "--stage",
            "backup",
            "--yes",
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(VAR) && err.contains("backup/database"),
        "names the variable and the step: {err}"
    );
    // Nothing ran: no archive of the program files, no run.
    assert!(!archived(dir));
    assert!(
        !dir.join("state/runs").exists()
            || std::fs::read_dir(dir.join("state/runs"))
                .unwrap()
                .next()
                .is_none()
    );
}

#[test]
fn every_sql_steps_connection_is_checked_with_the_steps_it_would_stop() {
    let text = plan_text(1, "required");
    let plan: Plan = toml::from_str(&text).unwrap();
    let all = stages::build(&plan, EnvKind::Test).unwrap();
    // SAFETY: only this test binary reads this variable.
    unsafe { std::env::remove_var(VAR) };
    let e = preflight::sql_connections_resolvable(&plan, &all, &EnvSecrets::default()).unwrap_err();
    assert_eq!(e.len(), 2, "one per environment: {e:?}");
    assert!(
        e[0].contains("test environment") && e[0].contains("test-env/database"),
        "{e:?}"
    );
    assert!(
        e[1].contains("production environment") && e[1].contains("backup/database"),
        "{e:?}"
    );
    assert!(preflight::sql_connections_resolvable(&plan, &all, &Fixed(PASSWORD)).is_ok());
    // No login; a server that does not read; no sql section at all.
    let mut p = plan.clone();
    p.environments
        .test
        .as_mut()
        .unwrap()
        .sql
        .as_mut()
        .unwrap()
        .login = None;
    p.environments
        .production
        .as_mut()
        .unwrap()
        .sql
        .as_mut()
        .unwrap()
        .server = "h,0".into();
    let e = preflight::sql_connections_resolvable(&p, &all, &Fixed(PASSWORD)).unwrap_err();
    assert!(
        e[0].contains("needs a login") && e[1].contains("port 0"),
        "{e:?}"
    );
    p.environments.test.as_mut().unwrap().sql = None;
    let e = preflight::sql_connections_resolvable(&p, &all, &Fixed(PASSWORD)).unwrap_err();
    assert!(
        e[0].contains("has no [environments.test.sql] section"),
        "{e:?}"
    );
}

#[test]
fn plan_validate_warns_of_a_login_in_clear_text() {
    let tmp = folder(1433, "not-supported");
    let out = dress(tmp.path(), None, &["plan", "validate", "plan.toml"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(err.matches("warning: environments.").count(), 2, "{err}");
    assert!(err.contains("cross the network in clear text"), "{err}");
    let tmp = folder(1433, "required");
    let out = dress(tmp.path(), None, &["plan", "validate", "plan.toml"]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("warning"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn production_in_clear_text_needs_the_flag_and_warns() {
    let m = Mock::start().await;
    m.on(
        text::BACKUP_HISTORY,
        backup_row("dress", "CRMPRE", 1 << 20, 1, 1),
    )
    .await;
    let tmp = folder(m.addr.port(), "not-supported");
    let dir = tmp.path().to_path_buf();
    let args = [
        "run",
        "plan.toml",
        "--env",
        "production",
        "--stage",
        "backup",
        "--yes",
    ];
    let d = dir.clone();
    let out = tokio::task::spawn_blocking(move || dress(&d, Some(PASSWORD), &args))
        .await
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("--allow-unencrypted-sql") && err.contains("backup/database"),
        "{err}"
    );
    assert!(!archived(&dir));

    let mut with_flag = args.to_vec();
    with_flag.push("--allow-unencrypted-sql");
    let d = dir.clone();
    let out = tokio::task::spawn_blocking(move || dress(&d, Some(PASSWORD), &with_flag))
        .await
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("warning: environments.production.sql.encryption"),
        "{err}"
    );
    assert!(archived(&dir));
}

/// Whether a program files archive (of any backup generation) was written.
fn archived(dir: &std::path::Path) -> bool {
    std::fs::read_dir(dir.join("backups")).is_ok_and(|rd| {
        rd.flatten().any(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.starts_with("CRMPRE-") && n.ends_with("-program-files.tar")
        })
    })
}

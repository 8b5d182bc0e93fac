//! Before the first step of a run: can every SQL step reach its server
//! (the connection section is there, its server reads, its login and
//! password resolve), and does any step send the login in clear text?
//! A missing SQL password is then told at the start, not by
//! `backup/database` after the program files were archived.

use super::connect::{parse_server, password};
use crate::model::plan::{Encryption, SqlAuth, SqlConnection};
use crate::model::step::{Action, Stage};
use crate::model::{EnvKind, Plan, SecretSource};

/// The SQL steps of `stages`, as `stage/step` with the environment they
/// work on.
fn sql_steps(stages: &[Stage]) -> Vec<(String, EnvKind)> {
    stages
        .iter()
        .flat_map(|st| {
            st.steps
                .iter()
                .filter(|s| matches!(&s.action, Action::Sql(a) if a.kind() != "sql.browser"))
                .map(move |s| (format!("{}/{}", st.id, s.id), st.env))
        })
        .collect()
}

/// Whether `conn`'s login can be made, without connecting: the server form,
/// the login, the password (resolved through `secrets`, then dropped).
fn connection_problem(conn: &SqlConnection, secrets: &dyn SecretSource) -> Option<String> {
    if let Err(e) = parse_server(&conn.server) {
        return Some(e);
    }
    if conn.auth == SqlAuth::Sql && conn.login.as_deref().is_none_or(|l| l.trim().is_empty()) {
        return Some(
            crate::model::lang::tr(
                "auth = \"sql\" needs a login (for example login = \"sa\") in the sql section of the plan",
                "auth = \"sql\" demande une connexion (par exemple login = \"sa\") dans la section sql du plan",
            )
            .into(),
        );
    }
    if conn.auth == SqlAuth::Windows && !cfg!(windows) {
        return Some(crate::tr_fmt!(
            "Windows authentication is only available when dress runs on Windows; this is {}: use a SQL login",
            "l'authentification Windows n'est possible que si dress tourne sous Windows ; ici c'est {} : utilisez une connexion SQL",
            std::env::consts::OS
        ));
    }
    password(conn, secrets).err()
}

/// Every SQL step of `stages` can open its connection: `Err` lists each
/// problem once per environment, with the steps it would stop.
pub fn sql_connections_resolvable(
    plan: &Plan,
    stages: &[Stage],
    secrets: &dyn SecretSource,
) -> Result<(), Vec<String>> {
    let mut problems = Vec::new();
    for env in [EnvKind::Test, EnvKind::Production] {
        let steps: Vec<String> = sql_steps(stages)
            .into_iter()
            .filter(|(_, e)| *e == env)
            .map(|(s, _)| s)
            .collect();
        if steps.is_empty() {
            continue;
        }
        let conn = plan.environments.get(env).and_then(|e| e.sql.as_ref());
        let problem = match conn {
            None => Some(crate::tr_fmt!(
                "the {env} environment of the plan has no [environments.{env}.sql] section",
                "l'environnement {env} du plan n'a pas de section [environments.{env}.sql]"
            )),
            Some(c) => connection_problem(c, secrets),
        };
        if let Some(p) = problem {
            problems.push(crate::tr_fmt!(
                "SQL connection of the {env} environment: {p} (needed by {})",
                "connexion SQL de l'environnement {env} : {p} (nécessaire à {})",
                steps.join(", ")
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// The plan's connections that send the login and password in clear text
/// (`encryption = "not-supported"`), one warning each.
pub fn clear_text_warnings(plan: &Plan) -> Vec<String> {
    [EnvKind::Test, EnvKind::Production]
        .into_iter()
        .filter_map(|env| {
            let sql = plan.environments.get(env)?.sql.as_ref()?;
            (sql.encryption == Encryption::NotSupported).then(|| {
                crate::tr_fmt!(
                    "environments.{env}.sql.encryption = \"not-supported\": the SQL login and its password cross \
                     the network in clear text to {} — use \"required\" (with a certificate the server name \
                     matches), or at least \"off\" (the login is then encrypted)",
                    "environments.{env}.sql.encryption = \"not-supported\" : la connexion SQL et son mot de passe \
                     traversent le réseau en clair jusqu'à {} — utilisez \"required\" (avec un certificat au nom du \
                     serveur), ou au moins \"off\" (la connexion est alors chiffrée)",
                    sql.server
                )
            })
        })
        .collect()
}

/// Steps of `stages` that would send the production SQL login in clear
/// text. A run with such steps needs `--allow-unencrypted-sql`.
pub fn clear_text_production_steps(plan: &Plan, stages: &[Stage]) -> Vec<String> {
    let clear = plan
        .environments
        .production
        .as_ref()
        .and_then(|e| e.sql.as_ref())
        .is_some_and(|s| s.encryption == Encryption::NotSupported);
    if !clear {
        return Vec::new();
    }
    sql_steps(stages)
        .into_iter()
        .filter(|(_, e)| *e == EnvKind::Production)
        .map(|(s, _)| s)
        .collect()
}

/// The refusal for [`clear_text_production_steps`].
pub fn clear_text_refusal(steps: &[String]) -> String {
    crate::tr_fmt!(
        "environments.production.sql.encryption = \"not-supported\" sends the production SQL login and password \
         in clear text, and {} would use it: set encryption = \"required\" in the plan, or, if the network is \
         trusted, run again with --allow-unencrypted-sql",
        "environments.production.sql.encryption = \"not-supported\" envoie la connexion SQL de production et son \
         mot de passe en clair, et {} l'utiliserait : écrivez encryption = \"required\" dans le plan ou, si le \
         réseau est sûr, relancez avec --allow-unencrypted-sql",
        steps.join(", ")
    )
}

/// The checks of this module at the start of a run on `stages`: `Ok` with
/// the warnings to show, `Err` with every reason the run cannot start.
/// `allow_clear_text` is `--allow-unencrypted-sql`.
pub fn before_run(
    plan: &Plan,
    stages: &[Stage],
    secrets: &dyn SecretSource,
    allow_clear_text: bool,
) -> Result<Vec<String>, String> {
    let mut refused = sql_connections_resolvable(plan, stages, secrets)
        .err()
        .unwrap_or_default();
    let clear = clear_text_production_steps(plan, stages);
    if !clear.is_empty() && !allow_clear_text {
        refused.push(clear_text_refusal(&clear));
    }
    if !refused.is_empty() {
        return Err(refused.join("\n"));
    }
    let uses_sql = !sql_steps(stages).is_empty();
    Ok(if uses_sql {
        clear_text_warnings(plan)
    } else {
        Vec::new()
    })
}

/// The stages of a run being resumed that still have a step to pass.
pub fn stages_left(all: &[Stage], state: &crate::engine::RunState) -> Vec<Stage> {
    all.iter()
        .filter(|st| {
            state.steps.iter().any(|s| {
                s.planned.step.stage == st.id && s.status != crate::engine::StepStatus::Passed
            })
        })
        .cloned()
        .collect()
}

//! SQL Server connection rules: server form, database name, authentication.

use super::{Issue, check_secret};
use crate::model::naming::shown;
use crate::model::plan::{Plan, SqlAuth, SqlConnection};
use crate::model::topology::check_host;

const SERVER_FIX: &str =
    "write host, host,port (1-65535) or host\\INSTANCE, e.g. sql1.example.local\\CRM";

/// Check the `server` value; `Ok` carries the normalized form used to compare
/// two connections (lower case).
pub fn check_server(server: &str) -> Result<String, String> {
    if server.trim().is_empty() {
        return Err("the SQL server is empty".into());
    }
    let (host, rest) = match server.find([',', '\\']) {
        Some(i) => (&server[..i], Some((&server[i..i + 1], &server[i + 1..]))),
        None => (server, None),
    };
    if matches!(host, "." | "(local)" | "(localdb)") {
        return Err(format!(
            "\"{}\" is a shorthand the connection library does not resolve",
            shown(host)
        ));
    }
    check_host(host)?;
    match rest {
        None => {}
        Some((",", port)) => {
            let ok = !port.is_empty()
                && port.len() <= 5
                && port.bytes().all(|b| b.is_ascii_digit())
                && port.parse::<u32>().is_ok_and(|p| (1..=65535).contains(&p));
            if !ok {
                return Err(format!("\"{}\" is not a port from 1 to 65535", shown(port)));
            }
        }
        Some((_, inst)) => check_instance(inst)?,
    }
    Ok(server.to_ascii_lowercase())
}

/// SQL Server instance name: 1-16 characters, a letter, `_` or `&` first,
/// then letters, digits, `_` or `$`; not a reserved name.
fn check_instance(inst: &str) -> Result<(), String> {
    let mut chars = inst.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '&');
    if !first_ok || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$') {
        return Err(format!(
            "\"{}\" is not a valid instance name (a letter first, then letters, digits, _ or $)",
            shown(inst)
        ));
    }
    if inst.len() > 16 {
        return Err(format!(
            "the instance name \"{}\" has more than 16 characters",
            shown(inst)
        ));
    }
    if inst.eq_ignore_ascii_case("MSSQLSERVER") || inst.eq_ignore_ascii_case("DEFAULT") {
        return Err(format!(
            "\"{inst}\" names the default instance, which is reached by the host name alone"
        ));
    }
    Ok(())
}

/// Database name: letters, digits and `_`, a letter or `_` first, 128 at most.
pub fn check_database(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("the database name is empty".into());
    }
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if !first_ok || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(format!(
            "\"{}\" is not a plain database name (letters, digits and _, not starting with a digit)",
            shown(name)
        ));
    }
    if name.len() > 128 {
        return Err(format!(
            "the database name has {} characters, 128 at most",
            name.len()
        ));
    }
    Ok(())
}

pub(super) fn check_sql(base: &str, sql: &SqlConnection, out: &mut Vec<Issue>) {
    if let Err(e) = check_server(&sql.server) {
        out.push(Issue::new(format!("{base}.server"), e, SERVER_FIX));
    }
    if let Err(e) = check_database(&sql.database) {
        out.push(Issue::new(
            format!("{base}.database"),
            e,
            "use the installation name (e.g. CRMSAGE) or a name made of letters, digits and _",
        ));
    }
    if let Some(login) = &sql.login
        && (login.trim().is_empty()
            || login.chars().any(|c| c.is_control())
            || login.chars().count() > 128)
    {
        out.push(Issue::new(
            format!("{base}.login"),
            "the SQL login is empty, too long or contains a control character",
            "write the login name, e.g. sa or DOMAIN\\crm-admin",
        ));
    }
    if let Some(p) = &sql.password {
        check_secret(&format!("{base}.password"), p, out);
    }
    match sql.auth {
        SqlAuth::Sql => {
            if sql.login.is_none() {
                out.push(Issue::new(
                    format!("{base}.login"),
                    "SQL authentication needs a login",
                    "add login = \"sa\" (or a sysadmin login), or set auth = \"windows\"",
                ));
            }
            if sql.password.is_none() {
                out.push(Issue::new(
                    format!("{base}.password"),
                    "SQL authentication needs a password",
                    "add password = { env = \"NAME\" } or password = { prompt = true }",
                ));
            }
        }
        SqlAuth::Windows => match (&sql.login, &sql.password) {
            (None, Some(_)) => out.push(Issue::new(
                format!("{base}.password"),
                "a password without a login is never used with Windows authentication",
                "remove the password (the current Windows account is used) or add the login it belongs to",
            )),
            (Some(_), None) => out.push(Issue::new(
                format!("{base}.password"),
                "a Windows login is given without its password",
                "add password = { env = \"NAME\" } or { prompt = true }, or remove the login to use the current account",
            )),
            _ => {}
        },
    }
}

pub(super) fn check_between_envs(plan: &Plan, out: &mut Vec<Issue>) {
    let t = plan.environments.test.as_ref().and_then(|e| e.sql.as_ref());
    let p = plan
        .environments
        .production
        .as_ref()
        .and_then(|e| e.sql.as_ref());
    let (Some(t), Some(p)) = (t, p) else { return };
    if let (Ok(ts), Ok(ps)) = (check_server(&t.server), check_server(&p.server))
        && ts == ps
        && t.database.eq_ignore_ascii_case(&p.database)
    {
        out.push(Issue::new(
                "environments.test.sql.database",
                "test and production use the same database on the same SQL server",
                "give the test database its own name (e.g. CRMSAGE_TEST): the rehearsal restores into it",
            ));
    }
}

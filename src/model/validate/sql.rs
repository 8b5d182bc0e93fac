//! SQL Server connection rules: server form, database name, authentication.

use super::{Issue, check_secret};
use crate::model::naming::shown;
use crate::model::plan::{Plan, SqlAuth, SqlConnection};
use crate::model::topology::check_host;

fn server_fix() -> String {
    crate::tr_fmt!(
        "write host, host,port (1-65535) or host\\INSTANCE, e.g. sql1.example.local\\CRM",
        "écrivez hôte, hôte,port (1-65535) ou hôte\\INSTANCE, par exemple sql1.example.local\\CRM"
    )
}

/// Check the `server` value; `Ok` carries the normalized form used to compare
/// two connections (lower case).
pub fn check_server(server: &str) -> Result<String, String> {
    if server.trim().is_empty() {
        return Err(crate::tr_fmt!(
            "the SQL server is empty",
            "le serveur SQL est vide"
        ));
    }
    let (host, rest) = match server.find([',', '\\']) {
        Some(i) => (&server[..i], Some((&server[i..i + 1], &server[i + 1..]))),
        None => (server, None),
    };
    if matches!(host, "." | "(local)" | "(localdb)") {
        let h = shown(host);
        return Err(crate::tr_fmt!(
            "\"{h}\" is a shorthand the connection library does not resolve",
            "« {h} » est un raccourci que la bibliothèque de connexion ne résout pas"
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
                let p = shown(port);
                return Err(crate::tr_fmt!(
                    "\"{p}\" is not a port from 1 to 65535",
                    "« {p} » n'est pas un port de 1 à 65535"
                ));
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
        let i = shown(inst);
        return Err(crate::tr_fmt!(
            "\"{i}\" is not a valid instance name (a letter first, then letters, digits, _ or $)",
            "« {i} » n'est pas un nom d'instance valide (une lettre d'abord, puis des lettres, des chiffres, _ ou $)"
        ));
    }
    if inst.len() > 16 {
        let i = shown(inst);
        return Err(crate::tr_fmt!(
            "the instance name \"{i}\" has more than 16 characters",
            "le nom d'instance « {i} » a plus de 16 caractères"
        ));
    }
    if inst.eq_ignore_ascii_case("MSSQLSERVER") || inst.eq_ignore_ascii_case("DEFAULT") {
        return Err(crate::tr_fmt!(
            "\"{inst}\" names the default instance, which is reached by the host name alone",
            "« {inst} » désigne l'instance par défaut, que l'on joint par le seul nom d'hôte"
        ));
    }
    Ok(())
}

/// Database name: letters, digits and `_`, a letter or `_` first, 128 at most.
pub fn check_database(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err(crate::tr_fmt!(
            "the database name is empty",
            "le nom de la base de données est vide"
        ));
    }
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if !first_ok || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_') {
        let n = shown(name);
        return Err(crate::tr_fmt!(
            "\"{n}\" is not a plain database name (letters, digits and _, not starting with a digit)",
            "« {n} » n'est pas un nom simple de base de données (lettres, chiffres et _, sans chiffre en premier)"
        ));
    }
    if name.len() > 128 {
        let n = name.len();
        return Err(crate::tr_fmt!(
            "the database name has {n} characters, 128 at most",
            "le nom de la base de données a {n} caractères, 128 au plus"
        ));
    }
    Ok(())
}

pub(super) fn check_sql(base: &str, sql: &SqlConnection, out: &mut Vec<Issue>) {
    if let Err(e) = check_server(&sql.server) {
        out.push(Issue::new(format!("{base}.server"), e, server_fix()));
    }
    if let Err(e) = check_database(&sql.database) {
        out.push(Issue::new(
            format!("{base}.database"),
            e,
            crate::tr_fmt!(
                "use the installation name (e.g. CRMSAGE) or a name made of letters, digits and _",
                "utilisez le nom d'installation (par exemple CRMSAGE) ou un nom fait de lettres, de chiffres et de _"
            ),
        ));
    }
    if let Some(login) = &sql.login
        && (login.trim().is_empty()
            || login.chars().any(|c| c.is_control())
            || login.chars().count() > 128)
    {
        out.push(Issue::new(
            format!("{base}.login"),
            crate::tr_fmt!(
                "the SQL login is empty, too long or contains a control character",
                "la connexion SQL est vide, trop longue ou contient un caractère de contrôle"
            ),
            crate::tr_fmt!(
                "write the login name, e.g. sa or DOMAIN\\crm-admin",
                "écrivez le nom de connexion, par exemple sa ou DOMAINE\\crm-admin"
            ),
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
                    crate::tr_fmt!(
                        "SQL authentication needs a login",
                        "l'authentification SQL demande une connexion (login)"
                    ),
                    crate::tr_fmt!(
                        "add login = \"sa\" (or a sysadmin login), or set auth = \"windows\"",
                        "ajoutez login = \"sa\" (ou une connexion sysadmin), ou mettez auth = \"windows\""
                    ),
                ));
            }
            if sql.password.is_none() {
                out.push(Issue::new(
                    format!("{base}.password"),
                    crate::tr_fmt!(
                        "SQL authentication needs a password",
                        "l'authentification SQL demande un mot de passe"
                    ),
                    crate::tr_fmt!(
                        "add password = {{ env = \"NAME\" }} or password = {{ prompt = true }}",
                        "ajoutez password = {{ env = \"NOM\" }} ou password = {{ prompt = true }}"
                    ),
                ));
            }
        }
        SqlAuth::Windows => match (&sql.login, &sql.password) {
            (None, Some(_)) => out.push(Issue::new(
                format!("{base}.password"),
                crate::tr_fmt!(
                    "a password without a login is never used with Windows authentication",
                    "un mot de passe sans connexion ne sert jamais avec l'authentification Windows"
                ),
                crate::tr_fmt!(
                    "remove the password (the current Windows account is used) or add the login it belongs to",
                    "supprimez le mot de passe (le compte Windows en cours est utilisé) ou ajoutez la connexion à laquelle il appartient"
                ),
            )),
            (Some(_), None) => out.push(Issue::new(
                format!("{base}.password"),
                crate::tr_fmt!(
                    "a Windows login is given without its password",
                    "une connexion Windows est donnée sans son mot de passe"
                ),
                crate::tr_fmt!(
                    "add password = {{ env = \"NAME\" }} or {{ prompt = true }}, or remove the login to use the current account",
                    "ajoutez password = {{ env = \"NOM\" }} ou {{ prompt = true }}, ou supprimez la connexion pour utiliser le compte en cours"
                ),
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
                crate::tr_fmt!(
                    "test and production use the same database on the same SQL server",
                    "le test et la production utilisent la même base de données sur le même serveur SQL"
                ),
                crate::tr_fmt!(
                    "give the test database its own name (e.g. CRMSAGE_TEST): the rehearsal restores into it",
                    "donnez à la base de test son propre nom (par exemple CRMSAGE_TEST) : la répétition générale y restaure la sauvegarde"
                ),
            ));
    }
}

//! Read-only checks of the SQL server. Each one logs what it measured and
//! against what it compared it (`StepCtx::measured`).

use super::connect::{self, Session};
use super::text::{self, Stmt};
use super::{answer, database, one};
use crate::engine::ctx::{StepCtx, StepError, StepResult};
use crate::model::plan::SqlConnection;
use crate::model::secret::SecretSource;

const MASTER: &str = "master";

async fn master(
    conn: &SqlConnection,
    secrets: &dyn SecretSource,
    ctx: &StepCtx,
) -> Result<Session, StepError> {
    connect::open(conn, secrets, ctx, MASTER, false).await
}

pub async fn connect(
    conn: &SqlConnection,
    secrets: &dyn SecretSource,
    ctx: &StepCtx,
) -> StepResult {
    let mut s = master(conn, secrets, ctx).await?;
    let stmt = Stmt::batch(text::CONNECT);
    let what = crate::model::lang::tr(
        "the question of the server name and login",
        "la question du nom du serveur et de la connexion",
    );
    let r = one(&mut s, ctx, &stmt, what).await?;
    let name = answer::text(&r, 0, "server_name", what, &stmt)?;
    let login = answer::text(&r, 1, "login_name", what, &stmt)?;
    ctx.measured(crate::tr_fmt!(
        "connected to {} (server name '{name}') as '{login}'",
        "connecté à {} (nom du serveur « {name} ») en tant que « {login} »",
        conn.server
    ));
    Ok(crate::tr_fmt!(
        "connected to {} as {login}",
        "connecté à {} en tant que {login}",
        conn.server
    ))
}

/// Major version of a `ProductVersion` such as `16.0.1000.6`.
pub fn major(version: &str) -> Option<u32> {
    version.split('.').next()?.trim().parse().ok()
}

/// Marketing name of a major version, for messages.
pub fn release_name(major: u32) -> &'static str {
    match major {
        11 => "SQL Server 2012",
        12 => "SQL Server 2014",
        13 => "SQL Server 2016",
        14 => "SQL Server 2017",
        15 => "SQL Server 2019",
        16 => "SQL Server 2022",
        17 => "SQL Server 2025",
        m if m < 11 => crate::model::lang::tr(
            "an unsupported old release",
            "une ancienne version non prise en charge",
        ),
        _ => crate::model::lang::tr(
            "a release newer than SQL Server 2025",
            "une version plus récente que SQL Server 2025",
        ),
    }
}

pub async fn version(
    conn: &SqlConnection,
    secrets: &dyn SecretSource,
    ctx: &StepCtx,
) -> StepResult {
    let mut s = master(conn, secrets, ctx).await?;
    let stmt = Stmt::batch(text::VERSION);
    let what = crate::model::lang::tr(
        "the question of the version and edition",
        "la question de la version et de l'édition",
    );
    let r = one(&mut s, ctx, &stmt, what).await?;
    let version = answer::text(&r, 0, "product_version", what, &stmt)?;
    let edition = answer::text(&r, 1, "edition", what, &stmt)?;
    let m = major(&version).ok_or_else(|| {
        crate::tr_fmt!(
            "the server reported a version that is not understood: '{version}'",
            "le serveur a indiqué une version incompréhensible : « {version} »"
        )
    })?;
    let min = conn.min_version;
    ctx.measured(crate::tr_fmt!(
        "product version {version} ({}), edition {edition}; required major version >= {}",
        "version du produit {version} ({}), édition {edition} ; version majeure exigée >= {}",
        release_name(m),
        min.map_or(
            crate::model::lang::tr("(none)", "(aucune)").to_string(),
            |v| v.to_string()
        )
    ));
    if edition.contains("Express") {
        ctx.info(crate::model::lang::tr(
            "Express edition: databases are limited to 10 GB and the instance uses little memory",
            "édition Express : les bases de données sont limitées à 10 Go et l'instance utilise peu de mémoire",
        ));
    }
    if let Some(min) = min
        && m < min
    {
        return Err(StepError(crate::tr_fmt!(
            "SQL Server {version} ({}) is too old: the plan requires major version {min} ({}) or later — upgrade SQL Server or lower min_version",
            "SQL Server {version} ({}) est trop ancien : le plan exige la version majeure {min} ({}) ou plus récente — mettez à jour SQL Server ou baissez min_version",
            release_name(m),
            release_name(min)
        )));
    }
    Ok(format!("{} {version}, {edition}", release_name(m)))
}

pub async fn collation(
    conn: &SqlConnection,
    secrets: &dyn SecretSource,
    ctx: &StepCtx,
    database: Option<&str>,
) -> StepResult {
    let req = text::REQUIRED_COLLATION;
    let mut s = master(conn, secrets, ctx).await?;
    let stmt = Stmt::batch(text::SERVER_COLLATION);
    let what = crate::model::lang::tr(
        "the question of the server collation",
        "la question du classement du serveur",
    );
    let r = one(&mut s, ctx, &stmt, what).await?;
    let server = answer::text(&r, 0, "server_collation", what, &stmt)?;
    ctx.measured(crate::tr_fmt!(
        "server collation {server}; required {req}",
        "classement du serveur {server} ; exigé {req}"
    ));
    if !server.eq_ignore_ascii_case(req) {
        return Err(StepError(crate::tr_fmt!(
            "the server collation is {server}; the product requires {req}. The server collation is chosen \
             when SQL Server is installed: use an instance installed with {req} (or rebuild the system databases with SQLCOLLATION={req})",
            "le classement du serveur est {server} ; le produit exige {req}. Le classement du serveur se choisit \
             à l'installation de SQL Server : utilisez une instance installée avec {req} (ou reconstruisez les bases système avec SQLCOLLATION={req})"
        )));
    }
    let Some(db) = database else {
        return Ok(crate::tr_fmt!(
            "server collation {server}",
            "classement du serveur {server}"
        ));
    };
    text::valid_database_name(db)?;
    let Some(found) = database::presence(&mut s, ctx, db).await? else {
        ctx.measured(crate::tr_fmt!(
            "database {db} does not exist yet: only the server collation applies",
            "la base de données {db} n'existe pas encore : seul le classement du serveur s'applique"
        ));
        return Ok(crate::tr_fmt!(
            "server collation {server}; database {db} not created yet",
            "classement du serveur {server} ; base de données {db} pas encore créée"
        ));
    };
    let dbc = database::collation_of(db, &found)?;
    ctx.measured(crate::tr_fmt!(
        "database {db} collation {dbc}; required {req}",
        "classement de la base de données {db} {dbc} ; exigé {req}"
    ));
    if !dbc.eq_ignore_ascii_case(req) {
        return Err(StepError(crate::tr_fmt!(
            "the database {db} has collation {dbc}; the product requires {req}. Changing it needs \
             ALTER DATABASE [{db}] COLLATE {req} with no other connection, and does not convert existing columns: \
             check with the vendor before upgrading",
            "la base de données {db} a le classement {dbc} ; le produit exige {req}. Le changer demande \
             ALTER DATABASE [{db}] COLLATE {req} sans aucune autre connexion, et ne convertit pas les colonnes existantes : \
             voyez avec l'éditeur avant la mise à jour"
        )));
    }
    Ok(crate::tr_fmt!(
        "server and database collation {server}",
        "classement du serveur et de la base de données {server}"
    ))
}

pub async fn sysadmin(
    conn: &SqlConnection,
    secrets: &dyn SecretSource,
    ctx: &StepCtx,
) -> StepResult {
    let mut s = master(conn, secrets, ctx).await?;
    let stmt = Stmt::batch(text::SYSADMIN);
    let what = crate::model::lang::tr(
        "the question whether the login is sysadmin",
        "la question de savoir si la connexion est sysadmin",
    );
    let r = one(&mut s, ctx, &stmt, what).await?;
    let v = answer::int(&r, 0, "is_sysadmin", what, &stmt)?;
    ctx.measured(crate::tr_fmt!(
        "IS_SRVROLEMEMBER('sysadmin') for {} = {v}; required 1",
        "IS_SRVROLEMEMBER('sysadmin') pour {} = {v} ; exigé 1",
        s.login
    ));
    match v {
        1 => Ok(crate::tr_fmt!("{} is sysadmin", "{} est sysadmin", s.login)),
        _ => Err(StepError(crate::tr_fmt!(
            "login '{}' is not a member of the sysadmin server role: the product installs and upgrades the \
             database with full rights — use sa or add the login to sysadmin (ALTER SERVER ROLE sysadmin ADD MEMBER ...)",
            "la connexion « {} » n'est pas membre du rôle serveur sysadmin : le produit installe et met à jour la \
             base de données avec tous les droits — utilisez sa ou ajoutez la connexion à sysadmin (ALTER SERVER ROLE sysadmin ADD MEMBER ...)",
            s.login
        ))),
    }
}

/// Security finding when the product's `Admin` user has an empty password
/// (read from the `users` table of the CRM database).
pub async fn admin_password(
    conn: &SqlConnection,
    secrets: &dyn SecretSource,
    ctx: &StepCtx,
    db: &str,
) -> StepResult {
    text::valid_database_name(db)?;
    let mut s = connect::open(conn, secrets, ctx, db, false).await?;
    let stmt = Stmt::with(text::ADMIN_EMPTY_PASSWORD, vec![text::ADMIN_LOGON.into()]);
    let what = crate::model::lang::tr(
        "the count of users with an empty password",
        "le décompte des utilisateurs sans mot de passe",
    );
    let r = one(&mut s, ctx, &stmt, what).await?;
    let n = answer::int(&r, 0, "EMPTY_PASSWORDS", what, &stmt)?;
    ctx.measured(crate::tr_fmt!(
        "users '{}' with an empty password in {db}: {n}",
        "utilisateurs « {} » sans mot de passe dans {db} : {n}",
        text::ADMIN_LOGON
    ));
    if n > 0 {
        Err(StepError(crate::tr_fmt!(
            "security finding: the {0} account of {db} has no password — log on as {0} and set one \
             before the site is opened to users",
            "constat de sécurité : le compte {0} de {db} n'a pas de mot de passe — connectez-vous en tant que {0} \
             et définissez-en un avant d'ouvrir le site aux utilisateurs",
            text::ADMIN_LOGON
        )))
    } else {
        Ok(crate::tr_fmt!(
            "the {} account has a password",
            "le compte {} a un mot de passe",
            text::ADMIN_LOGON
        ))
    }
}

/// SQL Server's ceiling of user connections (the value 0 means this).
pub const MAX_USER_CONNECTIONS: i64 = 32767;

/// Connections the deployment needs: per web server, one for the CRM DLL
/// and one Tomcat pool.
pub fn needed_connections(web_servers: u32, tomcat_pool: u32) -> i64 {
    i64::from(web_servers) * (1 + i64::from(tomcat_pool))
}

pub async fn connections(
    conn: &SqlConnection,
    secrets: &dyn SecretSource,
    ctx: &StepCtx,
    web_servers: u32,
) -> StepResult {
    let mut s = master(conn, secrets, ctx).await?;
    let stmt = Stmt::batch(text::USER_CONNECTIONS);
    let what = crate::model::lang::tr(
        "the question of the 'user connections' setting",
        "la question du réglage « user connections »",
    );
    let r = one(&mut s, ctx, &stmt, what).await?;
    let v = answer::int(&r, 0, "user_connections", what, &stmt)?;
    let allowed = if v == 0 { MAX_USER_CONNECTIONS } else { v };
    let needed = needed_connections(web_servers, conn.tomcat_pool);
    ctx.measured(crate::tr_fmt!(
        "user connections {v}{} ; needed {needed} = {web_servers} web server(s) x (1 + Tomcat pool {})",
        "connexions utilisateur {v}{} ; nécessaires {needed} = {web_servers} serveur(s) web x (1 + pool Tomcat {})",
        if v == 0 {
            crate::model::lang::tr(" (0 = unlimited, 32767)", " (0 = illimité, 32767)")
        } else {
            ""
        },
        conn.tomcat_pool
    ));
    if allowed < needed {
        return Err(StepError(crate::tr_fmt!(
            "SQL Server allows {allowed} user connections; {web_servers} web server(s) need {needed} \
             (1 + Tomcat pool {} each). Raise it: EXEC sp_configure 'user connections', 0; RECONFIGURE; then restart SQL Server (0 = unlimited)",
            "SQL Server autorise {allowed} connexions utilisateur ; {web_servers} serveur(s) web en demandent {needed} \
             (1 + pool Tomcat {} chacun). Augmentez-le : EXEC sp_configure 'user connections', 0; RECONFIGURE; puis redémarrez SQL Server (0 = illimité)",
            conn.tomcat_pool
        )));
    }
    Ok(crate::tr_fmt!(
        "{allowed} user connections allowed, {needed} needed",
        "{allowed} connexions utilisateur autorisées, {needed} nécessaires"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(major("16.0.1000.6"), Some(16));
        assert_eq!(major("x"), None);
        assert_eq!(release_name(13), "SQL Server 2016");
        assert_eq!(needed_connections(3, 20), 63);
    }
}

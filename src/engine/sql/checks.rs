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
    let what = "the question of the server name and login";
    let r = one(&mut s, ctx, &stmt, what).await?;
    let name = answer::text(&r, 0, "server_name", what, &stmt)?;
    let login = answer::text(&r, 1, "login_name", what, &stmt)?;
    ctx.measured(format!(
        "connected to {} (server name '{name}') as '{login}'",
        conn.server
    ));
    Ok(format!("connected to {} as {login}", conn.server))
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
        m if m < 11 => "an unsupported old release",
        _ => "a release newer than SQL Server 2025",
    }
}

pub async fn version(
    conn: &SqlConnection,
    secrets: &dyn SecretSource,
    ctx: &StepCtx,
) -> StepResult {
    let mut s = master(conn, secrets, ctx).await?;
    let stmt = Stmt::batch(text::VERSION);
    let what = "the question of the version and edition";
    let r = one(&mut s, ctx, &stmt, what).await?;
    let version = answer::text(&r, 0, "product_version", what, &stmt)?;
    let edition = answer::text(&r, 1, "edition", what, &stmt)?;
    let m = major(&version).ok_or_else(|| {
        format!("the server reported a version that is not understood: '{version}'")
    })?;
    let min = conn.min_version;
    ctx.measured(format!(
        "product version {version} ({}), edition {edition}; required major version >= {}",
        release_name(m),
        min.map_or("(none)".to_string(), |v| v.to_string())
    ));
    if edition.contains("Express") {
        ctx.info(
            "Express edition: databases are limited to 10 GB and the instance uses little memory",
        );
    }
    if let Some(min) = min
        && m < min
    {
        return Err(StepError(format!(
            "SQL Server {version} ({}) is too old: the plan requires major version {min} ({}) or later — upgrade SQL Server or lower min_version",
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
    let what = "the question of the server collation";
    let r = one(&mut s, ctx, &stmt, what).await?;
    let server = answer::text(&r, 0, "server_collation", what, &stmt)?;
    ctx.measured(format!("server collation {server}; required {req}"));
    if !server.eq_ignore_ascii_case(req) {
        return Err(StepError(format!(
            "the server collation is {server}; the product requires {req}. The server collation is chosen \
             when SQL Server is installed: use an instance installed with {req} (or rebuild the system databases with SQLCOLLATION={req})"
        )));
    }
    let Some(db) = database else {
        return Ok(format!("server collation {server}"));
    };
    text::valid_database_name(db)?;
    let Some(found) = database::presence(&mut s, ctx, db).await? else {
        ctx.measured(format!(
            "database {db} does not exist yet: only the server collation applies"
        ));
        return Ok(format!(
            "server collation {server}; database {db} not created yet"
        ));
    };
    let dbc = database::collation_of(db, &found)?;
    ctx.measured(format!("database {db} collation {dbc}; required {req}"));
    if !dbc.eq_ignore_ascii_case(req) {
        return Err(StepError(format!(
            "the database {db} has collation {dbc}; the product requires {req}. Changing it needs \
             ALTER DATABASE [{db}] COLLATE {req} with no other connection, and does not convert existing columns: \
             check with the vendor before upgrading"
        )));
    }
    Ok(format!("server and database collation {server}"))
}

pub async fn sysadmin(
    conn: &SqlConnection,
    secrets: &dyn SecretSource,
    ctx: &StepCtx,
) -> StepResult {
    let mut s = master(conn, secrets, ctx).await?;
    let stmt = Stmt::batch(text::SYSADMIN);
    let what = "the question whether the login is sysadmin";
    let r = one(&mut s, ctx, &stmt, what).await?;
    let v = answer::int(&r, 0, "is_sysadmin", what, &stmt)?;
    ctx.measured(format!(
        "IS_SRVROLEMEMBER('sysadmin') for {} = {v}; required 1",
        s.login
    ));
    match v {
        1 => Ok(format!("{} is sysadmin", s.login)),
        _ => Err(StepError(format!(
            "login '{}' is not a member of the sysadmin server role: the product installs and upgrades the \
             database with full rights — use sa or add the login to sysadmin (ALTER SERVER ROLE sysadmin ADD MEMBER ...)",
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
    let what = "the count of users with an empty password";
    let r = one(&mut s, ctx, &stmt, what).await?;
    let n = answer::int(&r, 0, "EMPTY_PASSWORDS", what, &stmt)?;
    ctx.measured(format!(
        "users '{}' with an empty password in {db}: {n}",
        text::ADMIN_LOGON
    ));
    if n > 0 {
        Err(StepError(format!(
            "security finding: the {} account of {db} has no password — log on as {} and set one \
             before the site is opened to users",
            text::ADMIN_LOGON,
            text::ADMIN_LOGON
        )))
    } else {
        Ok(format!("the {} account has a password", text::ADMIN_LOGON))
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
    let what = "the question of the 'user connections' setting";
    let r = one(&mut s, ctx, &stmt, what).await?;
    let v = answer::int(&r, 0, "user_connections", what, &stmt)?;
    let allowed = if v == 0 { MAX_USER_CONNECTIONS } else { v };
    let needed = needed_connections(web_servers, conn.tomcat_pool);
    ctx.measured(format!(
        "user connections {v}{} ; needed {needed} = {web_servers} web server(s) x (1 + Tomcat pool {})",
        if v == 0 { " (0 = unlimited, 32767)" } else { "" },
        conn.tomcat_pool
    ));
    if allowed < needed {
        return Err(StepError(format!(
            "SQL Server allows {allowed} user connections; {web_servers} web server(s) need {needed} \
             (1 + Tomcat pool {} each). Raise it: EXEC sp_configure 'user connections', 0; RECONFIGURE; then restart SQL Server (0 = unlimited)",
            conn.tomcat_pool
        )));
    }
    Ok(format!(
        "{allowed} user connections allowed, {needed} needed"
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

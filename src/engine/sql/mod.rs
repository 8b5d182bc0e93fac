//! SQL Server steps, through tiberius: checks (connect, version, collation,
//! sysadmin, SQL Browser, database, user connections) and actions (backup,
//! restore, CHECKDB, scripts, `custom_sysparams`).
//!
//! Every statement comes from [`text`]; plan values travel as parameters.
//! Ordinary statements have a 30 s command timeout; long ones (backup,
//! restore, CHECKDB, scripts) have none and are bounded by cancellation
//! only (see [`long_running`]).
//!
//! Server messages: tiberius 0.13 decodes INFO tokens (such as the
//! "10 percent processed." lines of `BACKUP ... WITH STATS`) but only logs
//! them through `tracing` at DEBUG level; its `QueryStream` yields metadata
//! and rows, never messages. Progress of backups and restores is therefore
//! read from `sys.dm_exec_requests.percent_complete` on a second connection
//! (see [`actions`]).

mod actions;
mod browser;
mod checks;
pub mod connect;
pub mod errors;
pub mod script;
mod sysparams;
pub mod text;

use std::time::Duration;

use tiberius::{Row, ToSql};

use crate::engine::ctx::{StepCtx, StepError, StepResult};
use crate::engine::sqlspec::SqlAction;
use crate::model::plan::SqlConnection;
use crate::model::secret::SecretSource;
use connect::Session;
use text::Stmt;

/// Run one SQL step against the server of `conn`.
pub async fn run(
    action: &SqlAction,
    conn: &SqlConnection,
    secrets: &dyn SecretSource,
    ctx: &StepCtx,
) -> StepResult {
    let r = match action {
        SqlAction::Connect => checks::connect(conn, secrets, ctx).await,
        SqlAction::Version => checks::version(conn, secrets, ctx).await,
        SqlAction::Collation { database } => {
            checks::collation(conn, secrets, ctx, database.as_deref()).await
        }
        SqlAction::Sysadmin => checks::sysadmin(conn, secrets, ctx).await,
        SqlAction::Browser { port } => browser::check(conn, ctx, *port).await,
        SqlAction::Database {
            database,
            must_exist,
        } => checks::database(conn, secrets, ctx, database, *must_exist).await,
        SqlAction::Connections { web_servers } => {
            checks::connections(conn, secrets, ctx, *web_servers).await
        }
        SqlAction::Backup { database, file } => {
            actions::backup(conn, secrets, ctx, database, file).await
        }
        SqlAction::Restore { file, database } => {
            actions::restore(conn, secrets, ctx, file, database).await
        }
        SqlAction::Checkdb { database } => actions::checkdb(conn, secrets, ctx, database).await,
        SqlAction::Script { file, database } => {
            script::run(conn, secrets, ctx, file, database).await
        }
        SqlAction::Sysparams { database, values } => {
            sysparams::run(conn, secrets, ctx, database, values).await
        }
        SqlAction::AdminPassword { database } => {
            checks::admin_password(conn, secrets, ctx, database).await
        }
    };
    ctx.flush_log();
    // Last guard: nothing leaves with a secret in it.
    r.map(|s| ctx.redact(&s))
        .map_err(|e| StepError(ctx.redact(&e.0)))
}

/// Log the statement about to be sent, with its parameter values.
fn log_stmt(ctx: &StepCtx, stmt: &Stmt) {
    for line in stmt.describe() {
        ctx.info(&format!("SQL> {line}"));
    }
}

/// Send `stmt` (a batch without parameters, `sp_executesql` with) and
/// return the rows of its first result set.
async fn rows(s: &mut Session, ctx: &StepCtx, stmt: &Stmt) -> Result<Vec<Row>, StepError> {
    log_stmt(ctx, stmt);
    let params: Vec<&dyn ToSql> = stmt.params.iter().map(|p| p as &dyn ToSql).collect();
    let res = if params.is_empty() {
        match s.client.simple_query(stmt.sql.as_str()).await {
            Ok(q) => q.into_first_result().await,
            Err(e) => Err(e),
        }
    } else {
        match s.client.query(stmt.sql.as_str(), &params).await {
            Ok(q) => q.into_first_result().await,
            Err(e) => Err(e),
        }
    };
    res.map_err(|e| s.explain(&e, ctx))
}

/// The first row of `stmt`, if any.
async fn row(s: &mut Session, ctx: &StepCtx, stmt: &Stmt) -> Result<Option<Row>, StepError> {
    Ok(rows(s, ctx, stmt).await?.into_iter().next())
}

/// Column `i` of `row` as text (NULL gives `None`).
fn text_at(row: &Row, i: usize) -> Option<String> {
    row.try_get::<&str, _>(i).ok().flatten().map(str::to_string)
}

/// Column `i` of `row` as an integer (NULL gives `None`).
fn int_at(row: &Row, i: usize) -> Option<i64> {
    if let Ok(v) = row.try_get::<i32, _>(i) {
        return v.map(i64::from);
    }
    if let Ok(v) = row.try_get::<i64, _>(i) {
        return v;
    }
    if let Ok(v) = row.try_get::<i16, _>(i) {
        return v.map(i64::from);
    }
    row.try_get::<u8, _>(i).ok().flatten().map(i64::from)
}

/// How long to wait for the server to acknowledge a cancel before the
/// connection is simply dropped.
const ATTENTION_GRACE: Duration = Duration::from_secs(2);

/// Run a long statement with no command timeout, until it ends or the step
/// is cancelled.
///
/// On cancel, an Attention packet is sent (the server stops the statement at
/// once) and the connection is then closed. Either way SQL Server notices the
/// end of the request or the closed connection and aborts the statement,
/// rolling back its open transaction: an interrupted BACKUP leaves an
/// incomplete file that RESTORE VERIFYONLY rejects, an interrupted RESTORE
/// leaves the target database in the RESTORING state (restore it again or
/// drop it), an interrupted CHECKDB simply stops.
async fn long_running<T, F>(
    s: &mut Session,
    ctx: &StepCtx,
    what: &str,
    work: F,
) -> Result<T, StepError>
where
    F: AsyncFnOnce(&mut Session) -> Result<T, StepError>,
{
    let cancelled = {
        let fut = work(s);
        tokio::select! {
            r = fut => return r,
            _ = ctx.cancel.cancelled() => true,
        }
    };
    debug_assert!(cancelled);
    let _ = tokio::time::timeout(ATTENTION_GRACE, s.client.cancel_query()).await;
    Err(StepError(format!(
        "{what}: cancelled; the statement was interrupted and the connection closed, so SQL Server stops it and rolls back what it had started"
    )))
}

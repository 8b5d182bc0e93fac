//! SQL Server steps, through tiberius: checks (connect, version, collation,
//! sysadmin, SQL Browser, database, user connections) and actions (backup,
//! restore, CHECKDB, scripts, `custom_sysparams`).
//!
//! Every statement comes from `model::step::sql_text`; plan values travel as parameters.
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
pub mod answer;
pub mod backup_check;
mod browser;
mod checks;
pub mod connect;
mod database;
pub mod errors;
pub mod marker;
pub mod preflight;
mod restore;
pub mod script;
mod sysparams;

use std::time::Duration;

use tiberius::{Row, ToSql};

use crate::engine::ctx::{StepCtx, StepError, StepResult};
use crate::model::plan::SqlConnection;
use crate::model::secret::SecretSource;
use crate::model::step::sql::SqlAction;
use crate::model::step::sql_text as text;
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
        SqlAction::Database { database, expect } => {
            database::check(conn, secrets, ctx, database, expect).await
        }
        SqlAction::Connections { web_servers } => {
            checks::connections(conn, secrets, ctx, *web_servers).await
        }
        SqlAction::Backup { database, file } => {
            actions::backup(conn, secrets, ctx, database, file).await
        }
        SqlAction::Restore {
            file,
            database,
            installation,
        } => restore::restore(conn, secrets, ctx, file, database, installation).await,
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
/// return the rows of its first result set, or the driver's error as it is
/// (for callers that tell some server errors apart).
async fn rows_raw(
    s: &mut Session,
    ctx: &StepCtx,
    stmt: &Stmt,
) -> Result<Vec<Row>, tiberius::error::Error> {
    log_stmt(ctx, stmt);
    let params: Vec<&dyn ToSql> = stmt.params.iter().map(|p| p as &dyn ToSql).collect();
    if params.is_empty() {
        s.client
            .simple_query(stmt.sql.as_str())
            .await?
            .into_first_result()
            .await
    } else {
        s.client
            .query(stmt.sql.as_str(), &params)
            .await?
            .into_first_result()
            .await
    }
}

/// [`rows_raw`], the error told to a person.
async fn rows(s: &mut Session, ctx: &StepCtx, stmt: &Stmt) -> Result<Vec<Row>, StepError> {
    match rows_raw(s, ctx, stmt).await {
        Ok(r) => Ok(r),
        Err(e) => Err(s.explain(&e, ctx)),
    }
}

/// The first row of `stmt`, which must be there (see [`answer`]).
async fn one(s: &mut Session, ctx: &StepCtx, stmt: &Stmt, what: &str) -> Result<Row, StepError> {
    answer::first(rows(s, ctx, stmt).await?, what, stmt)
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
/// once) and the connection is then closed. What the interrupted statement
/// leaves behind depends on it, and `left` says it to the operator: an
/// interrupted BACKUP leaves an incomplete file that RESTORE VERIFYONLY
/// rejects, an interrupted RESTORE leaves the target database in the
/// RESTORING state (unusable until it is restored again: the restore step
/// does that on `--resume`), an interrupted CHECKDB simply stops.
async fn long_running<T, F>(
    s: &mut Session,
    ctx: &StepCtx,
    what: &str,
    left: &str,
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
    Err(StepError(crate::tr_fmt!(
        "{what}: cancelled; the statement was interrupted and the connection closed: {left}",
        "{what} : annulée ; l'instruction a été interrompue et la connexion fermée : {left}"
    )))
}

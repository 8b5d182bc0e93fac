//! Long SQL actions: backup (then verify), restore under another name,
//! DBCC CHECKDB. No command timeout; cancellable (see `long_running`).

use std::time::Duration;

use tiberius::ToSql;

use super::connect::{self, Session};
use super::text::{self, Stmt};
use super::{int_at, log_stmt, long_running, row, rows, text_at};
use crate::engine::ctx::{StepCtx, StepError, StepResult};
use crate::model::plan::SqlConnection;
use crate::model::secret::SecretSource;

/// How often the progress of a backup or restore is read.
pub const PROGRESS_INTERVAL: Duration = Duration::from_secs(1);

/// Send a statement whose rows do not matter, to its end (errors included).
async fn exec(s: &mut Session, ctx: &StepCtx, stmt: &Stmt) -> Result<(), StepError> {
    log_stmt(ctx, stmt);
    let params: Vec<&dyn ToSql> = stmt.params.iter().map(|p| p as &dyn ToSql).collect();
    let r = if params.is_empty() {
        match s.client.simple_query(stmt.sql.as_str()).await {
            Ok(q) => q.into_results().await.map(|_| ()),
            Err(e) => Err(e),
        }
    } else {
        s.client
            .execute(stmt.sql.as_str(), &params)
            .await
            .map(|_| ())
    };
    r.map_err(|e| s.explain(&e, ctx))
}

/// Follow `percent_complete` of session `spid` from a second connection,
/// reporting each change as progress and as a log line. Never returns
/// while it can read; on any failure it stops reporting and waits forever
/// (the statement it follows decides the outcome of the step).
async fn follow(
    conn: &SqlConnection,
    secrets: &dyn SecretSource,
    ctx: &StepCtx,
    spid: Option<i64>,
    what: &str,
) {
    let Some(spid) = spid else {
        return std::future::pending().await;
    };
    let mut last = -1;
    if let Ok(mut s) = connect::open(conn, secrets, ctx, "master", false).await {
        let stmt = Stmt::with(text::PERCENT_COMPLETE, vec![spid.to_string()]);
        loop {
            tokio::time::sleep(PROGRESS_INTERVAL).await;
            let params: [&dyn ToSql; 1] = [&spid];
            let r = match s.client.query(stmt.sql.as_str(), &params).await {
                Ok(q) => q.into_row().await,
                Err(e) => Err(e),
            };
            let Ok(r) = r else { break };
            if let Some(p) = r.as_ref().and_then(|r| int_at(r, 0))
                && p != last
            {
                last = p;
                ctx.progress(p.clamp(0, 100) as u64, Some(100), "%");
                ctx.info(&format!("{what}: {p} percent done"));
            }
        }
    }
    std::future::pending().await
}

async fn spid(s: &mut Session, ctx: &StepCtx) -> Option<i64> {
    row(s, ctx, &Stmt::batch(text::SPID))
        .await
        .ok()
        .flatten()
        .and_then(|r| int_at(&r, 0))
}

/// `BACKUP DATABASE ... WITH COPY_ONLY, CHECKSUM` (a copy that does not
/// break the customer's backup chain), then `RESTORE VERIFYONLY`.
pub async fn backup(
    conn: &SqlConnection,
    secrets: &dyn SecretSource,
    ctx: &StepCtx,
    database: &str,
    file: &str,
) -> StepResult {
    text::valid_database_name(database)?;
    if file.trim().is_empty() {
        return Err("the backup file is empty: give a path on the SQL server".into());
    }
    let mut s = connect::open(conn, secrets, ctx, "master", true).await?;
    let id = spid(&mut s, ctx).await;
    let started = std::time::Instant::now();
    let backup = Stmt::with(text::backup(database), vec![file.to_string()]);
    let verify = Stmt::with(text::VERIFY_BACKUP, vec![file.to_string()]);
    let what = format!("backup of {database}");
    long_running(&mut s, ctx, &what, async |s: &mut Session| {
        tokio::select! {
            r = exec(s, ctx, &backup) => r,
            _ = follow(conn, secrets, ctx, id, &what) => Ok(()),
        }
    })
    .await?;
    ctx.measured(format!(
        "backup of {database} written to {file} in {:.1} s",
        started.elapsed().as_secs_f64()
    ));
    let what = format!("verification of {file}");
    long_running(&mut s, ctx, &what, async |s: &mut Session| {
        exec(s, ctx, &verify).await
    })
    .await?;
    ctx.measured(format!("RESTORE VERIFYONLY WITH CHECKSUM of {file}: valid"));
    Ok(format!("{database} backed up to {file} and verified"))
}

/// One file of a backup, from `RESTORE FILELISTONLY`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupFile {
    pub logical: String,
    /// D (data), L (log), F (full-text), S (filestream).
    pub kind: String,
}

/// New physical paths for the files of a backup restored as `database`
/// into `data_dir`: `<db>.mdf`, `<db>_<n>.ndf`, `<db>_log.ldf`, `<db>_log<n>.ldf`,
/// `<db>_fs<n>` for full-text and filestream folders.
pub fn new_paths(database: &str, data_dir: &str, files: &[BackupFile]) -> Vec<String> {
    let sep = if data_dir.contains('\\') || !data_dir.contains('/') {
        '\\'
    } else {
        '/'
    };
    let dir = data_dir.trim_end_matches(['\\', '/']);
    let (mut d, mut l, mut o) = (0, 0, 0);
    files
        .iter()
        .map(|f| {
            let name = match f.kind.as_str() {
                "D" => {
                    d += 1;
                    if d == 1 {
                        format!("{database}.mdf")
                    } else {
                        format!("{database}_{d}.ndf")
                    }
                }
                "L" => {
                    l += 1;
                    if l == 1 {
                        format!("{database}_log.ldf")
                    } else {
                        format!("{database}_log{l}.ldf")
                    }
                }
                _ => {
                    o += 1;
                    format!("{database}_fs{o}")
                }
            };
            format!("{dir}{sep}{name}")
        })
        .collect()
}

/// Restore `file` as `database`, moving its files into the plan's data
/// folder. A database that exists is replaced only when it carries the
/// extended property `dress.created_by` (set by this step after each
/// restore), or when the plan says `allow_overwrite = true`.
pub async fn restore(
    conn: &SqlConnection,
    secrets: &dyn SecretSource,
    ctx: &StepCtx,
    file: &str,
    database: &str,
) -> StepResult {
    text::valid_database_name(database)?;
    let data_dir = conn.data_dir.as_deref().filter(|d| !d.trim().is_empty()).ok_or(
        "restoring needs the data folder of the SQL server: set data_dir in the sql section of the plan",
    )?;
    let mut s = connect::open(conn, secrets, ctx, "master", true).await?;
    let exists = row(
        &mut s,
        ctx,
        &Stmt::with(text::DATABASE_ID, vec![database.into()]),
    )
    .await?
    .and_then(|r| int_at(&r, 0))
    .is_some();
    let mut replace = false;
    if exists {
        let marker = row(
            &mut s,
            ctx,
            &Stmt::with(
                text::created_by(database),
                vec![text::CREATED_BY_PROPERTY.into()],
            ),
        )
        .await?
        .and_then(|r| text_at(&r, 0));
        ctx.measured(format!(
            "database {database} exists; {}",
            match &marker {
                Some(v) => format!("created by {v} (property {})", text::CREATED_BY_PROPERTY),
                None => format!(
                    "no {} property: not created by this tool",
                    text::CREATED_BY_PROPERTY
                ),
            }
        ));
        if marker.is_none() && !conn.allow_overwrite {
            return Err(StepError(format!(
                "database {database} already exists on {} and was not created by dress: it is not overwritten. \
                 Choose another name for the restored copy, or set allow_overwrite = true in the plan if it really may be replaced",
                conn.server
            )));
        }
        replace = true;
    }
    let list = rows(&mut s, ctx, &Stmt::with(text::FILE_LIST, vec![file.into()])).await?;
    let mut files = Vec::new();
    for r in &list {
        let logical = r.try_get::<&str, _>("LogicalName").ok().flatten();
        let kind = r.try_get::<&str, _>("Type").ok().flatten();
        if let (Some(logical), Some(kind)) = (logical, kind) {
            files.push(BackupFile {
                logical: logical.into(),
                kind: kind.trim().to_uppercase(),
            });
        }
    }
    if files.is_empty() {
        return Err(StepError(format!(
            "RESTORE FILELISTONLY found no file in {file}: is it a database backup?"
        )));
    }
    let paths = new_paths(database, data_dir, &files);
    let mut params = vec![file.to_string()];
    for (f, p) in files.iter().zip(&paths) {
        ctx.info(&format!("MOVE {} ({}) TO {p}", f.logical, f.kind));
        params.push(f.logical.clone());
        params.push(p.clone());
    }
    let restore = Stmt::with(text::restore(database, files.len(), replace), params);
    let id = spid(&mut s, ctx).await;
    let what = format!("restore of {file} as {database}");
    let started = std::time::Instant::now();
    long_running(&mut s, ctx, &what, async |s: &mut Session| {
        tokio::select! {
            r = exec(s, ctx, &restore) => r,
            _ = follow(conn, secrets, ctx, id, &what) => Ok(()),
        }
    })
    .await?;
    exec(
        &mut s,
        ctx,
        &Stmt::with(
            text::mark_created(database),
            vec![
                text::CREATED_BY_PROPERTY.into(),
                text::CREATED_BY_VALUE.into(),
            ],
        ),
    )
    .await?;
    ctx.measured(format!(
        "{what} in {:.1} s, {} file(s) moved to {data_dir}",
        started.elapsed().as_secs_f64(),
        files.len()
    ));
    Ok(format!("{file} restored as {database}"))
}

/// `DBCC CHECKDB ... WITH NO_INFOMSGS`: silent when the database is sound;
/// any error fails the step with the server's message.
pub async fn checkdb(
    conn: &SqlConnection,
    secrets: &dyn SecretSource,
    ctx: &StepCtx,
    database: &str,
) -> StepResult {
    text::valid_database_name(database)?;
    let mut s = connect::open(conn, secrets, ctx, "master", true).await?;
    let stmt = Stmt::batch(text::checkdb(database));
    let started = std::time::Instant::now();
    let what = format!("DBCC CHECKDB of {database}");
    long_running(&mut s, ctx, &what, async |s: &mut Session| {
        exec(s, ctx, &stmt).await
    })
    .await
    .map_err(|e| StepError(format!("{what} reported a problem: {e}")))?;
    ctx.measured(format!(
        "{what}: no error in {:.1} s",
        started.elapsed().as_secs_f64()
    ));
    Ok(format!("{database}: CHECKDB found no error"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_for_each_kind() {
        let f = |l: &str, k: &str| BackupFile {
            logical: l.into(),
            kind: k.into(),
        };
        let v = new_paths(
            "T",
            "D:\\Data\\",
            &[f("a", "D"), f("b", "L"), f("c", "D"), f("d", "F")],
        );
        assert_eq!(
            v,
            [
                "D:\\Data\\T.mdf",
                "D:\\Data\\T_log.ldf",
                "D:\\Data\\T_2.ndf",
                "D:\\Data\\T_fs1"
            ]
        );
        assert_eq!(
            new_paths("T", "/var/opt/mssql/data", &[f("a", "D")]),
            ["/var/opt/mssql/data/T.mdf"]
        );
    }
}

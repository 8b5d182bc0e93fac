//! Long SQL actions: backup (then its record in msdb, then verify) and
//! DBCC CHECKDB; the restore is in `restore`. No command timeout;
//! cancellable (see `long_running`).

use std::time::Duration;

use tiberius::ToSql;

use super::connect::{self, Session};
use super::marker;
use super::text::{self, Stmt};
use super::{answer, int_at, log_stmt, long_running, one, rows};
use crate::engine::ctx::{StepCtx, StepError, StepResult};
use crate::model::plan::SqlConnection;
use crate::model::secret::SecretSource;

/// How often the progress of a backup or restore is read.
pub const PROGRESS_INTERVAL: Duration = Duration::from_secs(1);

/// Send a statement whose rows do not matter, to its end (errors included).
pub(super) async fn exec(s: &mut Session, ctx: &StepCtx, stmt: &Stmt) -> Result<(), StepError> {
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
/// (the statement it follows decides the outcome of the step). Progress
/// only: nothing here decides whether the step passes.
pub(super) async fn follow(
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
                ctx.info(&crate::tr_fmt!(
                    "{what}: {p} percent done",
                    "{what} : {p} % effectués"
                ));
            }
        }
    }
    std::future::pending().await
}

/// The session id of `s`, to follow its progress from a second connection;
/// `None` (said in the log) when the server does not tell it: the work
/// then runs without progress, its outcome does not depend on it.
pub(super) async fn spid(s: &mut Session, ctx: &StepCtx) -> Option<i64> {
    let stmt = Stmt::batch(text::SPID);
    let q = crate::model::lang::tr(
        "the question of the session id",
        "la question du numéro de session",
    );
    let r = one(s, ctx, &stmt, q)
        .await
        .and_then(|r| answer::int(&r, 0, "spid", q, &stmt));
    match r {
        Ok(v) => Some(v),
        Err(e) => {
            ctx.info(&crate::tr_fmt!(
                "progress will not be shown: {}",
                "l'avancement ne sera pas affiché : {}",
                e.0
            ));
            None
        }
    }
}

/// The name given to a backup, found again in msdb's history: unique to
/// this step run (time first, so truncation to 128 keeps it unique).
fn backup_name(database: &str, run: &str) -> String {
    let ms = crate::engine::event::now_ms();
    format!("dress {ms} {run} {database}")
        .chars()
        .take(128)
        .collect()
}

/// `BACKUP DATABASE ... WITH COPY_ONLY, CHECKSUM` (a copy that does not
/// break the customer's backup chain), then the row it wrote into
/// `msdb.dbo.backupset` (no row: the backup did not happen, whatever the
/// server said), then `RESTORE VERIFYONLY`.
pub async fn backup(
    conn: &SqlConnection,
    secrets: &dyn SecretSource,
    ctx: &StepCtx,
    database: &str,
    file: &str,
) -> StepResult {
    text::valid_database_name(database)?;
    if file.trim().is_empty() {
        return Err(crate::model::lang::tr(
            "the backup file is empty: give a path on the SQL server",
            "le fichier de sauvegarde est vide : indiquez un chemin sur le serveur SQL",
        )
        .into());
    }
    let run = marker::run_id(&ctx.run_dir);
    let mut s = connect::open(conn, secrets, ctx, "master", true).await?;
    let id = spid(&mut s, ctx).await;
    let started = std::time::Instant::now();
    let name = backup_name(database, &run);
    let backup = Stmt::with(text::backup(database), vec![file.to_string(), name.clone()]);
    let verify = Stmt::with(text::VERIFY_BACKUP, vec![file.to_string()]);
    let what = crate::tr_fmt!("backup of {database}", "sauvegarde de {database}");
    let left = crate::tr_fmt!(
        "the backup file {file} is incomplete and must not be used; resume the run (dress run --resume {run}): \
         this step makes the backup again",
        "le fichier de sauvegarde {file} est incomplet et ne doit pas être utilisé ; reprenez l'exécution \
         (dress run --resume {run}) : cette étape refait la sauvegarde"
    );
    long_running(&mut s, ctx, &what, &left, async |s: &mut Session| {
        tokio::select! {
            r = exec(s, ctx, &backup) => r.map_err(|e| StepError(format!("{} — {left}", e.0))),
            _ = follow(conn, secrets, ctx, id, &what) => Ok(()),
        }
    })
    .await?;
    ctx.measured(crate::tr_fmt!(
        "backup of {database} written to {file} in {} s",
        "sauvegarde de {database} écrite dans {file} en {} s",
        crate::model::lang::decimal(format!("{:.1}", started.elapsed().as_secs_f64()))
    ));
    history(&mut s, ctx, database, file, &name).await?;
    let what = crate::tr_fmt!("verification of {file}", "vérification de {file}");
    let left = crate::tr_fmt!(
        "the backup file {file} was not verified; resume the run (dress run --resume {run}) to redo this step",
        "le fichier de sauvegarde {file} n'a pas été vérifié ; reprenez l'exécution (dress run --resume {run}) \
         pour refaire cette étape"
    );
    long_running(&mut s, ctx, &what, &left, async |s: &mut Session| {
        exec(s, ctx, &verify).await
    })
    .await?;
    ctx.measured(crate::tr_fmt!(
        "RESTORE VERIFYONLY WITH CHECKSUM of {file}: valid",
        "RESTORE VERIFYONLY WITH CHECKSUM de {file} : valide"
    ));
    Ok(crate::tr_fmt!(
        "{database} backed up to {file} and verified",
        "{database} sauvegardée dans {file} et vérifiée"
    ))
}

/// The row of this backup in `msdb.dbo.backupset`: it must be there, and
/// be a full, COPY_ONLY backup of `database` with checksums and a size.
/// Each value is journalled.
async fn history(
    s: &mut Session,
    ctx: &StepCtx,
    database: &str,
    file: &str,
    name: &str,
) -> Result<(), StepError> {
    let stmt = Stmt::with(
        text::BACKUP_HISTORY,
        vec![name.to_string(), database.to_string(), file.to_string()],
    );
    let what = crate::tr_fmt!(
        "the question of the msdb.dbo.backupset row of backup '{name}'",
        "la question de la ligne msdb.dbo.backupset de la sauvegarde « {name} »"
    );
    let found = rows(s, ctx, &stmt).await?;
    let Some(r) = found.first() else {
        return Err(StepError(crate::tr_fmt!(
            "SQL Server has no record of this backup: msdb.dbo.backupset holds no full backup named '{name}' \
             of {database} to {file}, although the BACKUP statement reported no error — the backup is not \
             trusted. Check the SQL Server error log and msdb, then run the step again",
            "SQL Server n'a aucune trace de cette sauvegarde : msdb.dbo.backupset ne contient aucune sauvegarde \
             complète nommée « {name} » de {database} vers {file}, alors que l'instruction BACKUP n'a signalé \
             aucune erreur — la sauvegarde n'est pas fiable. Consultez le journal d'erreurs de SQL Server et \
             msdb, puis relancez l'étape"
        )));
    };
    let got_name = answer::text(r, 0, "BACKUP_NAME", &what, &stmt)?;
    let got_db = answer::text(r, 1, "DATABASE_NAME", &what, &stmt)?;
    let size = answer::int(r, 2, "BACKUP_SIZE", &what, &stmt)?;
    let checksums = answer::int(r, 3, "HAS_BACKUP_CHECKSUMS", &what, &stmt)?;
    let copy_only = answer::int(r, 4, "IS_COPY_ONLY", &what, &stmt)?;
    let finished = answer::text(r, 5, "BACKUP_FINISH_DATE", &what, &stmt)?;
    for m in [
        crate::tr_fmt!(
            "msdb.dbo.backupset name: '{got_name}'",
            "msdb.dbo.backupset name : « {got_name} »"
        ),
        crate::tr_fmt!(
            "msdb.dbo.backupset database_name: {got_db}; expected {database}",
            "msdb.dbo.backupset database_name : {got_db} ; attendu {database}"
        ),
        crate::tr_fmt!(
            "msdb.dbo.backupset backup_size: {size} bytes; expected more than 0",
            "msdb.dbo.backupset backup_size : {size} octets ; attendu plus de 0"
        ),
        crate::tr_fmt!(
            "msdb.dbo.backupset has_backup_checksums: {checksums}; expected 1",
            "msdb.dbo.backupset has_backup_checksums : {checksums} ; attendu 1"
        ),
        crate::tr_fmt!(
            "msdb.dbo.backupset is_copy_only: {copy_only}; expected 1",
            "msdb.dbo.backupset is_copy_only : {copy_only} ; attendu 1"
        ),
        crate::tr_fmt!(
            "msdb.dbo.backupset backup_finish_date: {finished}",
            "msdb.dbo.backupset backup_finish_date : {finished}"
        ),
    ] {
        ctx.measured(m);
    }
    // The name was matched by the statement itself (WHERE BS.NAME = @P1).
    let mut wrong = Vec::new();
    if !got_db.eq_ignore_ascii_case(database) {
        wrong.push(crate::tr_fmt!(
            "it is a backup of {got_db}, not {database}",
            "c'est une sauvegarde de {got_db}, pas de {database}"
        ));
    }
    if size <= 0 {
        wrong.push(crate::tr_fmt!(
            "its size is {size} bytes",
            "sa taille est de {size} octets"
        ));
    }
    if checksums != 1 {
        wrong.push(
            crate::model::lang::tr(
                "it carries no checksums (CHECKSUM was not applied)",
                "elle ne porte aucune somme de contrôle (CHECKSUM n'a pas été appliqué)",
            )
            .to_string(),
        );
    }
    if copy_only != 1 {
        wrong.push(
            crate::model::lang::tr(
                "it is not COPY_ONLY (it changed the customer's backup chain)",
                "elle n'est pas COPY_ONLY (elle a modifié la chaîne de sauvegardes du client)",
            )
            .to_string(),
        );
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(StepError(crate::tr_fmt!(
            "the backup recorded by SQL Server for {file} is not the one asked for: {} — run the step again, \
             and check the SQL Server error log if it repeats",
            "la sauvegarde enregistrée par SQL Server pour {file} n'est pas celle demandée : {} — relancez \
             l'étape, et consultez le journal d'erreurs de SQL Server si cela se reproduit",
            wrong.join(crate::model::lang::tr("; ", " ; "))
        )))
    }
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
    let what = crate::tr_fmt!("DBCC CHECKDB of {database}", "DBCC CHECKDB de {database}");
    let left = crate::model::lang::tr(
        "CHECKDB stopped before its end: nothing was changed; run the step again to check the database",
        "CHECKDB s'est arrêté avant la fin : rien n'a été modifié ; relancez l'étape pour contrôler la base de données",
    );
    long_running(&mut s, ctx, &what, left, async |s: &mut Session| {
        exec(s, ctx, &stmt).await
    })
    .await
    .map_err(|e| {
        StepError(crate::tr_fmt!(
            "{what} reported a problem: {e}",
            "{what} a signalé un problème : {e}"
        ))
    })?;
    ctx.measured(crate::tr_fmt!(
        "{what}: no error in {} s",
        "{what} : aucune erreur en {} s",
        crate::model::lang::decimal(format!("{:.1}", started.elapsed().as_secs_f64()))
    ));
    Ok(crate::tr_fmt!(
        "{database}: CHECKDB found no error",
        "{database} : CHECKDB n'a trouvé aucune erreur"
    ))
}

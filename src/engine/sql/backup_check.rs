//! The database backup production relies on, checked again right before
//! production changes anything: `RESTORE HEADERONLY` must name the expected
//! database with a finish time inside `max_backup_age_h`, and `RESTORE
//! VERIFYONLY ... WITH CHECKSUM` must accept the file.

use chrono::{Duration as Span, NaiveDate, NaiveDateTime};
use tiberius::{ColumnData, Row};

use super::answer::no_answer;
use super::text::{self, Stmt};
use super::{actions, connect, rows};
use crate::engine::ctx::{StepCtx, StepError, StepResult};
use crate::model::plan::SqlConnection;
use crate::model::secret::SecretSource;

/// The cell of the column named `name`.
fn cell<'a>(row: &'a Row, name: &str) -> Option<&'a ColumnData<'static>> {
    row.cells()
        .find(|(c, _)| c.name().eq_ignore_ascii_case(name))
        .map(|(_, d)| d)
}

fn text_of(row: &Row, name: &str) -> Option<String> {
    match cell(row, name)? {
        ColumnData::String(Some(s)) => Some(s.to_string()),
        _ => None,
    }
}

/// A `datetime` (or its text, ISO 8601) as the server wrote it, in the
/// server's local time.
fn time_of(row: &Row, name: &str) -> Option<NaiveDateTime> {
    let base = NaiveDate::from_ymd_opt(1900, 1, 1)?.and_hms_opt(0, 0, 0)?;
    match cell(row, name)? {
        ColumnData::DateTime(Some(t)) => Some(
            base + Span::days(i64::from(t.days()))
                + Span::milliseconds(i64::from(t.seconds_fragments()) * 10 / 3),
        ),
        ColumnData::SmallDateTime(Some(t)) => Some(
            base + Span::days(i64::from(t.days()))
                + Span::minutes(i64::from(t.seconds_fragments())),
        ),
        ColumnData::String(Some(s)) => {
            let s = s.trim();
            NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
                .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f"))
                .ok()
        }
        _ => None,
    }
}

/// Check `file` on the server of `conn`: a backup of `database` that
/// finished at most `max_age_h` hours ago (the server's clock read as this
/// machine's local time), and that VERIFYONLY accepts.
pub async fn check(
    conn: &SqlConnection,
    secrets: &dyn SecretSource,
    ctx: &StepCtx,
    database: &str,
    file: &str,
    max_age_h: u64,
) -> StepResult {
    text::valid_database_name(database)?;
    let mut s = connect::open(conn, secrets, ctx, "master", true).await?;
    let head = Stmt::with(text::BACKUP_HEADER, vec![file.to_string()]);
    let tr = crate::model::lang::tr;
    let what = crate::tr_fmt!(
        "RESTORE HEADERONLY of {file}",
        "RESTORE HEADERONLY de {file}"
    );
    let found = rows(&mut s, ctx, &head).await?;
    let Some(r) = found.last() else {
        return Err(no_answer(
            &what,
            &head,
            tr(
                "no backup set in the file",
                "aucun jeu de sauvegarde dans le fichier",
            ),
        ));
    };
    let got = text_of(r, "DatabaseName")
        .filter(|d| !d.trim().is_empty())
        .ok_or_else(|| no_answer(&what, &head, tr("no DatabaseName", "aucun DatabaseName")))?;
    let finished = time_of(r, "BackupFinishDate").ok_or_else(|| {
        no_answer(
            &what,
            &head,
            tr("no BackupFinishDate", "aucune BackupFinishDate"),
        )
    })?;
    ctx.measured(crate::tr_fmt!(
        "RESTORE HEADERONLY of {file}: database {got}, finished {finished}",
        "RESTORE HEADERONLY de {file} : base de données {got}, terminée le {finished}"
    ));
    if !got.eq_ignore_ascii_case(database) {
        return Err(StepError(crate::tr_fmt!(
            "the backup file {file} holds a backup of {got}, not of {database}",
            "le fichier de sauvegarde {file} contient une sauvegarde de {got}, pas de {database}"
        )));
    }
    let now = chrono::Local::now().naive_local();
    let age_h = (now - finished).num_minutes() as f64 / 60.0;
    if age_h > max_age_h as f64 {
        let age_h = crate::model::lang::decimal(format!("{age_h:.1}"));
        return Err(StepError(crate::tr_fmt!(
            "the backup file {file} finished at {finished}, {age_h} h ago; the recipe allows {max_age_h} h (max_backup_age_h)",
            "le fichier de sauvegarde {file} a été terminé le {finished}, il y a {age_h} h ; la recette autorise {max_age_h} h (max_backup_age_h)"
        )));
    }
    let verify = Stmt::with(text::VERIFY_BACKUP, vec![file.to_string()]);
    actions::exec(&mut s, ctx, &verify).await.map_err(|e| {
        StepError(crate::tr_fmt!(
            "RESTORE VERIFYONLY refuses the backup file {file} ({})",
            "RESTORE VERIFYONLY refuse le fichier de sauvegarde {file} ({})",
            e.0
        ))
    })?;
    ctx.measured(crate::tr_fmt!(
        "RESTORE VERIFYONLY WITH CHECKSUM of {file}: valid",
        "RESTORE VERIFYONLY WITH CHECKSUM de {file} : valide"
    ));
    Ok(crate::tr_fmt!(
        "{file}: a backup of {database} finished {finished}, verified",
        "{file} : une sauvegarde de {database} terminée le {finished}, vérifiée"
    ))
}

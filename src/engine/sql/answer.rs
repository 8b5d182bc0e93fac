//! Reading the server's answers strictly. A real SQL Server always returns
//! the row and the columns these statements ask for (`SELECT DB_ID(..)`
//! answers one row even for a database that does not exist): a missing row,
//! a missing column, or a NULL or empty value where a value is required is a
//! failure that says "the server gave no answer to ...", never a pass.

use tiberius::Row;

use super::text::Stmt;
use crate::engine::ctx::StepError;

/// The failure for a missing answer to `what` (sent as `stmt`).
pub fn no_answer(what: &str, stmt: &Stmt, detail: &str) -> StepError {
    StepError(crate::tr_fmt!(
        "the server gave no answer to {what} ({detail}; statement: {}): a SQL Server always answers it — \
         check that the server in the plan is a SQL Server and not a proxy or another product, then run the step again",
        "le serveur n'a pas répondu à {what} ({detail} ; instruction : {}) : un SQL Server y répond toujours — \
         vérifiez que le serveur du plan est bien un SQL Server et pas un proxy ou un autre produit, puis relancez l'étape",
        stmt.sql
    ))
}

/// The first row, which must be there.
pub fn first(rows: Vec<Row>, what: &str, stmt: &Stmt) -> Result<Row, StepError> {
    rows.into_iter()
        .next()
        .ok_or_else(|| no_answer(what, stmt, crate::model::lang::tr("no row", "aucune ligne")))
}

/// A column's value: `Err` when the column is missing or of a type this
/// tool does not read, `Ok(None)` for NULL.
type Cell<T> = Result<Option<T>, ()>;

fn text_cell(row: &Row, i: usize) -> Cell<String> {
    if i >= row.len() {
        return Err(());
    }
    row.try_get::<&str, _>(i)
        .map(|v| v.map(str::to_string))
        .map_err(|_| ())
}

fn int_cell(row: &Row, i: usize) -> Cell<i64> {
    if i >= row.len() {
        return Err(());
    }
    if let Ok(v) = row.try_get::<i32, _>(i) {
        return Ok(v.map(i64::from));
    }
    if let Ok(v) = row.try_get::<i64, _>(i) {
        return Ok(v);
    }
    if let Ok(v) = row.try_get::<i16, _>(i) {
        return Ok(v.map(i64::from));
    }
    row.try_get::<u8, _>(i)
        .map(|v| v.map(i64::from))
        .map_err(|_| ())
}

/// Text column `i` (named `name` in messages): present, not NULL, not blank.
pub fn text(row: &Row, i: usize, name: &str, what: &str, stmt: &Stmt) -> Result<String, StepError> {
    match text_cell(row, i) {
        Err(()) => Err(no_answer(what, stmt, &no_text_column(name))),
        Ok(None) => Err(no_answer(what, stmt, &is_null(name))),
        Ok(Some(v)) if v.trim().is_empty() => Err(no_answer(
            what,
            stmt,
            &crate::tr_fmt!("{name} is empty", "{name} est vide"),
        )),
        Ok(Some(v)) => Ok(v),
    }
}

/// Text column `i` that may be NULL (a real answer), but must be there.
pub fn text_or_null(
    row: &Row,
    i: usize,
    name: &str,
    what: &str,
    stmt: &Stmt,
) -> Result<Option<String>, StepError> {
    text_cell(row, i).map_err(|()| no_answer(what, stmt, &no_text_column(name)))
}

/// Integer column `i`: present and not NULL.
pub fn int(row: &Row, i: usize, name: &str, what: &str, stmt: &Stmt) -> Result<i64, StepError> {
    match int_cell(row, i) {
        Err(()) => Err(no_answer(what, stmt, &no_int_column(name))),
        Ok(None) => Err(no_answer(what, stmt, &is_null(name))),
        Ok(Some(v)) => Ok(v),
    }
}

/// Integer column `i` that may be NULL (a real answer), but must be there.
pub fn int_or_null(
    row: &Row,
    i: usize,
    name: &str,
    what: &str,
    stmt: &Stmt,
) -> Result<Option<i64>, StepError> {
    int_cell(row, i).map_err(|()| no_answer(what, stmt, &no_int_column(name)))
}

fn no_text_column(name: &str) -> String {
    crate::tr_fmt!("no text column {name}", "aucune colonne de texte {name}")
}

fn no_int_column(name: &str) -> String {
    crate::tr_fmt!("no integer column {name}", "aucune colonne entière {name}")
}

fn is_null(name: &str) -> String {
    crate::tr_fmt!("{name} is NULL", "{name} vaut NULL")
}

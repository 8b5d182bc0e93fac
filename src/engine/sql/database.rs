//! What a database is before the stages run (`sql.database`), and the
//! readings it shares with the collation check and the restore: whether it
//! exists, its state and collation, its marker.

use super::answer;
use super::connect::{self, Session};
use super::marker;
use super::text::{self, Stmt};
use super::{one, rows_raw};
use crate::engine::ctx::{StepCtx, StepError, StepResult};
use crate::model::plan::SqlConnection;
use crate::model::secret::SecretSource;
use crate::model::step::sql::DbExpect;

/// A database that exists, as `sys.databases` tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// `ONLINE`, `RESTORING`, `RECOVERY_PENDING`, `SUSPECT`, `OFFLINE`, ...
    pub state: String,
    /// NULL while the database is not online.
    pub collation: Option<String>,
}

impl Found {
    pub fn online(&self) -> bool {
        self.state.eq_ignore_ascii_case("ONLINE")
    }
}

/// Whether `db` exists (`DB_ID` answers NULL when it does not) and, when it
/// does, its state and collation. Every missing answer is a failure.
pub async fn presence(
    s: &mut Session,
    ctx: &StepCtx,
    db: &str,
) -> Result<Option<Found>, StepError> {
    let what = format!("the question whether database {db} exists");
    let stmt = Stmt::with(text::DATABASE_ID, vec![db.to_string()]);
    let r = one(s, ctx, &stmt, &what).await?;
    if answer::int_or_null(&r, 0, "DATABASE_ID", &what, &stmt)?.is_none() {
        return Ok(None);
    }
    let what = format!("the question of the state of database {db}");
    let stmt = Stmt::with(text::DATABASE_STATE, vec![db.to_string()]);
    let r = one(s, ctx, &stmt, &what).await?;
    let state = answer::text(&r, 0, "STATE_DESC", &what, &stmt)?.to_uppercase();
    let collation = answer::text_or_null(&r, 1, "COLLATION_NAME", &what, &stmt)?;
    Ok(Some(Found { state, collation }))
}

/// The collation of an online database, which must be there.
pub fn collation_of(db: &str, found: &Found) -> Result<String, StepError> {
    if !found.online() {
        return Err(StepError(format!(
            "{} — its collation cannot be read until it is ONLINE",
            marker::state_explanation(db, &found.state)
        )));
    }
    match &found.collation {
        Some(c) if !c.trim().is_empty() => Ok(c.clone()),
        _ => Err(answer::no_answer(
            &format!("the question of the collation of database {db}"),
            &Stmt::with(text::DATABASE_STATE, vec![db.to_string()]),
            "COLLATION_NAME is NULL for an ONLINE database",
        )),
    }
}

/// The value of the marker of an online database (`None`: no marker).
pub async fn read_marker(
    s: &mut Session,
    ctx: &StepCtx,
    db: &str,
) -> Result<Option<String>, StepError> {
    let what = format!(
        "the question of the {} marker of {db}",
        text::CREATED_BY_PROPERTY
    );
    let stmt = Stmt::with(text::created_by(db), vec![text::CREATED_BY_PROPERTY.into()]);
    let r = one(s, ctx, &stmt, &what).await?;
    // NULL: the property is not set.
    answer::text_or_null(&r, 0, "CREATED_BY", &what, &stmt)
}

pub async fn check(
    conn: &SqlConnection,
    secrets: &dyn SecretSource,
    ctx: &StepCtx,
    db: &str,
    expect: &DbExpect,
) -> StepResult {
    text::valid_database_name(db)?;
    let mut s = connect::open(conn, secrets, ctx, "master", false).await?;
    let found = presence(&mut s, ctx, db).await?;
    ctx.measured(format!(
        "database {db}: {}; expected: {}",
        match &found {
            None => "absent".to_string(),
            Some(f) => format!("exists, {}", f.state),
        },
        expect.title()
    ));
    let server = &conn.server;
    match (expect, found) {
        (DbExpect::Absent, None) => Ok(format!("database {db} does not exist yet")),
        (DbExpect::Absent, Some(_)) => Err(StepError(format!(
            "database {db} already exists on {server}: a new installation would overwrite it — choose another \
             installation name, or, to upgrade it, set mode = \"upgrade\" in the recipe section of the plan"
        ))),
        (DbExpect::Product, None) => Err(StepError(format!(
            "database {db} does not exist on {server}: an upgrade works on the existing database — check the \
             server and database name in the plan; for a new installation set mode = \"install\" in the recipe section"
        ))),
        (DbExpect::Product, Some(f)) => product(&mut s, ctx, db, &f).await,
        (DbExpect::RestoredCopy { .. }, None) => Ok(format!(
            "database {db} does not exist yet: the rehearsal restores it"
        )),
        (DbExpect::RestoredCopy { installation }, Some(f)) => {
            restored_copy(&mut s, ctx, conn, db, &f, installation).await
        }
    }
}

/// An upgrade's database: ONLINE, French_CI_AS, and the product's.
async fn product(s: &mut Session, ctx: &StepCtx, db: &str, f: &Found) -> StepResult {
    let req = text::REQUIRED_COLLATION;
    let dbc = collation_of(db, f)?;
    ctx.measured(format!("database {db} collation {dbc}; required {req}"));
    if !dbc.eq_ignore_ascii_case(req) {
        return Err(StepError(format!(
            "the database {db} has collation {dbc}; the product requires {req} — is it the product's database? \
             Check the database name in the plan, and check with the vendor before changing a collation"
        )));
    }
    let stmt = Stmt::batch(text::product_table(db));
    let what = format!("the count of rows of custom_sysparams in {db}");
    let rows = match rows_raw(s, ctx, &stmt).await {
        Ok(r) => r,
        Err(tiberius::error::Error::Server(e)) if e.code() == 208 => {
            return Err(StepError(format!(
                "database {db} has no custom_sysparams table (SQL Server error 208: {}): it is not a Sage CRM \
                 database — check the database name in the plan; it must name the CRM database being upgraded",
                e.message()
            )));
        }
        Err(e) => return Err(s.explain(&e, ctx)),
    };
    let r = answer::first(rows, &what, &stmt)?;
    let n = answer::int(&r, 0, "SYSPARAMS", &what, &stmt)?;
    ctx.measured(format!(
        "custom_sysparams of {db}: {n} row(s); required at least 1"
    ));
    if n < 1 {
        return Err(StepError(format!(
            "database {db} has an empty custom_sysparams table: an installed Sage CRM database always has its \
             system parameters there — check the database name in the plan"
        )));
    }
    Ok(format!(
        "database {db} is online, {dbc}, and holds the product's system parameters"
    ))
}

/// The test copy: replaced by the rehearsal's restore only when it is one
/// this tool restored for this installation, or the plan allows it.
async fn restored_copy(
    s: &mut Session,
    ctx: &StepCtx,
    conn: &SqlConnection,
    db: &str,
    f: &Found,
    installation: &str,
) -> StepResult {
    if !f.online() {
        ctx.measured(format!(
            "database {db} is {}: its marker cannot be read; the restore step of the rehearsal restores it \
             again when this tool was restoring it, or refuses",
            f.state
        ));
        return Ok(format!(
            "database {db} is {}: the rehearsal's restore decides",
            f.state
        ));
    }
    let found = read_marker(s, ctx, db).await?;
    match marker::judge(found.as_deref(), installation) {
        Ok(why) => {
            ctx.measured(format!("database {db}: {why}"));
            Ok(format!(
                "database {db} is a copy dress restored: the rehearsal replaces it"
            ))
        }
        Err(why) if conn.allow_overwrite => {
            ctx.measured(format!("database {db}: {why}; allow_overwrite = true"));
            Ok(format!(
                "database {db} exists and allow_overwrite = true: the rehearsal replaces it"
            ))
        }
        Err(why) => Err(StepError(format!(
            "database {db} already exists on {} and the rehearsal would replace it, but {why}. Choose another \
             database name for the test copy, or set allow_overwrite = true in the plan if it really may be replaced",
            conn.server
        ))),
    }
}

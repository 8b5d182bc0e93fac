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
    let what = crate::tr_fmt!(
        "the question whether database {db} exists",
        "la question de savoir si la base de données {db} existe"
    );
    let stmt = Stmt::with(text::DATABASE_ID, vec![db.to_string()]);
    let r = one(s, ctx, &stmt, &what).await?;
    if answer::int_or_null(&r, 0, "DATABASE_ID", &what, &stmt)?.is_none() {
        return Ok(None);
    }
    let what = crate::tr_fmt!(
        "the question of the state of database {db}",
        "la question de l'état de la base de données {db}"
    );
    let stmt = Stmt::with(text::DATABASE_STATE, vec![db.to_string()]);
    let r = one(s, ctx, &stmt, &what).await?;
    let state = answer::text(&r, 0, "STATE_DESC", &what, &stmt)?.to_uppercase();
    let collation = answer::text_or_null(&r, 1, "COLLATION_NAME", &what, &stmt)?;
    Ok(Some(Found { state, collation }))
}

/// The collation of an online database, which must be there.
pub fn collation_of(db: &str, found: &Found) -> Result<String, StepError> {
    if !found.online() {
        return Err(StepError(crate::tr_fmt!(
            "{} — its collation cannot be read until it is ONLINE",
            "{} — son classement ne peut pas être lu tant qu'elle n'est pas ONLINE",
            marker::state_explanation(db, &found.state)
        )));
    }
    match &found.collation {
        Some(c) if !c.trim().is_empty() => Ok(c.clone()),
        _ => Err(answer::no_answer(
            &crate::tr_fmt!(
                "the question of the collation of database {db}",
                "la question du classement de la base de données {db}"
            ),
            &Stmt::with(text::DATABASE_STATE, vec![db.to_string()]),
            crate::model::lang::tr(
                "COLLATION_NAME is NULL for an ONLINE database",
                "COLLATION_NAME vaut NULL pour une base de données ONLINE",
            ),
        )),
    }
}

/// The value of the marker of an online database (`None`: no marker).
pub async fn read_marker(
    s: &mut Session,
    ctx: &StepCtx,
    db: &str,
) -> Result<Option<String>, StepError> {
    let what = crate::tr_fmt!(
        "the question of the {} marker of {db}",
        "la question du marqueur {} de {db}",
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
    ctx.measured(crate::tr_fmt!(
        "database {db}: {}; expected: {}",
        "base de données {db} : {} ; attendu : {}",
        match &found {
            None => crate::model::lang::tr("absent", "absente").to_string(),
            Some(f) => crate::tr_fmt!("exists, {}", "existe, {}", f.state),
        },
        expect.title()
    ));
    let server = &conn.server;
    match (expect, found) {
        (DbExpect::Absent, None) => Ok(crate::tr_fmt!(
            "database {db} does not exist yet",
            "la base de données {db} n'existe pas encore"
        )),
        (DbExpect::Absent, Some(_)) => Err(StepError(crate::tr_fmt!(
            "database {db} already exists on {server}: a new installation would overwrite it — choose another \
             installation name, or, to upgrade it, set mode = \"upgrade\" in the recipe section of the plan",
            "la base de données {db} existe déjà sur {server} : une nouvelle installation l'écraserait — choisissez \
             un autre nom d'installation ou, pour la mettre à jour, écrivez mode = \"upgrade\" dans la section recipe du plan"
        ))),
        (DbExpect::Product, None) => Err(StepError(crate::tr_fmt!(
            "database {db} does not exist on {server}: an upgrade works on the existing database — check the \
             server and database name in the plan; for a new installation set mode = \"install\" in the recipe section",
            "la base de données {db} n'existe pas sur {server} : une mise à jour porte sur la base existante — vérifiez \
             le serveur et le nom de la base dans le plan ; pour une nouvelle installation écrivez mode = \"install\" dans la section recipe"
        ))),
        (DbExpect::Product, Some(f)) => product(&mut s, ctx, db, &f).await,
        (DbExpect::RestoredCopy { .. }, None) => Ok(crate::tr_fmt!(
            "database {db} does not exist yet: the rehearsal restores it",
            "la base de données {db} n'existe pas encore : la répétition générale la restaure"
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
    ctx.measured(crate::tr_fmt!(
        "database {db} collation {dbc}; required {req}",
        "classement de la base de données {db} {dbc} ; exigé {req}"
    ));
    if !dbc.eq_ignore_ascii_case(req) {
        return Err(StepError(crate::tr_fmt!(
            "the database {db} has collation {dbc}; the product requires {req} — is it the product's database? \
             Check the database name in the plan, and check with the vendor before changing a collation",
            "la base de données {db} a le classement {dbc} ; le produit exige {req} — est-ce bien la base du produit ? \
             Vérifiez le nom de la base dans le plan, et voyez avec l'éditeur avant de changer un classement"
        )));
    }
    let stmt = Stmt::batch(text::product_table(db));
    let what = crate::tr_fmt!(
        "the count of rows of custom_sysparams in {db}",
        "le nombre de lignes de custom_sysparams dans {db}"
    );
    let rows = match rows_raw(s, ctx, &stmt).await {
        Ok(r) => r,
        Err(tiberius::error::Error::Server(e)) if e.code() == 208 => {
            return Err(StepError(crate::tr_fmt!(
                "database {db} has no custom_sysparams table (SQL Server error 208: {}): it is not a Sage CRM \
                 database — check the database name in the plan; it must name the CRM database being upgraded",
                "la base de données {db} n'a pas de table custom_sysparams (erreur SQL Server 208 : {}) : ce n'est pas \
                 une base Sage CRM — vérifiez le nom de la base dans le plan ; il doit désigner la base CRM mise à jour",
                e.message()
            )));
        }
        Err(e) => return Err(s.explain(&e, ctx)),
    };
    let r = answer::first(rows, &what, &stmt)?;
    let n = answer::int(&r, 0, "SYSPARAMS", &what, &stmt)?;
    ctx.measured(crate::tr_fmt!(
        "custom_sysparams of {db}: {n} row(s); required at least 1",
        "custom_sysparams de {db} : {n} ligne(s) ; exigé au moins 1"
    ));
    if n < 1 {
        return Err(StepError(crate::tr_fmt!(
            "database {db} has an empty custom_sysparams table: an installed Sage CRM database always has its \
             system parameters there — check the database name in the plan",
            "la table custom_sysparams de la base de données {db} est vide : une base Sage CRM installée y a \
             toujours ses paramètres système — vérifiez le nom de la base dans le plan"
        )));
    }
    Ok(crate::tr_fmt!(
        "database {db} is online, {dbc}, and holds the product's system parameters",
        "la base de données {db} est en ligne, {dbc}, et contient les paramètres système du produit"
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
        ctx.measured(crate::tr_fmt!(
            "database {db} is {}: its marker cannot be read; the restore step of the rehearsal restores it \
             again when this tool was restoring it, or refuses",
            "la base de données {db} est {} : son marqueur ne peut pas être lu ; l'étape de restauration de la \
             répétition générale la restaure à nouveau si cet outil était en train de la restaurer, sinon elle refuse",
            f.state
        ));
        return Ok(crate::tr_fmt!(
            "database {db} is {}: the rehearsal's restore decides",
            "la base de données {db} est {} : la restauration de la répétition générale décide",
            f.state
        ));
    }
    let found = read_marker(s, ctx, db).await?;
    match marker::judge(found.as_deref(), installation) {
        Ok(why) => {
            ctx.measured(crate::tr_fmt!(
                "database {db}: {why}",
                "base de données {db} : {why}"
            ));
            Ok(crate::tr_fmt!(
                "database {db} is a copy dress restored: the rehearsal replaces it",
                "la base de données {db} est une copie restaurée par dress : la répétition générale la remplace"
            ))
        }
        Err(why) if conn.allow_overwrite => {
            ctx.measured(crate::tr_fmt!(
                "database {db}: {why}; allow_overwrite = true",
                "base de données {db} : {why} ; allow_overwrite = true"
            ));
            Ok(crate::tr_fmt!(
                "database {db} exists and allow_overwrite = true: the rehearsal replaces it",
                "la base de données {db} existe et allow_overwrite = true : la répétition générale la remplace"
            ))
        }
        Err(why) => Err(StepError(crate::tr_fmt!(
            "database {db} already exists on {} and the rehearsal would replace it, but {why}. Choose another \
             database name for the test copy, or set allow_overwrite = true in the plan if it really may be replaced",
            "la base de données {db} existe déjà sur {} et la répétition générale la remplacerait, mais {why}. \
             Choisissez un autre nom de base pour la copie de test, ou écrivez allow_overwrite = true dans le plan \
             si elle peut vraiment être remplacée",
            conn.server
        ))),
    }
}

//! Writing `custom_sysparams` (the product's system parameters, such as the
//! load-balancing settings): for each name, a parameterised UPDATE of
//! `Parm_Value`, an INSERT when no row has that `Parm_Name`, then the value
//! is read back and compared.

use tiberius::ToSql;

use super::connect;
use super::text::{self, Stmt};
use super::{answer, log_stmt, rows};
use crate::engine::ctx::{StepCtx, StepError, StepResult};
use crate::model::plan::SqlConnection;
use crate::model::secret::SecretSource;

pub async fn run(
    conn: &SqlConnection,
    secrets: &dyn SecretSource,
    ctx: &StepCtx,
    database: &str,
    values: &[(String, String)],
) -> StepResult {
    text::valid_database_name(database)?;
    if values.is_empty() {
        return Ok(crate::model::lang::tr(
            "no system parameter to write",
            "aucun paramètre système à écrire",
        )
        .into());
    }
    let mut s = connect::open(conn, secrets, ctx, database, false).await?;
    for (name, value) in values {
        if name.trim().is_empty() {
            return Err(crate::model::lang::tr(
                "a system parameter has an empty name",
                "un paramètre système a un nom vide",
            )
            .into());
        }
        let p = vec![name.clone(), value.clone()];
        let update = Stmt::with(text::SYSPARAM_UPDATE, p.clone());
        log_stmt(ctx, &update);
        let params: [&dyn ToSql; 2] = [name, value];
        let changed: u64 = match s.client.execute(text::SYSPARAM_UPDATE, &params).await {
            Ok(r) => r.rows_affected().iter().sum(),
            Err(e) => return Err(s.explain(&e, ctx)),
        };
        if changed == 0 {
            let insert = Stmt::with(text::SYSPARAM_INSERT, p);
            log_stmt(ctx, &insert);
            if let Err(e) = s.client.execute(text::SYSPARAM_INSERT, &params).await {
                return Err(s.explain(&e, ctx));
            }
        }
        // No row or NULL: the value did not stay (said below); a row
        // without the column is no answer.
        let stmt = Stmt::with(text::SYSPARAM_READ, vec![name.clone()]);
        let back = match rows(&mut s, ctx, &stmt).await?.first() {
            None => None,
            Some(r) => answer::text_or_null(
                r,
                0,
                "PARM_VALUE",
                crate::model::lang::tr("the read-back", "la relecture"),
                &stmt,
            )?,
        };
        let tr = crate::model::lang::tr;
        let quoted = |b: &str| crate::tr_fmt!("'{b}'", "« {b} »");
        ctx.measured(crate::tr_fmt!(
            "{name}: wrote '{value}' ({}), read back {}",
            "{name} : « {value} » écrit ({}), relu {}",
            if changed == 0 {
                tr("new row", "nouvelle ligne")
            } else {
                tr("updated", "mise à jour")
            },
            back.as_deref()
                .map_or(tr("nothing", "rien").to_string(), quoted)
        ));
        if back.as_deref() != Some(value.as_str()) {
            return Err(StepError(crate::tr_fmt!(
                "custom_sysparams {name} in {database}: wrote '{value}' but read back {} — a trigger or another \
                 process may change it; check the table",
                "custom_sysparams {name} dans {database} : « {value} » écrit mais {} relu — un déclencheur ou un \
                 autre processus le modifie peut-être ; vérifiez la table",
                back.as_deref()
                    .map_or(tr("no row", "aucune ligne").to_string(), quoted)
            )));
        }
    }
    Ok(crate::tr_fmt!(
        "{} system parameter(s) written in {database}",
        "{} paramètre(s) système écrit(s) dans {database}",
        values.len()
    ))
}

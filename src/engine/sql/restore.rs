//! Restoring a backup under another name (the test copy of a rehearsal).
//!
//! Before anything is replaced, the state of the target comes first
//! (`sys.databases.state_desc`), then its marker (see [`marker`]):
//! - absent: restored;
//! - ONLINE with a marker naming this plan's installation: replaced;
//! - left RESTORING (or unreadable) by a restore this run recorded, or ONLINE
//!   without a marker after such a restore (stopped before the marker was
//!   set): restored again — a cancelled, killed or crashed restore is never
//!   a dead end;
//! - anything else: replaced only with `allow_overwrite = true`, and
//!   otherwise refused with what was found and its own fix.

use super::actions::{exec, follow, spid};
use super::connect::{self, Session};
use super::database::{self, Found};
use super::marker::{self, Marker, RestoreRecord};
use super::text::{self, Stmt};
use super::{answer, long_running, rows};
use crate::engine::ctx::{StepCtx, StepError, StepResult};
use crate::model::plan::SqlConnection;
use crate::model::secret::SecretSource;

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

/// Whether an existing database may be replaced, and why (for the journal).
fn may_replace(
    conn: &SqlConnection,
    database: &str,
    found: &Found,
    marker_value: Option<&str>,
    record: Option<&RestoreRecord>,
    installation: &str,
) -> Result<String, StepError> {
    let server = &conn.server;
    if !found.online() {
        if let Some(r) = record {
            return Ok(crate::tr_fmt!(
                "database {database} is {}: this run was restoring it (from {}), it is restored again",
                "la base de données {database} est {} : cette exécution la restaurait (depuis {}), elle est restaurée à nouveau",
                found.state,
                r.file
            ));
        }
        if conn.allow_overwrite {
            return Ok(crate::tr_fmt!(
                "database {database} is {}; allow_overwrite = true: it is replaced",
                "la base de données {database} est {} ; allow_overwrite = true : elle est remplacée",
                found.state
            ));
        }
        return Err(StepError(crate::tr_fmt!(
            "{} (on {server}; no restore of it was recorded by this run)",
            "{} (sur {server} ; cette exécution n'en a enregistré aucune restauration)",
            marker::state_explanation(database, &found.state)
        )));
    }
    match marker::judge(marker_value, installation) {
        Ok(why) => Ok(crate::tr_fmt!(
            "database {database} exists; {why}: it is replaced",
            "la base de données {database} existe ; {why} : elle est remplacée"
        )),
        // Restored by this run, stopped before its marker was set.
        Err(_) if marker_value.is_none() && record.is_some() => Ok(crate::tr_fmt!(
            "database {database} exists without a marker, and this run was restoring it: it is restored again",
            "la base de données {database} existe sans marqueur, et cette exécution la restaurait : elle est restaurée à nouveau"
        )),
        Err(why) if conn.allow_overwrite => Ok(crate::tr_fmt!(
            "database {database} exists; {why}; allow_overwrite = true: it is replaced",
            "la base de données {database} existe ; {why} ; allow_overwrite = true : elle est remplacée"
        )),
        Err(why) => Err(StepError(crate::tr_fmt!(
            "database {database} already exists on {server} and is not replaced: {why}. Choose another name \
             for the restored copy, or set allow_overwrite = true in the plan if it really may be replaced",
            "la base de données {database} existe déjà sur {server} et n'est pas remplacée : {why}. Choisissez un autre \
             nom pour la copie restaurée, ou écrivez allow_overwrite = true dans le plan si elle peut vraiment être remplacée"
        ))),
    }
}

/// The files of the backup, each with its logical name and type.
async fn file_list(
    s: &mut Session,
    ctx: &StepCtx,
    file: &str,
) -> Result<Vec<BackupFile>, StepError> {
    let stmt = Stmt::with(text::FILE_LIST, vec![file.into()]);
    let what = crate::tr_fmt!(
        "RESTORE FILELISTONLY of {file}",
        "RESTORE FILELISTONLY de {file}"
    );
    let list = rows(s, ctx, &stmt).await?;
    let mut files = Vec::new();
    for r in &list {
        let logical = r.try_get::<&str, _>("LogicalName").ok().flatten();
        let kind = r.try_get::<&str, _>("Type").ok().flatten();
        match (logical, kind) {
            (Some(l), Some(k)) if !l.trim().is_empty() && !k.trim().is_empty() => {
                files.push(BackupFile {
                    logical: l.into(),
                    kind: k.trim().to_uppercase(),
                })
            }
            _ => {
                return Err(answer::no_answer(
                    &what,
                    &stmt,
                    crate::model::lang::tr(
                        "a row without LogicalName or Type",
                        "une ligne sans LogicalName ou Type",
                    ),
                ));
            }
        }
    }
    if files.is_empty() {
        return Err(StepError(crate::tr_fmt!(
            "RESTORE FILELISTONLY found no file in {file}: is it a database backup?",
            "RESTORE FILELISTONLY n'a trouvé aucun fichier dans {file} : est-ce une sauvegarde de base de données ?"
        )));
    }
    Ok(files)
}

/// Restore `file` as `database`, moving its files into the plan's data
/// folder, then mark it as restored for `installation` by this run.
pub async fn restore(
    conn: &SqlConnection,
    secrets: &dyn SecretSource,
    ctx: &StepCtx,
    file: &str,
    database: &str,
    installation: &str,
) -> StepResult {
    text::valid_database_name(database)?;
    let data_dir = conn
        .data_dir
        .as_deref()
        .filter(|d| !d.trim().is_empty())
        .ok_or(crate::model::lang::tr(
            "restoring needs the data folder of the SQL server: set data_dir in the sql section of the plan",
            "la restauration a besoin du dossier de données du serveur SQL : renseignez data_dir dans la section sql du plan",
        ))?;
    let mut s = connect::open(conn, secrets, ctx, "master", true).await?;
    let record = marker::unfinished_restore(&ctx.run_dir, &conn.server, database, installation);
    let mut replace = false;
    if let Some(found) = database::presence(&mut s, ctx, database).await? {
        let value = if found.online() {
            database::read_marker(&mut s, ctx, database).await?
        } else {
            None
        };
        let tr = crate::model::lang::tr;
        ctx.measured(crate::tr_fmt!(
            "database {database} exists, {}; marker {}; restore recorded by this run: {}",
            "la base de données {database} existe, {} ; marqueur {} ; restauration enregistrée par cette exécution : {}",
            found.state,
            match (&value, found.online()) {
                (_, false) => tr("not readable", "illisible").to_string(),
                (Some(v), true) => crate::tr_fmt!("'{v}'", "« {v} »"),
                (None, true) => tr("none", "aucun").to_string(),
            },
            if record.is_some() {
                tr("yes", "oui")
            } else {
                tr("no", "non")
            }
        ));
        let why = may_replace(
            conn,
            database,
            &found,
            value.as_deref(),
            record.as_ref(),
            installation,
        )?;
        ctx.info(&why);
        replace = true;
    } else {
        ctx.measured(crate::tr_fmt!(
            "database {database} is absent: it is created by the restore",
            "la base de données {database} est absente : la restauration la crée"
        ));
    }
    let files = file_list(&mut s, ctx, file).await?;
    let paths = new_paths(database, data_dir, &files);
    let mut params = vec![file.to_string()];
    for (f, p) in files.iter().zip(&paths) {
        ctx.info(&format!("MOVE {} ({}) TO {p}", f.logical, f.kind));
        params.push(f.logical.clone());
        params.push(p.clone());
    }
    let run = marker::run_id(&ctx.run_dir);
    marker::write_record(
        &ctx.run_dir,
        &RestoreRecord {
            server: conn.server.clone(),
            database: database.to_string(),
            installation: installation.to_string(),
            run: run.clone(),
            file: file.to_string(),
        },
    )?;
    let restore = Stmt::with(text::restore(database, files.len(), replace), params);
    let id = spid(&mut s, ctx).await;
    let what = crate::tr_fmt!(
        "restore of {file} as {database}",
        "restauration de {file} en {database}"
    );
    let left = crate::tr_fmt!(
        "the database {database} is left RESTORING and cannot be used; resume the run (dress run --resume {run}): \
         this step restores it again",
        "la base de données {database} reste RESTORING et ne peut pas être utilisée ; reprenez l'exécution \
         (dress run --resume {run}) : cette étape la restaure à nouveau"
    );
    let started = std::time::Instant::now();
    long_running(&mut s, ctx, &what, &left, async |s: &mut Session| {
        tokio::select! {
            r = exec(s, ctx, &restore) => r,
            _ = follow(conn, secrets, ctx, id, &what) => Ok(()),
        }
    })
    .await?;
    let m = Marker {
        installation: installation.to_string(),
        run,
    };
    exec(
        &mut s,
        ctx,
        &Stmt::with(
            text::mark_created(database),
            vec![text::CREATED_BY_PROPERTY.into(), m.value()],
        ),
    )
    .await?;
    marker::remove_record(&ctx.run_dir, database);
    ctx.measured(crate::tr_fmt!(
        "{what} in {} s, {} file(s) moved to {data_dir}; marked {}",
        "{what} en {} s, {} fichier(s) déplacé(s) vers {data_dir} ; marquée {}",
        crate::model::lang::decimal(format!("{:.1}", started.elapsed().as_secs_f64())),
        files.len(),
        m.value()
    ));
    Ok(crate::tr_fmt!(
        "{file} restored as {database}",
        "{file} restaurée en {database}"
    ))
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

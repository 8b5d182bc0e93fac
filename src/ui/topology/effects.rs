//! The work `update` asks for: saving into the plan, exporting next to it,
//! and the live SQL connections check. Each ends with a note for the user.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;

use super::export::{self, Format, Sheet};
use super::state::{Editor, Note, SqlCheck};
use super::update::Effect;
use crate::engine::probe;
use crate::model::edit_topology::save_servers;
use crate::model::plan::SqlConnection;
use crate::model::secret::{EnvSecrets, SecretSource};
use crate::model::step::sql::SqlAction;
use crate::ui::strings::{fill, topo};

/// Perform `effect`. A SQL check runs on its own thread and sends its
/// answer into `sql_done`.
pub fn perform(ed: &mut Editor, effect: Effect, sql_done: &Sender<Result<String, String>>) {
    let tx = sql_done.clone();
    perform_with(ed, effect, move |r| {
        let _ = tx.send(r);
    });
}

/// [`perform`], giving the answer of a SQL check to `sql_done` (on the
/// check's thread).
pub fn perform_with(
    ed: &mut Editor,
    effect: Effect,
    sql_done: impl FnOnce(Result<String, String>) + Send + 'static,
) {
    match effect {
        Effect::Save => save(ed),
        Effect::Export => export_all(ed),
        Effect::CheckSql => {
            let (Some(conn), web) = (ed.sql.clone(), ed.web_servers().max(1)) else {
                ed.sql_check = SqlCheck::NotRun;
                return;
            };
            std::thread::spawn(move || sql_done(check_connections(&conn, web)));
        }
    }
}

/// Write `text` into `path` through a file beside it, so a failure never
/// leaves half a plan.
fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".dress-tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

pub fn save(ed: &mut Editor) {
    let t = topo();
    let shown = ed.path.display().to_string();
    let res = save_servers(&ed.source, ed.env, &ed.rows, ed.perform_lb).and_then(|text| {
        write_atomic(&ed.path, &text).map_err(|e| fill(t.save_io, &[&shown, &e]))?;
        Ok(text)
    });
    ed.note = Some(match res {
        Ok(text) => {
            ed.source = text;
            ed.dirty = false;
            if ed.errors.is_empty() {
                Note {
                    error: false,
                    text: fill(t.saved, &[&shown]),
                }
            } else {
                Note {
                    error: true,
                    text: fill(t.saved_with_problems, &[&shown, &ed.errors.len()]),
                }
            }
        }
        Err(e) => Note {
            error: true,
            text: fill(t.save_failed, &[&e]),
        },
    });
}

/// Where an export of the plan at `plan` goes: beside it,
/// `STEM.topology-ENV.EXT`.
pub fn export_path(plan: &Path, env: &str, f: Format) -> PathBuf {
    let stem = plan
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "plan".into());
    plan.with_file_name(format!("{stem}.topology-{env}.{}", f.extension()))
}

pub fn sheet_title(ed: &Editor) -> String {
    ed.path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn export_all(ed: &mut Editor) {
    let t = topo();
    let settings = ed.settings();
    let title = sheet_title(ed);
    let sheet = Sheet {
        title: &title,
        env: ed.env,
        rows: &ed.rows,
        settings: &settings,
        database: ed.sql.as_ref().map(|s| s.database.as_str()),
    };
    let mut done = Vec::new();
    let mut failed = Vec::new();
    for f in Format::ALL {
        let path = export_path(&ed.path, ed.env.as_str(), f);
        match export::export(&sheet, f).and_then(|text| {
            write_atomic(&path, &text).map_err(|e| format!("{}: {e}", path.display()))
        }) {
            Ok(()) => done.push(
                path.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            ),
            Err(e) => failed.push(e),
        }
    }
    let folder = crate::model::paths::plan_folder(&ed.path);
    ed.note = Some(if failed.is_empty() {
        Note {
            error: false,
            text: fill(t.exported, &[&done.join(", "), &folder.display()]),
        }
    } else {
        Note {
            error: true,
            text: fill(
                t.export_failed,
                &[&fill(
                    t.export_partial,
                    &[&failed.join("; "), &done.join(", ")],
                )],
            ),
        }
    });
}

/// Ask the SQL server whether it accepts enough user connections for `web`
/// web servers. The answer never holds the password: the secret is masked
/// by the step context, and the log of the statements goes to a temporary
/// file removed afterwards.
pub fn check_connections(conn: &SqlConnection, web: u32) -> Result<String, String> {
    let secrets = EnvSecrets::default();
    let mut known = Vec::new();
    if let Some(r) = &conn.password {
        known.push(secrets.resolve("sql.password", r)?);
    }
    let log = std::env::temp_dir().join(format!("dress-topology-{}.log", std::process::id()));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| fill(topo().check_no_start, &[&e]))?;
    let action = SqlAction::Connections { web_servers: web };
    let res = rt
        .block_on(probe::sql(&action, conn, &secrets, known, &log))
        .map_err(|e| fill(topo().check_no_temp, &[&log.display(), &e]))?;
    let _ = std::fs::remove_file(&log);
    res
}

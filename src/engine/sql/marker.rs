//! Whose database this is, and in what state.
//!
//! - The marker: after each restore, the extended property
//!   `dress.created_by` of the database names this plan's installation and
//!   the run that restored it (`dress;installation=CRMSAGE;run=RUN`). A
//!   database is replaced without `allow_overwrite` only when its marker
//!   names this plan's installation.
//! - The restore record: before RESTORE starts, the step writes
//!   `sql-restore-<database>.json` into its run folder, and removes it once
//!   the marker is set. A database left RESTORING (or unreadable) by a
//!   cancelled, killed or crashed restore cannot show its marker; this
//!   record is the proof that this tool was restoring it, so that the run
//!   can restore it again instead of stopping at a dead end.
//! - The state: `sys.databases.state_desc`, each with its own explanation.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::text::{self, CREATED_BY_PROPERTY};

/// What the marker of a database says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    pub installation: String,
    pub run: String,
}

impl Marker {
    pub fn value(&self) -> String {
        text::marker_value(&self.installation, &self.run)
    }

    /// Parse a marker value; `None` when it is not in this tool's format
    /// (such as the bare `dress` older versions wrote).
    pub fn parse(value: &str) -> Option<Marker> {
        let mut parts = value.trim().split(';');
        if parts.next()? != "dress" {
            return None;
        }
        let (mut installation, mut run) = (None, None);
        for p in parts {
            match p.split_once('=') {
                Some(("installation", v)) if !v.is_empty() => installation = Some(v.to_string()),
                Some(("run", v)) if !v.is_empty() => run = Some(v.to_string()),
                _ => return None,
            }
        }
        Some(Marker {
            installation: installation?,
            run: run?,
        })
    }
}

/// Whether a database with marker `found` (its value, `None` when absent)
/// may be replaced for `installation`: `Ok` with what was found, or `Err`
/// with what was found and why it is refused.
pub fn judge(found: Option<&str>, installation: &str) -> Result<String, String> {
    let Some(value) = found else {
        return Err(crate::tr_fmt!(
            "it has no {CREATED_BY_PROPERTY} property: it was not restored by dress",
            "elle n'a pas de propriété {CREATED_BY_PROPERTY} : elle n'a pas été restaurée par dress"
        ));
    };
    match Marker::parse(value) {
        Some(m)
            if m.installation.eq_ignore_ascii_case(installation) && !installation.is_empty() =>
        {
            Ok(crate::tr_fmt!(
                "restored by dress for installation {} (run {})",
                "restaurée par dress pour l'installation {} (exécution {})",
                m.installation,
                m.run
            ))
        }
        Some(m) => Err(crate::tr_fmt!(
            "its {CREATED_BY_PROPERTY} property names installation {} (run {}), not this plan's installation {installation}",
            "sa propriété {CREATED_BY_PROPERTY} désigne l'installation {} (exécution {}), pas l'installation {installation} de ce plan",
            m.installation,
            m.run
        )),
        None => Err(crate::tr_fmt!(
            "its {CREATED_BY_PROPERTY} property is '{value}', which does not name this plan's installation {installation}",
            "sa propriété {CREATED_BY_PROPERTY} vaut « {value} », qui ne désigne pas l'installation {installation} de ce plan"
        )),
    }
}

/// What a database in `state` means and how to get out of it, for a
/// database the step may not simply restore again.
pub fn state_explanation(database: &str, state: &str) -> String {
    let db = text::quote_ident(database);
    match state {
        "RESTORING" => crate::tr_fmt!(
            "database {database} is RESTORING: a restore into it was interrupted (cancelled, connection lost, \
             program stopped) and it cannot be opened. If a run of dress was restoring it, resume that run \
             (dress run --resume RUN_ID): it restores it again. Otherwise finish or redo that restore, set \
             allow_overwrite = true in the plan if it may be replaced, or drop it: DROP DATABASE {db}",
            "la base de données {database} est RESTORING : une restauration y a été interrompue (annulée, connexion \
             perdue, programme arrêté) et elle ne peut pas être ouverte. Si une exécution de dress la restaurait, \
             reprenez cette exécution (dress run --resume RUN_ID) : elle la restaure à nouveau. Sinon terminez ou \
             refaites cette restauration, écrivez allow_overwrite = true dans le plan si elle peut être remplacée, \
             ou supprimez-la : DROP DATABASE {db}"
        ),
        "RECOVERY_PENDING" => crate::tr_fmt!(
            "database {database} is RECOVERY_PENDING: SQL Server could not start its recovery (a data or log \
             file is missing or locked, or the disk is full). Read the SQL Server error log for the file and the \
             cause and fix it, then ALTER DATABASE {db} SET ONLINE; or set allow_overwrite = true if it may be replaced",
            "la base de données {database} est RECOVERY_PENDING : SQL Server n'a pas pu lancer sa récupération (un \
             fichier de données ou de journal manque ou est verrouillé, ou le disque est plein). Lisez dans le journal \
             d'erreurs de SQL Server le fichier et la cause, corrigez-la, puis ALTER DATABASE {db} SET ONLINE ; ou \
             écrivez allow_overwrite = true si elle peut être remplacée"
        ),
        "SUSPECT" => crate::tr_fmt!(
            "database {database} is SUSPECT: its recovery failed and SQL Server considers it damaged. Do not use \
             it: restore it from a good backup (set allow_overwrite = true if this step may replace it), or \
             repair it with the help of its administrator (the SQL Server error log tells the cause)",
            "la base de données {database} est SUSPECT : sa récupération a échoué et SQL Server la considère comme \
             endommagée. Ne l'utilisez pas : restaurez-la depuis une bonne sauvegarde (écrivez allow_overwrite = true \
             si cette étape peut la remplacer), ou réparez-la avec son administrateur (le journal d'erreurs de SQL \
             Server en donne la cause)"
        ),
        "OFFLINE" => crate::tr_fmt!(
            "database {database} is OFFLINE: someone took it offline (ALTER DATABASE ... SET OFFLINE), so it \
             cannot be read. Bring it back with ALTER DATABASE {db} SET ONLINE if it is in use, or set \
             allow_overwrite = true if it may be replaced",
            "la base de données {database} est OFFLINE : quelqu'un l'a mise hors ligne (ALTER DATABASE ... SET \
             OFFLINE), elle ne peut donc pas être lue. Remettez-la en ligne avec ALTER DATABASE {db} SET ONLINE si \
             elle est utilisée, ou écrivez allow_overwrite = true si elle peut être remplacée"
        ),
        "EMERGENCY" => crate::tr_fmt!(
            "database {database} is in EMERGENCY mode: an administrator is repairing it; wait for them to finish",
            "la base de données {database} est en mode EMERGENCY : un administrateur la répare ; attendez qu'il ait fini"
        ),
        other => crate::tr_fmt!(
            "database {database} is {other}, not ONLINE: it cannot be read. Wait for SQL Server to bring it \
             online, or ask its administrator",
            "la base de données {database} est {other}, pas ONLINE : elle ne peut pas être lue. Attendez que SQL \
             Server la mette en ligne, ou demandez à son administrateur"
        ),
    }
}

/// What the restore step records before RESTORE starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestoreRecord {
    pub server: String,
    pub database: String,
    pub installation: String,
    pub run: String,
    pub file: String,
}

/// Where the record of a restore of `database` lives in `run_dir`.
pub fn record_path(run_dir: &Path, database: &str) -> PathBuf {
    run_dir.join(format!("sql-restore-{database}.json"))
}

/// Largest record read back (it is a few hundred bytes).
const RECORD_MAX: u64 = 64 * 1024;

/// The record of an unfinished restore of `database` on `server` for
/// `installation`, left in `run_dir` by this run (a resume). Anything
/// else there (another server, database or installation, an unreadable or
/// oversized file, a link) is not a proof and is ignored.
pub fn unfinished_restore(
    run_dir: &Path,
    server: &str,
    database: &str,
    installation: &str,
) -> Option<RestoreRecord> {
    let path = record_path(run_dir, database);
    let meta = std::fs::symlink_metadata(&path).ok()?;
    if !meta.is_file() || meta.len() > RECORD_MAX {
        return None;
    }
    let text = std::fs::read_to_string(&path).ok()?;
    let r: RestoreRecord = serde_json::from_str(&text).ok()?;
    (r.server == server
        && r.database.eq_ignore_ascii_case(database)
        && r.installation.eq_ignore_ascii_case(installation)
        && !installation.is_empty())
    .then_some(r)
}

pub fn write_record(run_dir: &Path, r: &RestoreRecord) -> Result<(), String> {
    let path = record_path(run_dir, &r.database);
    let text = serde_json::to_string_pretty(r).map_err(|e| e.to_string())?;
    // Never through a link left at that name: remove it, then create anew.
    let _ = std::fs::remove_file(&path);
    std::fs::create_dir_all(run_dir)
        .and_then(|()| {
            use std::io::Write;
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)?
                .write_all(text.as_bytes())
        })
        .map_err(|e| {
            crate::tr_fmt!(
                "cannot record the restore in {}: {} — the run folder must be writable",
                "impossible d'enregistrer la restauration dans {} : {} — le dossier de l'exécution doit être accessible en écriture",
                path.display(),
                crate::model::lang_fmt::io_error(&e)
            )
        })
}

pub fn remove_record(run_dir: &Path, database: &str) {
    let _ = std::fs::remove_file(record_path(run_dir, database));
}

/// The run id of a step: the name of its run folder.
pub fn run_id(run_dir: &Path) -> String {
    run_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "unknown".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_round_trip_and_judgement() {
        let m = Marker {
            installation: "CRMSAGE".into(),
            run: "test-1".into(),
        };
        assert_eq!(Marker::parse(&m.value()), Some(m.clone()));
        assert_eq!(Marker::parse("dress"), None);
        assert_eq!(Marker::parse("dress;installation=;run=x"), None);
        assert_eq!(Marker::parse("other;installation=A;run=B"), None);
        assert!(
            judge(Some(&m.value()), "CRMSAGE")
                .unwrap()
                .contains("run test-1")
        );
        let e = judge(Some(&m.value()), "CRMOTHER").unwrap_err();
        assert!(
            e.contains("names installation CRMSAGE (run test-1)") && e.contains("CRMOTHER"),
            "{e}"
        );
        assert!(
            judge(Some("dress"), "CRMSAGE")
                .unwrap_err()
                .contains("is 'dress'")
        );
        assert!(
            judge(None, "CRMSAGE")
                .unwrap_err()
                .contains("not restored by dress")
        );
        assert!(judge(Some(&m.value()), "").is_err());
    }

    #[test]
    fn each_state_has_its_own_fix() {
        let all: Vec<String> = [
            "RESTORING",
            "RECOVERY_PENDING",
            "SUSPECT",
            "OFFLINE",
            "EMERGENCY",
            "COPYING",
        ]
        .iter()
        .map(|s| state_explanation("CRMTEST", s))
        .collect();
        assert!(all[0].contains("--resume") && all[0].contains("DROP DATABASE [CRMTEST]"));
        assert!(all[1].contains("error log") && all[1].contains("SET ONLINE"));
        assert!(all[2].contains("damaged"));
        assert!(all[3].contains("SET ONLINE"));
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn record_is_a_proof_only_for_the_same_restore() {
        let dir = tempfile::tempdir().unwrap();
        let r = RestoreRecord {
            server: "sql1,1433".into(),
            database: "CRMTEST".into(),
            installation: "CRMSAGE".into(),
            run: "test-1".into(),
            file: "D:\\b.bak".into(),
        };
        assert!(unfinished_restore(dir.path(), "sql1,1433", "CRMTEST", "CRMSAGE").is_none());
        write_record(dir.path(), &r).unwrap();
        assert_eq!(
            unfinished_restore(dir.path(), "sql1,1433", "CRMTEST", "CRMSAGE"),
            Some(r)
        );
        assert!(unfinished_restore(dir.path(), "sql2", "CRMTEST", "CRMSAGE").is_none());
        assert!(unfinished_restore(dir.path(), "sql1,1433", "CRMTEST", "CRMOTHER").is_none());
        std::fs::write(record_path(dir.path(), "CRMTEST"), "{garbled").unwrap();
        assert!(unfinished_restore(dir.path(), "sql1,1433", "CRMTEST", "CRMSAGE").is_none());
        remove_record(dir.path(), "CRMTEST");
        assert!(!record_path(dir.path(), "CRMTEST").exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_record_is_not_a_proof() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere.json");
        std::fs::write(
            &elsewhere,
            r#"{"server":"s","database":"CRMTEST","installation":"CRMSAGE","run":"r","file":"f"}"#,
        )
        .unwrap();
        std::os::unix::fs::symlink(&elsewhere, record_path(dir.path(), "CRMTEST")).unwrap();
        assert!(unfinished_restore(dir.path(), "s", "CRMTEST", "CRMSAGE").is_none());
        // Writing replaces the link, never what it points to.
        let before = std::fs::read_to_string(&elsewhere).unwrap();
        let r = RestoreRecord {
            server: "t".into(),
            database: "CRMTEST".into(),
            installation: "CRMSAGE".into(),
            run: "r".into(),
            file: "f".into(),
        };
        write_record(dir.path(), &r).unwrap();
        assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), before);
        assert_eq!(
            unfinished_restore(dir.path(), "t", "CRMTEST", "CRMSAGE"),
            Some(r)
        );
    }
}

#[cfg(test)]
mod french {
    use super::*;
    use crate::model::lang::{Lang, scoped};

    #[test]
    fn judgements_and_states_read_in_french() {
        let m = Marker {
            installation: "CRMSAGE".into(),
            run: "test-1".into(),
        };
        let ok = scoped(Lang::Fr, || judge(Some(&m.value()), "CRMSAGE")).unwrap();
        assert_eq!(
            ok,
            "restaurée par dress pour l'installation CRMSAGE (exécution test-1)"
        );
        let e = scoped(Lang::Fr, || judge(Some("dress"), "CRMSAGE")).unwrap_err();
        assert!(e.contains("vaut « dress »"), "{e}");
        let s = scoped(Lang::Fr, || state_explanation("CRMTEST", "RESTORING"));
        assert!(
            s.starts_with("la base de données CRMTEST est RESTORING :")
                && s.contains("DROP DATABASE [CRMTEST]"),
            "{s}"
        );
        let en = scoped(Lang::En, || state_explanation("CRMTEST", "RESTORING"));
        assert!(en.starts_with("database CRMTEST is RESTORING:"), "{en}");
    }
}

//! Backup generations: every backup is written under a name with the id of
//! the run that took it (the id holds the date and time the run started), so
//! the backup taken just before production never replaces the one the
//! rehearsal restored.
//!
//! The recipe names backup files with two placeholders, resolved when the
//! step runs: [`RUN`] (the run taking the backup) and [`BACKUP`] (the backup
//! a restore uses: the one taken in this run, else the newest that passed in
//! this rehearsal). `backup.prune` keeps the last `keep_backups`
//! generations, and never one a passed rehearsal or a production run relies
//! on.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::engine::state::RunState;
use crate::model::step::sql::SqlAction;
use crate::model::step::{Action, BACKUP, RUN};

/// What production's measurement says it relied on (see the gate).
pub const RELIES_ON: &str = "relies on the backup of run ";

fn fill(s: &str, run: &str, backup: &str) -> String {
    s.replace(RUN, run).replace(BACKUP, backup)
}

fn fill_path(p: &Path, run: &str, backup: &str) -> PathBuf {
    PathBuf::from(fill(&p.to_string_lossy(), run, backup))
}

/// Whether an action names a backup generation the engine must choose.
pub fn needs_backup(a: &Action) -> bool {
    let all = serde_json::to_string(a).unwrap_or_default();
    all.contains(BACKUP)
}

/// The action with its backup file names resolved.
pub fn resolve(a: &Action, run: &str, backup: &str) -> Action {
    let p = |x: &Path| fill_path(x, run, backup);
    match a {
        Action::FilesArchive { source, archive } => Action::FilesArchive {
            source: source.clone(),
            archive: p(archive),
        },
        Action::FilesRestore { archive, target } => Action::FilesRestore {
            archive: p(archive),
            target: target.clone(),
        },
        Action::FilesVerify { target, manifest } => Action::FilesVerify {
            target: p(target),
            manifest: p(manifest),
        },
        Action::RegistryExport { key, file } => Action::RegistryExport {
            key: key.clone(),
            file: p(file),
        },
        Action::Sql(SqlAction::Backup { database, file }) => Action::Sql(SqlAction::Backup {
            database: database.clone(),
            file: fill(file, run, backup),
        }),
        Action::Sql(SqlAction::Restore {
            file,
            database,
            installation,
        }) => Action::Sql(SqlAction::Restore {
            file: fill(file, run, backup),
            database: database.clone(),
            installation: installation.clone(),
        }),
        other => other.clone(),
    }
}

/// The runs whose backups must be kept: every run of a passed rehearsal
/// (for any fingerprint), every production run and the backups production
/// runs relied on.
pub fn protected(runs: &[(String, RunState)]) -> BTreeSet<String> {
    let mut keep = BTreeSet::new();
    let fps: BTreeSet<&str> = runs
        .iter()
        .filter_map(|(_, s)| s.fingerprint.as_deref())
        .collect();
    for fp in fps {
        if let Ok(r) = crate::recipe::gate_rule::judge(runs, fp) {
            keep.extend(r.runs);
        }
    }
    for (id, s) in runs {
        let production = s
            .stage_steps(crate::recipe::StageId::Production.as_str())
            .any(|x| x.started_at.is_some());
        if production {
            keep.insert(id.clone());
        }
        for x in &s.steps {
            for m in &x.measured {
                if let Some(rest) = m.strip_prefix(RELIES_ON) {
                    let run: String = rest.chars().take_while(|c| *c != ':').collect();
                    keep.insert(run);
                }
            }
        }
    }
    keep
}

/// The generations in `dir` for `installation`: run id -> its files.
pub fn generations(dir: &Path, installation: &str) -> Vec<(String, Vec<PathBuf>)> {
    let mut out: std::collections::BTreeMap<String, Vec<PathBuf>> = Default::default();
    let prefix = format!("{installation}-");
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(&prefix) else {
            continue;
        };
        // A run id has four parts: DATE-TIME-ENV-SALT.
        let id: String = rest
            .splitn(5, ['-', '.'])
            .take(4)
            .collect::<Vec<_>>()
            .join("-");
        if crate::engine::run_id::check(&id).is_err() {
            continue;
        }
        // Only plain files: a link or a folder under a backup name is left alone.
        if e.file_type().is_ok_and(|t| t.is_file()) {
            out.entry(id).or_default().push(e.path());
        }
    }
    out.into_iter().collect()
}

/// Delete the generations beyond the newest `keep`, except the protected
/// ones and `current`. Returns (deleted, kept) run ids.
pub fn prune(
    dir: &Path,
    installation: &str,
    keep: u32,
    protected: &BTreeSet<String>,
    current: &str,
) -> std::io::Result<(Vec<String>, Vec<String>)> {
    let mut gens = generations(dir, installation);
    gens.sort_by(|a, b| b.0.cmp(&a.0));
    let (mut deleted, mut kept) = (Vec::new(), Vec::new());
    for (i, (id, files)) in gens.into_iter().enumerate() {
        if i < keep as usize || protected.contains(&id) || id == current {
            kept.push(id);
            continue;
        }
        for f in files {
            std::fs::remove_file(&f)?;
        }
        deleted.push(id);
    }
    Ok((deleted, kept))
}

/// `backup.prune`, as a step: the state folder is the one of the run.
pub fn prune_step(
    dir: &Path,
    installation: &str,
    keep: u32,
    ctx: &crate::engine::StepCtx,
) -> crate::engine::StepResult {
    let run_dir = ctx.run_dir.as_path();
    let current = run_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let state_dir = run_dir.parent().and_then(Path::parent).unwrap_or(run_dir);
    let runs = crate::engine::rehearsal::load_runs(state_dir);
    let keep_these = protected(&runs);
    let (deleted, kept) = prune(dir, installation, keep, &keep_these, &current).map_err(|e| {
        crate::engine::StepError(crate::tr_fmt!(
            "{}: {}",
            "{} : {}",
            dir.display(),
            crate::model::lang_fmt::io_error(&e)
        ))
    })?;
    for d in &deleted {
        ctx.info(&crate::tr_fmt!(
            "deleted the backup of run {d}",
            "sauvegarde de l'exécution {d} supprimée"
        ));
    }
    Ok(crate::tr_fmt!(
        "{} backup(s) kept ({}), {} deleted",
        "{} sauvegarde(s) conservée(s) ({}), {} supprimée(s)",
        kept.len(),
        kept.join(", "),
        deleted.len()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_generations_go_protected_ones_stay() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        let ids: Vec<String> = (1..=6)
            .map(|i| format!("2026010{i}-000000-test-000{i}"))
            .collect();
        for id in &ids {
            for ext in ["program-files.tar", "program-files.tar.manifest"] {
                std::fs::write(d.join(format!("CRMX-{id}-{ext}")), id).unwrap();
            }
            std::fs::write(d.join(format!("CRMX-{id}.bak")), id).unwrap();
        }
        std::fs::write(d.join("CRMOTHER-20260101-000000-test-0001.bak"), "x").unwrap();
        std::fs::write(d.join("CRMX-notes.txt"), "x").unwrap();
        let protect: BTreeSet<String> = [ids[0].clone()].into();
        let (deleted, kept) = prune(d, "CRMX", 3, &protect, &ids[1]).unwrap();
        assert_eq!(deleted, [ids[2].clone()]);
        assert_eq!(kept.len(), 5);
        assert!(!d.join(format!("CRMX-{}.bak", ids[2])).exists());
        assert!(d.join(format!("CRMX-{}.bak", ids[0])).exists());
        assert!(d.join("CRMOTHER-20260101-000000-test-0001.bak").exists());
        assert!(d.join("CRMX-notes.txt").exists());
    }

    /// A run of `stages` (one step each, all passed, verify signed off).
    fn run(id: &str, env: &str, stages: &[&str], measured: Option<&str>) -> (String, RunState) {
        use crate::engine::event::*;
        let by = Actor {
            user: "u".into(),
            host: "h".into(),
        };
        let steps = stages
            .iter()
            .map(|s| PlannedStep {
                step: StepRef::new(*s, "x"),
                title: "t".into(),
                required: true,
                changes: false,
                kind: if *s == "verify" { "manual" } else { "exec" }.into(),
            })
            .collect();
        let mut ev = vec![Event::RunStarted {
            run_id: id.into(),
            env: env.into(),
            plan: "p".into(),
            steps,
            fingerprint: Some("f".into()),
            lang: None,
            by: by.clone(),
            pid: 1,
            at: 0,
        }];
        for (i, s) in stages.iter().enumerate() {
            let r = StepRef::new(*s, "x");
            let at = i as u64 * 10;
            ev.push(Event::StepStarted {
                step: r.clone(),
                attempt: 1,
                at,
            });
            if *s == "verify" {
                ev.push(Event::ManualConfirmed {
                    step: r.clone(),
                    note: "ok".into(),
                    by: by.clone(),
                });
            }
            if let Some(m) = measured {
                ev.push(Event::Measured {
                    step: r.clone(),
                    what: m.into(),
                });
            }
            ev.push(Event::StepFinished {
                step: r,
                outcome: Outcome::Passed,
                duration_ms: 1,
                message: String::new(),
                at: at + 1,
            });
        }
        ev.push(Event::RunFinished {
            outcome: RunOutcome::Passed,
            at: 100,
        });
        (id.to_string(), RunState::from_events(&ev))
    }

    #[test]
    fn rehearsals_production_runs_and_what_they_relied_on_are_protected() {
        let relied = format!("{RELIES_ON}b-old: /x.tar (t, 1 bytes, BLAKE3 00)");
        let runs = vec![
            run("b-old", "production", &["backup"], None),
            run("b-plain", "test", &["backup"], None),
            run(
                "r-1",
                "test",
                &["backup", "test-env", "trial-upgrade", "verify"],
                None,
            ),
            run("p-1", "production", &["production"], Some(&relied)),
        ];
        let p = protected(&runs);
        for id in ["b-old", "r-1", "p-1"] {
            assert!(p.contains(id), "{id} in {p:?}");
        }
        assert!(!p.contains("b-plain"), "{p:?}");
    }

    #[test]
    fn placeholders_resolve_in_backup_paths_only() {
        let a = Action::FilesRestore {
            archive: PathBuf::from("/b/CRMX-{backup}-program-files.tar"),
            target: PathBuf::from("/t/{run}"),
        };
        assert!(needs_backup(&a));
        match resolve(&a, "R", "B") {
            Action::FilesRestore { archive, target } => {
                assert_eq!(archive, PathBuf::from("/b/CRMX-B-program-files.tar"));
                assert_eq!(target, PathBuf::from("/t/{run}"));
            }
            other => panic!("{other:?}"),
        }
    }
}

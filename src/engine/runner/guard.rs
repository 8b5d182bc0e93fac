//! The production gate judged again right before each production step that
//! changes something, whoever opened the run (the command line, the
//! interface's engine, a resume): against the files that will actually run
//! (the fingerprint computed now from the run's plan), the rule of
//! `recipe::gate_rule` over the journals of the state folder, and the
//! backup production relies on, checked now on disk.

use super::*;
use crate::engine::generation::{self, RELIES_ON};
use crate::engine::{files, gate, rehearsal};
use crate::model::step::Step;
use crate::recipe::{StageId, gate_rule};

impl Engine {
    /// The state folder this run belongs to (`STATE/runs/RUN`).
    pub(super) fn state_dir(&self) -> PathBuf {
        self.run_dir
            .parent()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_default()
    }

    /// `Err` with the reason and the fix when production must not change
    /// anything now. Writes what it relied on in the step's log and as
    /// measurements (the report lists them).
    pub(super) async fn guard_production(&mut self, ctx: &StepCtx) -> Result<(), String> {
        let now = gate::fingerprint(&self.plan).map_err(|e| {
            crate::tr_fmt!(
                "production is locked: the recipe fingerprint cannot be computed now: {e}",
                "la production est verrouillée : l'empreinte de la recette ne peut pas être calculée maintenant : {e}"
            )
        })?;
        let Some(now) = now else {
            return Err(crate::tr_fmt!(
                "production is locked: the plan has no [recipe.setup]: there is no recipe to have rehearsed",
                "la production est verrouillée : le plan n'a pas de [recipe.setup] : il n'y a pas de recette qui ait pu être répétée"
            ));
        };
        if self.state.fingerprint.as_deref() != Some(now.as_str()) {
            let start = self
                .state
                .fingerprint
                .as_deref()
                .unwrap_or(crate::model::lang::tr("none", "aucune"));
            return Err(crate::tr_fmt!(
                "production is locked: the files this step would run are not the ones this run started with (recipe fingerprint now {now}, at the start {start}): a changed setup package, program or plan needs a new rehearsal. `dress plan show PLAN` lists what the fingerprint is made of",
                "la production est verrouillée : les fichiers que cette étape lancerait ne sont pas ceux du début de cette exécution (empreinte de la recette maintenant {now}, au début {start}) : un programme d'installation, un programme ou un plan modifié demande une nouvelle répétition générale. `dress plan show PLAN` liste ce dont l'empreinte est faite"
            ));
        }
        let runs = rehearsal::load_runs(&self.state_dir());
        if self.state.overrides.is_empty() {
            let r = gate_rule::judge(&runs, &now)
                .map_err(|why| gate_rule::locked_message(&runs, &now, &why))?;
            ctx.measured(crate::tr_fmt!(
                "gate open: recipe {now} rehearsed in run(s) {}; signed off in run {}: {}",
                "verrou de production ouvert : recette {now} répétée dans l'exécution ou les exécutions {} ; validée dans l'exécution {} : {}",
                r.runs.join(", "),
                r.signed_off_in,
                r.sign_off
            ));
        } else {
            ctx.info(crate::model::lang::tr(
                "gate overridden for this run (see the journal): the rehearsal is not required",
                "verrou de production levé pour cette exécution (voir le registre) : la répétition générale n'est pas exigée",
            ));
        }
        if !self.backup_checked {
            self.check_backup(&runs, ctx).await?;
            self.backup_checked = true;
        }
        Ok(())
    }

    /// The checklist's order for a stage of the rehearsal a view asks for:
    /// the same rule and words as `dress run` (which alone can be told
    /// `--out-of-order`).
    pub(super) fn check_order(&self, stage: &str) -> Result<(), String> {
        let Some(id) = StageId::parse(stage).filter(|s| s.in_rehearsal()) else {
            return Ok(());
        };
        let present: Vec<StageId> = self
            .stages
            .iter()
            .filter_map(|s| StageId::parse(&s.id))
            .collect();
        let runs = rehearsal::load_runs(&self.state_dir());
        gate_rule::check_order(&runs, self.state.fingerprint.as_deref(), &[id], &present)
    }

    /// The step with its backup file names resolved: this run's generation,
    /// and for a restore the backup of this rehearsal (`Some(why)` when
    /// there is none).
    pub(super) fn with_generation(&self, mut step: Step) -> (Step, Option<String>) {
        let backup = if generation::needs_backup(&step.action) {
            self.backup_generation()
        } else {
            Some(String::new())
        };
        let none = backup.is_none().then(|| {
            crate::tr_fmt!(
                "there is no passed backup to restore: run the backup stage first (--stage {},{})",
                "il n'y a pas de sauvegarde réussie à restaurer : lancez d'abord la phase de sauvegarde (--stage {},{})",
                StageId::Backup.as_str(),
                StageId::TestEnv.as_str()
            )
        });
        step.action = generation::resolve(
            &step.action,
            &self.state.run_id,
            backup.as_deref().unwrap_or_default(),
        );
        (step, none)
    }

    /// The backup generation a restore uses: the one taken in this run, else
    /// the newest that passed in this rehearsal (same fingerprint, on test),
    /// else the newest that passed.
    pub(super) fn backup_generation(&self) -> Option<String> {
        if rehearsal::stage_passed(&self.state, StageId::Backup) {
            return Some(self.state.run_id.clone());
        }
        let runs = rehearsal::load_runs(&self.state_dir());
        gate_rule::latest_pass(&runs, self.state.fingerprint.as_deref(), StageId::Backup)
            .or_else(|| rehearsal::last_backup(&runs, now_ms()).map(|(id, _)| id))
    }

    /// The backup production relies on: taken in this run, or the newest
    /// one that passed within `max_backup_age_h`; its files present and
    /// verified now.
    async fn check_backup(&self, runs: &[(String, RunState)], ctx: &StepCtx) -> Result<(), String> {
        let max = self.plan.recipe.max_backup_age_h;
        let in_run = rehearsal::stage_passed(&self.state, StageId::Backup);
        let run = if in_run {
            self.state.run_id.clone()
        } else {
            match rehearsal::last_backup(runs, now_ms()) {
                Some((id, age)) if age <= max as f64 => id,
                Some((id, age)) => {
                    return Err(crate::tr_fmt!(
                        "production needs a fresh backup: the last one (run {id}) is {age:.1} h old, the recipe allows {max} h. Run the backup stage with production: --stage backup,production",
                        "la production demande une sauvegarde récente : la dernière (exécution {id}) date de {age:.1} h, la recette permet {max} h. Lancez la phase de sauvegarde avec la production : --stage backup,production"
                    ));
                }
                None => {
                    return Err(crate::tr_fmt!(
                        "production needs a fresh backup and none passed: run the backup stage with production: --stage backup,production",
                        "la production demande une sauvegarde récente et aucune n'a réussi : lancez la phase de sauvegarde avec la production : --stage backup,production"
                    ));
                }
            }
        };
        let Some(prod) = self.plan.environments.production.as_ref() else {
            return Err(crate::tr_fmt!(
                "production is locked: the plan has no production environment",
                "la production est verrouillée : le plan n'a pas d'environnement de production"
            ));
        };
        let archive = crate::recipe::program_archive(&self.plan, prod, &run);
        let manifest = files::manifest_path_for(&archive);
        for f in [&archive, &manifest] {
            if !f.is_file() {
                return Err(crate::tr_fmt!(
                    "production relies on the backup of run {run}, but {} is missing: take a new backup with --stage backup,production",
                    "la production s'appuie sur la sauvegarde de l'exécution {run}, mais {} manque : faites une nouvelle sauvegarde avec --stage backup,production",
                    f.display()
                ));
            }
        }
        files::verify(&archive, &manifest, ctx).await.map_err(|e| {
            crate::tr_fmt!(
                "production relies on the backup of run {run}, but {} does not verify against its manifest ({e}): take a new backup with --stage backup,production",
                "la production s'appuie sur la sauvegarde de l'exécution {run}, mais {} ne correspond pas à son manifeste ({e}) : faites une nouvelle sauvegarde avec --stage backup,production",
                archive.display()
            )
        })?;
        let meta =
            std::fs::metadata(&archive).map_err(|e| format!("{}: {e}", archive.display()))?;
        let hash = gate::hash_file(&archive).map_err(|e| format!("{}: {e}", archive.display()))?;
        let time = meta
            .modified()
            .ok()
            .map(|t| {
                chrono::DateTime::<chrono::Local>::from(t)
                    .format("%Y-%m-%d %H:%M:%S")
                    .to_string()
            })
            .unwrap_or_else(|| "-".into());
        ctx.measured(format!(
            "{RELIES_ON}{run}: {} ({time}, {} bytes, BLAKE3 {})",
            archive.display(),
            meta.len(),
            hash.to_hex()
        ));
        if let Some(sql) = &prod.sql {
            let file = crate::recipe::database_backup_file(&self.plan, prod, &run);
            crate::engine::sql::backup_check::check(
                sql,
                self.secrets.as_ref(),
                ctx,
                &sql.database,
                &file,
                max,
            )
            .await
            .map_err(|e| {
                crate::tr_fmt!(
                    "production relies on the backup of run {run}: {}. Take a new backup with --stage backup,production",
                    "la production s'appuie sur la sauvegarde de l'exécution {run} : {}. Faites une nouvelle sauvegarde avec --stage backup,production",
                    ctx.redact(&e.0)
                )
            })?;
        }
        #[cfg(windows)]
        {
            let reg = crate::recipe::registry_file(&self.plan, prod, &run);
            if !reg.is_file() {
                return Err(crate::tr_fmt!(
                    "production relies on the backup of run {run}, but the registry export {} is missing: take a new backup with --stage backup,production",
                    "la production s'appuie sur la sauvegarde de l'exécution {run}, mais l'export du registre {} manque : faites une nouvelle sauvegarde avec --stage backup,production",
                    reg.display()
                ));
            }
        }
        Ok(())
    }
}

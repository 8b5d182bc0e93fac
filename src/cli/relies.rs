//! What a production run relies on, in words for the operator: the
//! rehearsal (with its sign-off note) and the backup (path, time, size,
//! BLAKE3). Shown by `dress run` when the gate opens and by the
//! interface's production confirmation; the engine checks the same backup
//! again before the first production step that changes anything.

use std::path::Path;

use crate::engine::{event, gate, rehearsal};
use crate::model::Plan;
use crate::recipe::gate_rule::Rehearsal;

/// One line per thing production relies on.
pub fn describe(state_dir: &Path, plan: &Plan, r: &Rehearsal, backup_in_run: bool) -> Vec<String> {
    let mut v = vec![crate::tr_fmt!(
        "rehearsal: run {}, signed off: {} (runs {})",
        "répétition générale : exécution {}, validée : {} (exécutions {})",
        r.signed_off_in,
        r.sign_off,
        r.runs.join(", ")
    )];
    if backup_in_run {
        v.push(
            crate::model::lang::tr(
                "backup: taken in this run, before the upgrade",
                "sauvegarde : prise dans cette exécution, avant la mise à jour",
            )
            .into(),
        );
        return v;
    }
    let runs = rehearsal::load_runs(state_dir);
    let Some((run, _)) = rehearsal::last_backup(&runs, event::now_ms()) else {
        v.push(crate::model::lang::tr("backup: none passed", "sauvegarde : aucune réussie").into());
        return v;
    };
    let Some(prod) = plan.environments.production.as_ref() else {
        return v;
    };
    let archive = crate::recipe::program_archive(plan, prod, &run);
    let facts = match (std::fs::metadata(&archive), gate::hash_file(&archive)) {
        (Ok(m), Ok(h)) => {
            let time = m
                .modified()
                .ok()
                .map(|t| {
                    chrono::DateTime::<chrono::Local>::from(t)
                        .format("%Y-%m-%d %H:%M:%S")
                        .to_string()
                })
                .unwrap_or_else(|| "-".into());
            crate::tr_fmt!(
                "{time}, {} bytes, BLAKE3 {}",
                "{time}, {} octets, BLAKE3 {}",
                m.len(),
                &h.to_hex()[..16]
            )
        }
        (Err(e), _) | (_, Err(e)) => crate::tr_fmt!("MISSING: {e}", "MANQUANTE : {e}"),
    };
    v.push(crate::tr_fmt!(
        "backup of run {run}: {} ({facts})",
        "sauvegarde de l'exécution {run} : {} ({facts})",
        archive.display()
    ));
    if prod.sql.is_some() {
        v.push(crate::tr_fmt!(
            "database backup of run {run}: {} (RESTORE HEADERONLY and VERIFYONLY before the setup runs)", "sauvegarde de la base de données de l'exécution {run} : {} (RESTORE HEADERONLY et VERIFYONLY avant l'installation)",
            crate::recipe::database_backup_file(plan, prod, &run)
        ));
    }
    v
}

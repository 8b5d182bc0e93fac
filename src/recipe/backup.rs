//! Backup (« sauvegarde manuelle » of the guide): program files, registry and
//! database of production, before anything changes.

use crate::model::lang::tr;
use std::path::PathBuf;

use crate::model::step::Action;
use crate::model::step::RUN;
use crate::model::step::sql::SqlAction;
use crate::model::{Environment, Plan};

use super::builder::{StageBuilder, StepOptions};

pub(super) fn backup(plan: &Plan, env: &Environment, b: &mut StageBuilder) {
    let archive = program_archive(plan, env, RUN);
    b.check(
        "disk",
        tr(
            "Free space for the backup",
            "Espace libre pour la sauvegarde",
        ),
        Action::CheckDiskFree {
            path: env.backup_dir.clone(),
            min_mib: env.min_free_mib,
        },
    );
    b.change(
        "program-files",
        tr(
            "Archive the program files",
            "Archiver les fichiers du programme",
        ),
        Action::FilesArchive {
            source: env.install_dir.clone(),
            archive: archive.clone(),
        },
    );
    b.check(
        "verify-archive",
        tr(
            "Verify the archive against its manifest",
            "Vérifier l'archive avec son manifeste",
        ),
        Action::FilesVerify {
            manifest: crate::model::step::manifest_path_for(&archive),
            target: archive,
        },
    );
    b.change(
        "registry",
        tr(
            "Export the product's registry keys",
            "Exporter les clés de registre du produit",
        ),
        Action::RegistryExport {
            key: r"HKLM\SOFTWARE\WOW6432Node\eWare".into(),
            file: registry_file(plan, env, RUN),
        },
    )
    .optional();
    if let Some(sql) = &env.sql {
        b.change(
            "database",
            tr(
                "Back up the database (COPY_ONLY, CHECKSUM) and verify it",
                "Sauvegarder la base de données (COPY_ONLY, CHECKSUM) et la vérifier",
            ),
            Action::Sql(SqlAction::Backup {
                database: sql.database.clone(),
                file: database_backup_file(plan, env, RUN),
            }),
        );
    }
    b.change(
        "keep",
        crate::tr_fmt!(
            "Keep the last {} backups",
            "Garder les {} dernières sauvegardes",
            plan.recipe.keep_backups
        ),
        Action::BackupPrune {
            dir: env.backup_dir.clone(),
            installation: plan.deployment.installation.clone(),
            keep: plan.recipe.keep_backups,
        },
    )
    // A backup that could not prune older ones is still a backup.
    .optional();
}

/// The registry export of one backup generation.
pub fn registry_file(plan: &Plan, env: &Environment, generation: &str) -> PathBuf {
    env.backup_dir.join(format!(
        "{}-{generation}-registry.reg",
        plan.deployment.installation
    ))
}

/// Where the production program files archive of one backup generation
/// goes (`generation`: a run id, or a placeholder of `engine::generation`).
pub fn program_archive(plan: &Plan, env: &Environment, generation: &str) -> PathBuf {
    env.backup_dir.join(format!(
        "{}-{generation}-program-files.tar",
        plan.deployment.installation
    ))
}

/// Where the production database backup of one generation goes (on the
/// SQL server).
pub fn database_backup_file(plan: &Plan, env: &Environment, generation: &str) -> String {
    let sql_dir = env.sql.as_ref().and_then(|s| s.backup_dir.clone());
    let dir = sql_dir.unwrap_or_else(|| env.backup_dir.to_string_lossy().into_owned());
    let sep = if dir.contains('\\') { '\\' } else { '/' };
    format!(
        "{}{sep}{}-{generation}.bak",
        dir.trim_end_matches(['/', '\\']),
        plan.deployment.installation
    )
}

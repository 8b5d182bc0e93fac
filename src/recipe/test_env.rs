//! Test environment (« environnement de test »): production's backup restored
//! into the test folder and under the test database name.

use crate::model::lang::tr;
use crate::model::step::Action;
use crate::model::step::BACKUP;
use crate::model::step::sql::SqlAction;
use crate::model::{Environment, Plan};

use super::backup::{database_backup_file, program_archive};
use super::builder::StageBuilder;

pub(super) fn test_env(plan: &Plan, env: &Environment, b: &mut StageBuilder) {
    // Without a production environment there is nothing to copy.
    let Some(prod) = plan.environments.production.as_ref() else {
        return;
    };
    let archive = program_archive(plan, prod, BACKUP);
    b.change(
        "program-files",
        tr(
            "Restore the program files into the test folder",
            "Restaurer les fichiers du programme dans le dossier de test",
        ),
        Action::FilesRestore {
            archive: archive.clone(),
            target: env.install_dir.clone(),
        },
    );
    b.check(
        "verify-files",
        tr(
            "Verify the test program files",
            "Vérifier les fichiers du programme de test",
        ),
        Action::FilesVerify {
            target: env.install_dir.clone(),
            manifest: crate::model::step::manifest_path_for(&archive),
        },
    );
    if let Some(sql) = &env.sql {
        b.change(
            "database",
            tr(
                "Restore the production backup under the test name",
                "Restaurer la sauvegarde de production sous le nom de test",
            ),
            Action::Sql(SqlAction::Restore {
                file: database_backup_file(plan, prod, BACKUP),
                database: sql.database.clone(),
                installation: plan.deployment.installation.clone(),
            }),
        );
        b.check(
            "checkdb",
            tr(
                "DBCC CHECKDB on the restored copy",
                "DBCC CHECKDB sur la copie restaurée",
            ),
            Action::Sql(SqlAction::Checkdb {
                database: sql.database.clone(),
            }),
        );
    }
}

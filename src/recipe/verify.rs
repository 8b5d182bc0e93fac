//! Verify the trial (« Vérifier le test de mise à jour »): where problems with
//! everyday and customised features show. Ends with the operator's sign-off.

use crate::model::Environment;
use crate::model::lang::tr;
use crate::model::step::Action;
use crate::model::step::sql::SqlAction;

use super::builder::StageBuilder;

pub(super) fn verify(env: &Environment, b: &mut StageBuilder) {
    if let Some(sql) = &env.sql {
        b.check(
            "checkdb",
            tr(
                "DBCC CHECKDB after the upgrade",
                "DBCC CHECKDB après la mise à jour",
            ),
            Action::Sql(SqlAction::Checkdb {
                database: sql.database.clone(),
            }),
        );
    }
    b.check(
        "sign-off",
        tr("Everyday and customised features checked on the test site", "Fonctions courantes et personnalisées vérifiées sur le site de test"),
        Action::Manual {
            prompt: tr(
                "The upgraded test environment was checked: everyday and customised features work",
                "L'environnement de test mis à jour a été vérifié : les fonctions courantes et personnalisées marchent",
            )
            .into(),
        },
    );
}

//! Verify the trial (« Vérifier le test de mise à jour »): where problems with
//! everyday and customised features show. Ends with the operator's sign-off.

use crate::engine::sqlspec::SqlAction;
use crate::engine::step::Action;
use crate::model::Environment;

use super::builder::StageBuilder;

pub(super) fn verify(env: &Environment, b: &mut StageBuilder) {
    if let Some(sql) = &env.sql {
        b.check(
            "checkdb",
            "DBCC CHECKDB after the upgrade",
            Action::Sql(SqlAction::Checkdb {
                database: sql.database.clone(),
            }),
        );
    }
    b.check(
        "sign-off",
        "Everyday and customised features checked on the test site",
        Action::Manual {
            prompt:
                "The upgraded test environment was checked: everyday and customised features work"
                    .into(),
        },
    );
}

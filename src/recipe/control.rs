//! Control production after the upgrade (« Contrôler la mise à jour réelle »):
//! no full retest, the problems were found in the rehearsal.

use crate::engine::step::Action;

use super::builder::{StageBuilder, StepOptions};

pub(super) fn control(b: &mut StageBuilder) {
    b.check(
        "checked",
        "Production checked after the upgrade",
        Action::Manual {
            prompt: "Production answers and the main features work".into(),
        },
    );
    b.check(
        "browser-history",
        "Clear the browser history on every workstation",
        Action::Manual {
            prompt: "Users were told to clear their browser history".into(),
        },
    )
    .optional();
}

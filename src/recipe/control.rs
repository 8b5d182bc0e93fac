//! Control production after the upgrade (« Contrôler la mise à jour réelle »):
//! no full retest, the problems were found in the rehearsal.

use crate::model::lang::tr;
use crate::model::step::Action;

use super::builder::{StageBuilder, StepOptions};

pub(super) fn control(b: &mut StageBuilder) {
    b.check(
        "checked",
        tr(
            "Production checked after the upgrade",
            "Production contrôlée après la mise à jour",
        ),
        Action::Manual {
            prompt: tr(
                "Production answers and the main features work",
                "La production répond et les fonctions principales marchent",
            )
            .into(),
        },
    );
    b.check(
        "browser-history",
        tr(
            "Clear the browser history on every workstation",
            "Vider l'historique du navigateur sur chaque poste",
        ),
        Action::Manual {
            prompt: tr(
                "Users were told to clear their browser history",
                "Les utilisateurs ont été prévenus de vider l'historique de leur navigateur",
            )
            .into(),
        },
    )
    .optional();
}

//! The stages of the checklist: one table says, for each, its id (as the
//! command line, the journal and the reports write it), its title, the
//! environment it works on, whether it is part of the rehearsal, whether
//! production's gate guards it and whether it runs the setup package.
//!
//! This table is the only place a stage id is written as text.

use std::fmt;

use crate::model::EnvKind;

/// A built-in stage, in the order the checklist shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StageId {
    Prerequisites,
    Install,
    Multiserver,
    Licence,
    Backup,
    TestEnv,
    TrialUpgrade,
    Verify,
    Production,
    Control,
}

/// Which environment a stage works on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Works {
    /// The environment the run was opened on.
    OnRunEnv,
    /// Always the test environment.
    OnTest,
    /// Always production.
    OnProduction,
}

/// Which plans (`recipe.mode`) list a stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForMode {
    /// Every plan.
    Any,
    /// A new installation only (`mode = "install"`).
    Install,
    /// The upgrade checklist (`mode = "upgrade"` or `"reinstall"`).
    Upgrade,
}

/// One row of the table.
#[derive(Debug, Clone, Copy)]
pub struct StageDef {
    pub id: StageId,
    pub key: &'static str,
    pub title: &'static str,
    /// The title in French, in the vendor guide's words.
    pub titre: &'static str,
    pub works: Works,
    /// Part of the rehearsal that must pass before production.
    pub rehearsal: bool,
    /// Guarded by the production gate.
    pub gated: bool,
    /// Runs the vendor setup package (so the run needs its fingerprint).
    pub runs_setup: bool,
    pub for_mode: ForMode,
}

// One argument per column of the table below, in its order.
#[allow(clippy::too_many_arguments)]
const fn def(
    id: StageId,
    key: &'static str,
    title: &'static str,
    titre: &'static str,
    works: Works,
    rehearsal: bool,
    gated: bool,
    runs_setup: bool,
    for_mode: ForMode,
) -> StageDef {
    StageDef {
        id,
        key,
        title,
        titre,
        works,
        rehearsal,
        gated,
        runs_setup,
        for_mode,
    }
}

use ForMode::{Any, Install as InstallOnly, Upgrade as UpgradeOnly};
use StageId::*;
use Works::*;

/// The checklist, in order.
#[rustfmt::skip]
pub const TABLE: [StageDef; 10] = [
    //   id             key              title               titre                    works on      rehearsal gated  runs setup  plans
    def(Prerequisites, "prerequisites", "Prerequisites",    "Prérequis",             OnRunEnv,     false,    false, false,      Any),
    def(Install,       "install",       "Install",          "Installation",          OnRunEnv,     false,    false, true,       InstallOnly),
    def(Multiserver,   "multiserver",   "Multiserver",      "Multiserveur",          OnRunEnv,     false,    false, false,      Any),
    def(Licence,       "licence",       "Licence",          "Licence",               OnRunEnv,     false,    false, false,      Any),
    def(Backup,        "backup",        "Backup",           "Sauvegarde",            OnProduction, true,     false, false,      UpgradeOnly),
    def(TestEnv,       "test-env",      "Test environment", "Environnement de test", OnTest,       true,     false, false,      UpgradeOnly),
    def(TrialUpgrade,  "trial-upgrade", "Trial upgrade",    "Test de mise à jour",   OnTest,       true,     false, true,       UpgradeOnly),
    def(Verify,        "verify",        "Verify",           "Vérification",          OnTest,       true,     false, false,      UpgradeOnly),
    def(Production,    "production",    "Production",       "Mise à jour réelle",    OnProduction, false,    true,  true,       UpgradeOnly),
    def(Control,       "control",       "Control",          "Contrôle",              OnProduction, false,    false, false,      UpgradeOnly),
];

/// The word that stands for the whole rehearsal on the command line.
pub const REHEARSAL_WORD: &str = "rehearsal";

impl StageId {
    pub const ALL: [StageId; 10] = [
        Prerequisites,
        Install,
        Multiserver,
        Licence,
        Backup,
        TestEnv,
        TrialUpgrade,
        Verify,
        Production,
        Control,
    ];

    pub fn def(self) -> &'static StageDef {
        &TABLE[self as usize]
    }
    pub fn as_str(self) -> &'static str {
        self.def().key
    }
    /// The title in the language in use.
    pub fn title(self) -> &'static str {
        let d = self.def();
        crate::model::lang::tr(d.title, d.titre)
    }
    /// The stage whose id is `key`, if it is a built-in one.
    pub fn parse(key: &str) -> Option<StageId> {
        TABLE.iter().find(|d| d.key == key).map(|d| d.id)
    }
    /// The environment this stage works on for a run opened on `run_env`.
    pub fn env(self, run_env: EnvKind) -> EnvKind {
        match self.def().works {
            OnRunEnv => run_env,
            OnTest => EnvKind::Test,
            OnProduction => EnvKind::Production,
        }
    }
    pub fn in_rehearsal(self) -> bool {
        self.def().rehearsal
    }
    pub fn gated(self) -> bool {
        self.def().gated
    }
    pub fn runs_setup(self) -> bool {
        self.def().runs_setup
    }
    /// Whether a plan of this `recipe.mode` lists the stage: an upgrade
    /// plan has no Install stage, an install plan no upgrade checklist.
    pub fn in_mode(self, mode: crate::model::UpgradeMode) -> bool {
        use crate::model::UpgradeMode as M;
        match self.def().for_mode {
            Any => true,
            InstallOnly => mode == M::Install,
            UpgradeOnly => mode != M::Install,
        }
    }
    /// The stages of the rehearsal, in order.
    pub fn rehearsal() -> impl Iterator<Item = StageId> {
        Self::ALL.into_iter().filter(|s| s.in_rehearsal())
    }
}

impl fmt::Display for StageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<StageId> for str {
    fn eq(&self, other: &StageId) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<StageId> for String {
    fn eq(&self, other: &StageId) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<StageId> for &str {
    fn eq(&self, other: &StageId) -> bool {
        *self == other.as_str()
    }
}

/// The title of a stage id as text (a stage the table does not know keeps
/// a neutral title).
pub fn title_of(key: &str) -> &'static str {
    StageId::parse(key).map_or(crate::model::lang::tr("Stage", "Phase"), StageId::title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_the_order_of_the_enum() {
        for (i, s) in StageId::ALL.iter().enumerate() {
            assert_eq!(TABLE[i].id, *s, "row {i}");
            assert_eq!(StageId::parse(s.as_str()), Some(*s));
        }
    }

    #[test]
    fn the_rehearsal_is_the_guide_s_four_stages_in_order() {
        let r: Vec<&str> = StageId::rehearsal().map(StageId::as_str).collect();
        assert_eq!(r, ["backup", "test-env", "trial-upgrade", "verify"]);
    }

    #[test]
    fn unknown_ids_are_not_stages() {
        assert_eq!(StageId::parse("Backup"), None);
        assert_eq!(StageId::parse(""), None);
        assert_eq!(StageId::parse(REHEARSAL_WORD), None);
    }

    #[test]
    fn an_upgrade_plan_has_no_install_and_an_install_plan_no_upgrade_checklist() {
        use crate::model::UpgradeMode as M;
        let keys = |m| {
            StageId::ALL
                .into_iter()
                .filter(|s| s.in_mode(m))
                .map(StageId::as_str)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            keys(M::Install),
            ["prerequisites", "install", "multiserver", "licence"]
        );
        for m in [M::Upgrade, M::Reinstall] {
            let k = keys(m);
            assert!(!k.contains(&"install"), "{k:?}");
            assert!(k.contains(&"backup") && k.contains(&"production"), "{k:?}");
        }
    }

    #[test]
    fn only_production_is_gated() {
        let gated: Vec<StageId> = StageId::ALL.into_iter().filter(|s| s.gated()).collect();
        assert_eq!(gated, [StageId::Production]);
    }
}

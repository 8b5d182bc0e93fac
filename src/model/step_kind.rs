//! The kinds of step a plan may add with `[[recipe.steps]]`: one table says
//! each kind's name (as the plan writes it) and whether it changes the
//! system. Validation and the recipe both read the kind through
//! `ExtraKind::try_from`, so a new kind is added here once.

/// A kind of step a plan may add.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtraKind {
    Exec,
    Manual,
    HttpWait,
    CheckPathExists,
    CheckTcp,
    SqlScript,
    ServiceStop,
    ServiceStart,
    IisReset,
}

use ExtraKind::*;

/// (kind, name in the plan, changes the system)
const TABLE: [(ExtraKind, &str, bool); 9] = [
    (Exec, "exec", true),
    (Manual, "manual", false),
    (HttpWait, "http.wait", false),
    (CheckPathExists, "check.path_exists", false),
    (CheckTcp, "check.tcp", false),
    (SqlScript, "sql.script", true),
    (ServiceStop, "service.stop", true),
    (ServiceStart, "service.start", true),
    (IisReset, "iis.reset", true),
];

impl ExtraKind {
    fn row(self) -> &'static (ExtraKind, &'static str, bool) {
        TABLE.iter().find(|r| r.0 == self).unwrap_or(&TABLE[0])
    }
    /// The name a plan writes.
    pub fn as_str(self) -> &'static str {
        self.row().1
    }
    /// Whether a step of this kind changes the system (the operator is
    /// asked first).
    pub fn changes(self) -> bool {
        self.row().2
    }
    /// Every name, in the table's order, for messages.
    pub fn names() -> impl Iterator<Item = &'static str> {
        TABLE.iter().map(|r| r.1)
    }
}

impl TryFrom<&str> for ExtraKind {
    type Error = String;
    /// The kind a plan names, or the message that lists the known ones.
    fn try_from(name: &str) -> Result<Self, String> {
        TABLE
            .iter()
            .find(|r| r.1 == name)
            .map(|r| r.0)
            .ok_or_else(|| {
                crate::tr_fmt!(
                    "use one of {}",
                    "utilisez l'une de ces sortes : {}",
                    ExtraKind::names().collect::<Vec<_>>().join(", ")
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_through_its_name() {
        for (k, name, _) in TABLE {
            assert_eq!(ExtraKind::try_from(name), Ok(k));
            assert_eq!(k.as_str(), name);
        }
    }

    #[test]
    fn an_unknown_kind_lists_the_known_ones() {
        let e = ExtraKind::try_from("Exec").unwrap_err();
        assert!(e.contains("exec, manual, http.wait"), "{e}");
        assert!(ExtraKind::try_from("").is_err());
    }

    #[test]
    fn checks_change_nothing_and_actions_do() {
        assert!(!ExtraKind::Manual.changes() && !ExtraKind::CheckTcp.changes());
        assert!(ExtraKind::Exec.changes() && ExtraKind::IisReset.changes());
    }
}

//! Which environment the editor opens when `--env` is not given: the one
//! that has servers; when both have some, the editor asks first.

use crate::model::plan::{EnvKind, Plan};

/// What opening without `--env` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvPick {
    Open(EnvKind),
    /// Both environments list servers: ask which.
    Ask,
}

pub const KINDS: [EnvKind; 2] = [EnvKind::Test, EnvKind::Production];

/// Servers listed by `env` of `plan` (`None`: no such environment).
pub fn servers_of(plan: &Plan, env: EnvKind) -> Option<usize> {
    plan.environments.get(env).map(|e| e.servers.len())
}

/// The environment to open: the one with servers; with none, the test
/// environment when the plan has one, else production.
pub fn pick(plan: &Plan) -> EnvPick {
    let has = |k| servers_of(plan, k).is_some_and(|n| n > 0);
    match (has(EnvKind::Test), has(EnvKind::Production)) {
        (true, true) => EnvPick::Ask,
        (true, false) => EnvPick::Open(EnvKind::Test),
        (false, true) => EnvPick::Open(EnvKind::Production),
        (false, false)
            if plan.environments.test.is_none() && plan.environments.production.is_some() =>
        {
            EnvPick::Open(EnvKind::Production)
        }
        (false, false) => EnvPick::Open(EnvKind::Test),
    }
}

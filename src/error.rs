//! The one error type of the commands and its exit code. The library layers
//! below (model, recipe, engine) have their own typed errors; the commands in
//! `cli/` turn them into this, and `main` turns this into the process's exit
//! code.

use crate::engine::event::RunOutcome;

/// Exit codes of every command (the same table for `dress run`, the
/// full-screen interface and the tools).
pub mod exit {
    /// Everything chosen passed (or the command did what it was asked).
    pub const OK: i32 = 0;
    /// A step failed, or the run was aborted.
    pub const STEP_FAILED: i32 = 1;
    /// Bad input: a plan, an argument or a run id that cannot be used.
    /// Nothing ran.
    pub const BAD_INPUT: i32 = 2;
    /// The run waits for an operator (`--confirm` and `--resume`).
    pub const WAITING: i32 = 3;
    /// Another run holds the environment's lock.
    pub const LOCKED: i32 = 4;
    /// The journal or the run folder cannot be written or read.
    pub const JOURNAL: i32 = 5;
    /// The terminal cannot be used for the full-screen interface.
    pub const TERMINAL: i32 = 6;
    /// Interrupted (Ctrl-C, SIGTERM, hang-up); the run can be resumed.
    pub const INTERRUPTED: i32 = 130;
}

/// What stopped a command before or outside the steps.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input: nothing ran (exit 2).
    #[error("{0}")]
    BadInput(String),
    /// The environment is locked by another run (exit 4).
    #[error("{0}")]
    Locked(String),
    /// The journal or run folder failed (exit 5).
    #[error("{0}")]
    Journal(String),
    /// The terminal failed (exit 6).
    #[error("{0}")]
    Terminal(String),
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::BadInput(_) => exit::BAD_INPUT,
            Error::Locked(_) => exit::LOCKED,
            Error::Journal(_) => exit::JOURNAL,
            Error::Terminal(_) => exit::TERMINAL,
        }
    }
}

/// The exit code of a run that ended.
pub fn outcome_code(o: RunOutcome) -> i32 {
    match o {
        RunOutcome::Passed => exit::OK,
        RunOutcome::Failed | RunOutcome::Aborted => exit::STEP_FAILED,
        RunOutcome::Waiting => exit::WAITING,
        RunOutcome::Interrupted => exit::INTERRUPTED,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_has_its_own_exit_code() {
        let codes = [
            Error::BadInput(String::new()).exit_code(),
            Error::Locked(String::new()).exit_code(),
            Error::Journal(String::new()).exit_code(),
            Error::Terminal(String::new()).exit_code(),
        ];
        let mut uniq = codes.to_vec();
        uniq.sort();
        uniq.dedup();
        assert_eq!(uniq.len(), codes.len(), "{codes:?}");
        assert!(!codes.contains(&exit::OK) && !codes.contains(&exit::STEP_FAILED));
    }

    #[test]
    fn outcomes_map_to_the_documented_codes() {
        assert_eq!(outcome_code(RunOutcome::Passed), 0);
        assert_eq!(outcome_code(RunOutcome::Failed), 1);
        assert_eq!(outcome_code(RunOutcome::Aborted), 1);
        assert_eq!(outcome_code(RunOutcome::Waiting), 3);
        assert_eq!(outcome_code(RunOutcome::Interrupted), 130);
    }
}

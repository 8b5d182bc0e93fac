//! The engine: runs steps, emits events, keeps the journal.
//!
//! It executes the step vocabulary of `model::step` (what a step is) that
//! `recipe` builds (which steps, in which order); it never draws.
//!
//! The contract, what the front door (`cli`), the screens (`ui`) and the
//! reports (`report`) use:
//! - `event`, `state`: the events a run produces and the run state folded
//!   from them (defined in `model::run`, re-exported here);
//! - `command`: what a screen or the command line asks of a running engine;
//! - `runner`: `Engine::start` (a run, its policy and setup), its runs folder;
//! - `link`, `tail`: attaching to a running engine, following its journal
//!   and step logs;
//! - `journal`: loading a run's journal (reports, resume);
//! - `lock`: the run lock of the state folder; `state_dir`: the state folder
//!   itself, created with its protected access list;
//! - `probe::sql`: one SQL check run on its own, for the editors' live tests;
//! - `report_time`.
//!
//! Everything else is the engine's own (`pub(crate)`). A few internals are
//! `pub` but `#[doc(hidden)]` because the integration tests and benchmarks
//! drive them one step kind at a time (`ctx`, `sql`, `files`, `exec`, ...);
//! they are not the contract.

// The contract: what the front door, the screens and the reports use.
pub use crate::model::run::{event, state};
pub mod command;
pub mod journal;
pub mod link;
pub mod lock;
pub mod probe;
pub mod runner;
pub mod state_dir;
pub mod tail;

// Internals the integration tests (tests/engine, tests/sql, tests/plan) and
// the benchmarks drive directly, one step kind at a time: public so that they
// can, hidden from the documentation because they are not the contract.
#[doc(hidden)]
pub mod checks;
#[doc(hidden)]
pub mod control;
#[doc(hidden)]
pub mod ctx;
#[doc(hidden)]
pub mod drift;
#[doc(hidden)]
pub mod exec;
#[doc(hidden)]
pub mod files;
#[doc(hidden)]
pub mod gate;
#[doc(hidden)]
pub mod http;
#[doc(hidden)]
pub mod install;
#[doc(hidden)]
pub mod plan_check;
#[doc(hidden)]
pub mod rehearsal;
#[doc(hidden)]
pub mod sql;

// The rest: how steps run, the run folder and its files.
pub(crate) mod collect_logs;
pub(crate) mod dispatch;
pub(crate) mod folders;
pub(crate) mod generation;
pub(crate) mod private_fs;
pub(crate) mod response;
pub(crate) mod run_id;
pub(crate) mod runs_index;
// Read on Windows only (the state folder's access list); elsewhere only its
// tests use it.
#[cfg_attr(not(windows), allow(dead_code))]
pub(crate) mod sddl;
pub(crate) mod secret_env;
pub(crate) mod service;

#[doc(hidden)]
pub use ctx::{StepCtx, StepError, StepResult};
pub use event::{Event, Outcome, StepRef, Stream};
pub use state::{RunState, StepStatus};

/// A time for people: local date and time, to the second.
pub fn report_time(ms: event::Millis) -> String {
    chrono::DateTime::from_timestamp_millis(ms as i64)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_else(|| ms.to_string())
}

//! The engine: runs steps, emits events, keeps the journal.

pub mod checks;
pub mod collect_logs;
pub mod command;
pub mod control;
pub mod ctx;
pub mod dispatch;
pub mod drift;
pub use crate::model::run::event;
pub mod exec;
pub mod files;
pub mod folders;
pub mod gate;
pub mod generation;
pub mod http;
pub mod install;
pub mod journal;
pub mod link;
pub mod lock;
pub mod plan_check;
pub mod private_fs;
pub mod probe;
pub mod rehearsal;
pub mod response;
pub mod run_id;
pub mod runner;
pub mod runs_index;
pub mod sddl;
pub mod secret_env;
pub mod service;
pub mod sql;
pub use crate::model::run::state;
pub mod state_dir;
pub mod tail;

pub use crate::model::step::{Action, ExecSpec, Stage, Step};
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

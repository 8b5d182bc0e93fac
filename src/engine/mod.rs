//! The engine: runs steps, emits events, keeps the journal.

pub mod checks;
pub mod command;
pub mod ctx;
pub mod event;
pub mod exec;
pub mod files;
pub mod http;
pub mod sqlspec;
pub mod state;
pub mod step;

pub use ctx::{StepCtx, StepError, StepResult};
pub use event::{Event, Outcome, StepRef, Stream};
pub use state::{RunState, StepStatus};
pub use step::{Action, ExecSpec, Stage, Step};

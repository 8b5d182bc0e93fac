//! Commands from a view (the TUI, `dress attach`) to the engine. Views never
//! change state themselves: they send these and read the events back.

use serde::{Deserialize, Serialize};

use super::event::{Actor, Choice, StepRef};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "kebab-case")]
pub enum Command {
    /// Run a stage. Steps that have not finished run; a stage run again
    /// (asked by the operator) re-checks each finished step and says what it
    /// keeps, or with `redo` does the work again.
    RunStage {
        stage: String,
        #[serde(default)]
        redo: bool,
    },
    /// Run one step (again, if it finished: re-checked, or redone).
    RunStep {
        step: StepRef,
        #[serde(default)]
        redo: bool,
    },
    /// Cancel the running step (kills its process tree).
    Cancel,
    /// Confirm a waiting manual step with a note.
    Confirm {
        step: StepRef,
        note: String,
        by: Actor,
    },
    /// After a failure: retry, skip (never for a required step) or abort.
    Decide {
        step: StepRef,
        choice: Choice,
        by: Actor,
    },
    /// The view leaves: a background engine finishes the run once nothing
    /// runs any more.
    Close,
}

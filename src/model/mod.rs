//! The domain without UI: plans, their validation, stages and steps.
//!
//! Pure: serde types, validation, one loader; no tokio, no ratatui.
//! - `plan`, `load`, `validate`, `locate`: the plan file, read once and
//!   checked, errors located in the file;
//! - `step`: the step vocabulary (stages, steps, what each step kind does,
//!   its dry-run text); the checklist (`recipe`) builds it, the engine runs it;
//! - `run`: a run's events and the state folded from them;
//! - `lang`: English and French texts side by side.

pub mod edit;
pub mod edit_topology;
pub mod hostnames;
pub mod lang;
pub mod lang_fmt;
pub mod lb_params;
pub mod load;
mod load_words;
pub mod locate;
pub mod naming;
pub mod paths;
pub mod plan;
pub mod plan_diff;
pub mod run;
pub mod runplan;
pub mod secret;
pub mod step;
pub mod step_kind;
pub mod topology;
mod topology_paths;
pub mod validate;

pub use plan::*;
pub use secret::{EnvSecrets, SecretRef, SecretSource};
pub use step_kind::ExtraKind;

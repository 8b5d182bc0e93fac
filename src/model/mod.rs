//! The domain without UI: plans, their validation, stages and steps.

pub mod paths;
pub mod plan;
pub mod runplan;
pub mod secret;

pub use plan::*;
pub use secret::{EnvSecrets, SecretRef, SecretSource};

//! The domain without UI: plans, their validation, stages and steps.

pub mod plan;
pub mod secret;

pub use plan::*;
pub use secret::{SecretRef, SecretSource};

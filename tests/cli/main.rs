//! The command line: `dress run` headless, locks, the sandbox lifecycle.

#[allow(unused_imports)]
#[path = "../common/mod.rs"]
mod common;

mod backups_relied_on;
mod french;
mod gate_attacks;
mod headless;
mod interface_engine;
mod lifecycle_sandbox;
mod lock_machine;
mod override_terminal;
mod truth;

//! The engine: child processes, checks, file actions (archive, manifest, mirror, restore), resume after a kill, guided failures.

#[allow(unused_imports)]
#[path = "../common/mod.rs"]
mod common;

mod checks_http_wait;
mod checks_run;
mod exec_run;
mod exec_secret_env;
mod files_events;
mod files_manifest;
mod files_mirror;
mod files_modes;
mod files_roundtrip;
mod files_seal;
mod files_zipslip;
mod guided_failure;
mod orphan_setup;
mod rehearsal_folders;
mod resume_kill;
mod setup_logs;

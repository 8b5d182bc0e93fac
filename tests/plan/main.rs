//! Plans: loading, validation goldens, `dress plan show` goldens, the stages a plan turns into.

#[allow(unused_imports)]
#[path = "../common/mod.rs"]
mod common;

mod bind_mount;
mod examples_valid;
mod french;
mod golden;
mod prompts;
mod show_golden;
mod stages_build;
mod stages_drift;
mod stages_extra_order;
mod stages_response;
mod stages_sql_security;
mod stages_upgrade_response;

//! SQL Server steps against a TDS peer (mssql-mock-tds): checks, actions, secrets, the SQL lifecycle.

#[allow(unused_imports)]
#[path = "../common/mod.rs"]
mod common;

mod actions;
mod backup_record;
mod checks;
mod database_mode;
mod example_plan;
mod lifecycle_sql;
mod no_answer;
mod preflight;
mod production_backup;
mod restore_marker;
mod restore_resume;
mod secrets;

//! SQL Server steps against a TDS peer (mssql-mock-tds): checks, actions, secrets, the SQL lifecycle.

#[allow(unused_imports)]
#[path = "../common/mod.rs"]
mod common;

mod actions;
mod checks;
mod example_plan;
mod lifecycle_sql;
mod secrets;

//! dress: installer and upgrade dress-rehearsal tool for on-premises CRM
//! deployments (IIS + Tomcat + SQL Server).

pub mod attach;
pub mod cli;
pub mod engine;
pub mod headless;
pub mod launch;
pub mod model;
pub mod plan_cmd;
pub mod report;
pub mod runs;
pub mod ui;
pub mod winstate;

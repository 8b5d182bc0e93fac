//! dress: installer and upgrade dress-rehearsal tool for on-premises CRM
//! deployments (IIS + Tomcat + SQL Server).

pub mod engine;
pub mod model;
pub mod ui;

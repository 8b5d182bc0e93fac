//! dress: installer and upgrade dress-rehearsal tool for on-premises CRM
//! deployments (IIS + Tomcat + SQL Server).
//!
//! The rooms, each importing only those above it:
//! `model` (pure data: the plan, the step vocabulary, a run's events) →
//! `recipe` (the upgrade checklist as data) → `engine` (runs steps, keeps
//! the journal; a small public contract) →
//! `report` (the journal without a screen) and `ui` (the full-screen views)
//! → `cli` (the front door, one file per command) → `main`.

// The library by its own name, for the files it shares by path with its
// tests and examples (the screen fixture).
extern crate self as dress;

pub mod cli;
pub mod engine;
pub mod error;
pub mod model;
pub mod recipe;
pub mod report;
pub mod ui;

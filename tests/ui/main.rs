//! The run view: screen snapshots and end-to-end runs in a real terminal.

#[allow(unused_imports)]
#[path = "../common/mod.rs"]
mod common;

mod e2e_tui;
mod snapshots;
mod truth;

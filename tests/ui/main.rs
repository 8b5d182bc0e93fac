//! The run view: screen snapshots and end-to-end runs in a real terminal.

#[allow(unused_imports)]
#[path = "../common/mod.rs"]
mod common;

// The screen fixture, shared by path with the library's unit tests (the
// library has it only with its `fixture` feature).
#[allow(dead_code)]
#[path = "../../src/ui/fixture.rs"]
mod fixture;
#[allow(dead_code)]
#[path = "../../src/ui/fixture_production.rs"]
mod fixture_production;

mod e2e_tui;
mod french;
mod snapshots;
mod truth;

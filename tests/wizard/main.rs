//! The plan wizard: flow, rules, goldens, round trips, snapshots, its SQL test, a real terminal.

#[allow(unused_imports)]
#[path = "../common/mod.rs"]
mod common;

mod answers;
mod flow;
mod golden;
mod roundtrip;
mod rules;
mod snapshots;
mod sqltest;
mod terminal;

//! The multiserver worksheet editor: keys, snapshots, exports, fuzzing, its SQL check, a real terminal.

#[allow(unused_imports)]
#[path = "../common/mod.rs"]
mod common;

mod columns;
mod export;
mod fuzz;
mod keys;
mod lost;
mod props;
mod snapshots;
mod sql;
mod terminal;

//! One module per screen; dialogs draw over any of them.

pub mod detail;
pub mod dialogs;
pub mod help;
pub mod main;
pub mod small;
pub mod summary;

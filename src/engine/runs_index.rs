//! The runs of a state folder, read from their journals.

use std::path::Path;

use crate::engine::runner::runs_dir;
use crate::engine::{RunState, journal};

/// The runs of the state folder, newest last.
pub fn load_all(state_dir: &Path) -> Vec<(String, Result<RunState, String>)> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(runs_dir(state_dir)) else {
        return out;
    };
    let mut names: Vec<String> = rd
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        // `.NAME.creating` folders are runs killed while being created.
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    for n in names {
        let st = journal::load(&runs_dir(state_dir).join(&n))
            .map(|l| RunState::from_events(&l.events))
            .map_err(|e| e.to_string());
        out.push((n, st));
    }
    out
}

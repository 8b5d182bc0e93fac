//! The data of the multiserver drift steps (`files.drift`, `files.sync`):
//! which files of the master and of a secondary are compared. Comparing and
//! copying them is the engine's (`engine::drift`).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The files of `paths` (relative to both install folders, `/`-separated:
/// folders or single files) on the master and on the secondary `server`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriftSpec {
    pub master: PathBuf,
    pub secondary: PathBuf,
    pub server: String,
    pub paths: Vec<String>,
}

/// `base` joined with a `/`-separated relative path, component by component.
pub fn join_rel(base: &Path, rel: &str) -> PathBuf {
    rel.split(['/', '\\'])
        .filter(|c| !c.is_empty() && *c != ".")
        .fold(base.to_path_buf(), |p, c| p.join(c))
}

/// `base` joined with `rel` for display, in the separator `base` uses (a
/// Windows path shown on any system keeps its backslashes).
pub fn show_rel(base: &Path, rel: &str) -> String {
    let b = base.to_string_lossy();
    let sep = if b.contains('\\') { "\\" } else { "/" };
    let parts: Vec<&str> = rel
        .split(['/', '\\'])
        .filter(|c| !c.is_empty() && *c != ".")
        .collect();
    format!(
        "{}{sep}{}",
        b.trim_end_matches(['/', '\\']),
        parts.join(sep)
    )
}

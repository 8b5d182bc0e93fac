//! Listing a folder tree: every file and folder with its path relative to the
//! root, `/`-separated whatever the platform, in a stable (sorted) order.
//! Links (symlinks, junctions) are listed as such and never followed.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::io_util::io_err;
use super::monitor::Monitor;
use crate::engine::ctx::StepError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    File,
    Dir,
    /// A symlink, junction or anything that is neither a file nor a folder.
    Other,
}

#[derive(Debug, Clone)]
pub(crate) struct WalkEntry {
    /// Relative path with `/` separators (`CustomPages/a b (x86).asp`).
    pub rel: String,
    pub abs: PathBuf,
    pub kind: Kind,
    pub size: u64,
    pub modified: Option<SystemTime>,
}

/// Every entry under `root` (not `root` itself), parents before children.
pub(crate) fn walk(root: &Path, mon: &Monitor) -> Result<Vec<WalkEntry>, StepError> {
    let meta = fs::metadata(root).map_err(|e| io_err("open the folder", root, &e))?;
    if !meta.is_dir() {
        return Err(StepError(crate::tr_fmt!(
            "{} is not a folder; give the folder to process",
            "{} n'est pas un dossier ; indiquez le dossier à traiter",
            root.display()
        )));
    }
    let mut out = Vec::new();
    // Stack of folders still to list, with their relative prefix.
    let mut stack: Vec<(PathBuf, String)> = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, prefix)) = stack.pop() {
        mon.check()?;
        let mut children = Vec::new();
        let rd = fs::read_dir(&dir).map_err(|e| io_err("list the folder", &dir, &e))?;
        for item in rd {
            let item = item.map_err(|e| io_err("list the folder", &dir, &e))?;
            let abs = item.path();
            let name = item.file_name();
            let Some(name) = name.to_str() else {
                return Err(StepError(crate::tr_fmt!(
                    "the name of {} is not valid Unicode; rename it so that it can be \
                     recorded in the manifest",
                    "le nom de {} n'est pas de l'Unicode correct ; renommez-le pour qu'il puisse \
                     être inscrit dans le manifeste",
                    abs.display()
                )));
            };
            let meta = fs::symlink_metadata(&abs).map_err(|e| io_err("read", &abs, &e))?;
            let ft = meta.file_type();
            let kind = if ft.is_symlink() {
                Kind::Other
            } else if ft.is_dir() {
                Kind::Dir
            } else if ft.is_file() {
                Kind::File
            } else {
                Kind::Other
            };
            let rel = if prefix.is_empty() {
                name.to_string()
            } else {
                format!("{prefix}/{name}")
            };
            children.push(WalkEntry {
                rel,
                abs,
                kind,
                size: if kind == Kind::File { meta.len() } else { 0 },
                modified: meta.modified().ok(),
            });
        }
        children.sort_by(|a, b| a.rel.cmp(&b.rel));
        // Pushed in reverse so that folders are listed in name order.
        for c in children.iter().rev() {
            if c.kind == Kind::Dir {
                stack.push((c.abs.clone(), c.rel.clone()));
            }
        }
        out.extend(children);
    }
    Ok(out)
}

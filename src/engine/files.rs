//! File steps: archive with a BLAKE3 manifest, restore, mirror, verify.

use std::path::{Path, PathBuf};

/// The manifest written beside an archive: `NAME.tar` -> `NAME.tar.manifest`.
pub fn manifest_path_for(archive: &Path) -> PathBuf {
    let mut s = archive.as_os_str().to_owned();
    s.push(".manifest");
    PathBuf::from(s)
}

//! A rehearsal never touches production: the folders of the plan compared
//! by what they are on disk, not by how they are written.
//!
//! Each folder is resolved the way the system will open it: made absolute,
//! every link followed and every `..` applied in order (a link followed by
//! `..` leaves the link's target, as the system does), without case on
//! Windows. The folders that exist are resolved through the file system;
//! the part that does not exist yet is applied on top of the longest
//! existing ancestor.
//!
//! Refused: test and production install folders that are the same or hold
//! one another; a backup folder that is, holds or lies in an install folder
//! (of either environment); the state folder overlapping any of them. The
//! test and production backup folders may be the same (the backups are
//! named after the installation).

use std::path::{Component, Path, PathBuf};

use super::Issue;
use crate::model::plan::Plan;

/// `p` as the system resolves it: absolute, links followed, `..` applied.
pub fn canonical(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut out = PathBuf::new();
    // Once a component does not exist, nothing below it can be a link.
    let mut exists = true;
    for c in abs.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => out.push(c.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(n) => {
                out.push(n);
                if exists {
                    match std::fs::canonicalize(&out) {
                        Ok(c) => out = strip_verbatim(c),
                        Err(_) => exists = false,
                    }
                }
            }
        }
    }
    out
}

/// `\\?\C:\x` -> `C:\x` (what canonicalize gives on Windows), so that
/// resolved and unresolved parts compare alike.
fn strip_verbatim(p: PathBuf) -> PathBuf {
    let s = p.to_string_lossy();
    if let Some(rest) = s.strip_prefix(r"\\?\UNC\") {
        return PathBuf::from(format!(r"\\{rest}"));
    }
    if let Some(rest) = s.strip_prefix(r"\\?\") {
        return PathBuf::from(rest);
    }
    p
}

/// The components of a resolved path, for comparing.
fn key(p: &Path, fold_case: bool) -> Vec<String> {
    p.components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| {
            let s = c.as_os_str().to_string_lossy();
            let s = s.trim_end_matches(['\\', '/']);
            if fold_case {
                s.to_lowercase()
            } else {
                s.to_string()
            }
        })
        .collect()
}

/// Whether two resolved paths are the same folder or one holds the other.
pub fn overlap_keys(a: &Path, b: &Path, fold_case: bool) -> bool {
    let (a, b) = (key(a, fold_case), key(b, fold_case));
    a.starts_with(&b) || b.starts_with(&a)
}

/// Whether two folders overlap once resolved (without case on Windows), or
/// by identity: a bind mount, a second share or drive letter of the same
/// disk shows a folder under another name that no path rule can see; its
/// volume and file id are the same.
pub fn overlaps(a: &Path, b: &Path) -> bool {
    let (a, b) = (canonical(a), canonical(b));
    overlap_keys(&a, &b, cfg!(windows)) || holds_by_id(&a, &b) || holds_by_id(&b, &a)
}

/// Whether `inner` is `outer` or lies below it, by volume and file id (the
/// folders that exist; one that does not exist yet is judged by its
/// existing ancestors).
fn holds_by_id(outer: &Path, inner: &Path) -> bool {
    let Some(id) = file_id(outer) else {
        return false;
    };
    inner.ancestors().any(|p| file_id(p) == Some(id))
}

/// A folder's identity on this machine: its volume and its file id.
#[cfg(unix)]
fn file_id(p: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(p).ok().map(|m| (m.dev(), m.ino()))
}

/// A folder's identity on this machine: its volume serial number and its
/// file index.
#[cfg(windows)]
fn file_id(p: &Path) -> Option<(u64, u64)> {
    use std::os::windows::ffi::OsStrExt;
    use windows_sys::Win32::Foundation::{CloseHandle, INVALID_HANDLE_VALUE};
    use windows_sys::Win32::Storage::FileSystem::{
        BY_HANDLE_FILE_INFORMATION, CreateFileW, FILE_FLAG_BACKUP_SEMANTICS, FILE_SHARE_DELETE,
        FILE_SHARE_READ, FILE_SHARE_WRITE, GetFileInformationByHandle, OPEN_EXISTING,
    };
    let wide: Vec<u16> = p
        .as_os_str()
        .encode_wide()
        .chain(std::iter::once(0))
        .collect();
    if wide[..wide.len() - 1].contains(&0) {
        return None;
    }
    // SAFETY: `wide` is NUL-terminated and lives across the call; the
    // handle is checked, used once and closed once; `info` is a plain
    // struct the call fills.
    unsafe {
        let h = CreateFileW(
            wide.as_ptr(),
            0,
            FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
            std::ptr::null(),
            OPEN_EXISTING,
            FILE_FLAG_BACKUP_SEMANTICS,
            std::ptr::null_mut(),
        );
        if h == INVALID_HANDLE_VALUE {
            return None;
        }
        let mut info: BY_HANDLE_FILE_INFORMATION = std::mem::zeroed();
        let ok = GetFileInformationByHandle(h, &mut info);
        CloseHandle(h);
        (ok != 0).then(|| {
            (
                u64::from(info.dwVolumeSerialNumber),
                (u64::from(info.nFileIndexHigh) << 32) | u64::from(info.nFileIndexLow),
            )
        })
    }
}

#[cfg(not(any(unix, windows)))]
fn file_id(_p: &Path) -> Option<(u64, u64)> {
    None
}

/// Every overlap between the plan's folders (with relative paths already
/// resolved) and, when given, the state folder.
pub fn check_overlap(plan: &Plan, state_dir: Option<&Path>) -> Vec<Issue> {
    let mut dirs: Vec<(String, &Path)> = Vec::new();
    for (name, env) in [
        ("test", &plan.environments.test),
        ("production", &plan.environments.production),
    ] {
        if let Some(e) = env {
            dirs.push((format!("environments.{name}.install_dir"), &e.install_dir));
            dirs.push((format!("environments.{name}.backup_dir"), &e.backup_dir));
        }
    }
    if let Some(s) = state_dir {
        dirs.push(("the state folder".into(), s));
    }
    let resolved: Vec<(String, &Path, PathBuf)> = dirs
        .into_iter()
        .filter(|(_, p)| !p.as_os_str().is_empty())
        .map(|(f, p)| (f, p, canonical(p)))
        .collect();
    let mut out = Vec::new();
    for (i, (fa, pa, ca)) in resolved.iter().enumerate() {
        for (fb, pb, cb) in &resolved[i + 1..] {
            let both_backups = fa.ends_with("backup_dir") && fb.ends_with("backup_dir");
            // Within one environment, a backup folder written inside the
            // install folder is reported by the environment's own rule.
            let same_env = fa.rsplit_once('.').map(|x| x.0) == fb.rsplit_once('.').map(|x| x.0);
            let said = same_env && {
                let (a, b) = (
                    super::paths::components(&pa.to_string_lossy()),
                    super::paths::components(&pb.to_string_lossy()),
                );
                b.starts_with(&a) || a.starts_with(&b)
            };
            let overlap =
                overlap_keys(ca, cb, cfg!(windows)) || holds_by_id(ca, cb) || holds_by_id(cb, ca);
            if both_backups || said || !overlap {
                continue;
            }
            let field = if fb == "the state folder" { fa } else { fb };
            let named = |f: &String| {
                if f == "the state folder" {
                    crate::model::lang::tr("the state folder", "le dossier d'état").to_string()
                } else {
                    f.clone()
                }
            };
            let (na, nb) = (named(fa), named(fb));
            out.push(Issue::new(
                field.clone(),
                crate::tr_fmt!(
                    "{na} ({}) and {nb} ({}) are the same folder or one holds the other \
                     once links and `..` are resolved: {} and {}",
                    "{na} ({}) et {nb} ({}) sont le même dossier ou l'un contient l'autre \
                     une fois les liens et les `..` résolus : {} et {}",
                    pa.display(),
                    pb.display(),
                    ca.display(),
                    cb.display()
                ),
                crate::tr_fmt!(
                    "the rehearsal must never touch production: give each environment, its \
                     backups and dress's state folder folders of their own, none inside another \
                     and none a link to another",
                    "la répétition générale ne doit jamais toucher la production : donnez à chaque \
                     environnement, à ses sauvegardes et au dossier d'état de dress des dossiers \
                     à eux, aucun dans un autre et aucun lien vers un autre"
                ),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_is_folded_where_the_system_ignores_it() {
        let (a, b) = (
            Path::new("/srv/Production/CRM"),
            Path::new("/srv/production/crm/x"),
        );
        assert!(overlap_keys(a, b, true));
        assert!(!overlap_keys(a, b, false));
        assert!(!overlap_keys(
            Path::new("/srv/prod"),
            Path::new("/srv/production"),
            true
        ));
    }

    #[cfg(unix)]
    #[test]
    fn dot_dot_and_links_are_resolved() {
        let t = tempfile::tempdir().unwrap();
        let prod = t.path().join("production/CRM");
        std::fs::create_dir_all(&prod).unwrap();
        std::fs::create_dir_all(t.path().join("work")).unwrap();
        assert!(overlaps(&t.path().join("work/../production/CRM"), &prod));
        assert!(overlaps(
            &t.path().join("work/../production/CRM/new"),
            &prod
        ));
        std::os::unix::fs::symlink(&prod, t.path().join("work/link")).unwrap();
        assert!(overlaps(&t.path().join("work/link"), &prod));
        // A link then `..`: the link's target's parent, as the system does.
        assert!(overlaps(&t.path().join("work/link/../CRM"), &prod));
        assert!(!overlaps(&t.path().join("work/test"), &prod));
    }
}

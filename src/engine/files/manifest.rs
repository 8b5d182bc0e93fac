//! The BLAKE3 manifest: every file of a tree with its `/`-separated relative
//! path, size and hash. Written as JSON beside an archive, built from a folder
//! for verification and for comparing servers.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::io_util::{io_err, write_atomic};
use super::monitor::Monitor;
use super::walk::{Kind, walk};
use crate::engine::ctx::StepError;

/// Read size for hashing and archiving: large enough for BLAKE3 to use its
/// SIMD paths and to keep system calls few, small enough to stay in cache.
pub(crate) const BUF: usize = 256 * 1024;

pub const MANIFEST_FORMAT: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Relative path, `/`-separated.
    pub path: String,
    pub size: u64,
    /// BLAKE3 of the content, lowercase hex.
    pub blake3: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// Sorted by path.
    pub files: Vec<FileEntry>,
    /// Beside an archive: the archive's BLAKE3 and the run that made it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive: Option<super::seal::Seal>,
}

impl Default for Manifest {
    fn default() -> Self {
        Manifest {
            format: MANIFEST_FORMAT,
            files: Vec::new(),
            archive: None,
        }
    }
}

impl Manifest {
    pub fn from_files(mut files: Vec<FileEntry>) -> Manifest {
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Manifest {
            format: MANIFEST_FORMAT,
            files,
            archive: None,
        }
    }

    pub fn total_bytes(&self) -> u64 {
        self.files.iter().map(|f| f.size).sum()
    }

    pub fn to_json(&self) -> String {
        // Plain strings and numbers: serialisation cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    pub fn from_json(text: &str) -> Result<Manifest, String> {
        let m: Manifest = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if m.format != MANIFEST_FORMAT {
            return Err(crate::tr_fmt!(
                "manifest format {} is not supported (expected {MANIFEST_FORMAT})",
                "le format de manifeste {} n'est pas pris en charge (attendu {MANIFEST_FORMAT})",
                m.format
            ));
        }
        Ok(m)
    }

    pub fn read(path: &Path) -> Result<Manifest, StepError> {
        let text =
            std::fs::read_to_string(path).map_err(|e| io_err("read the manifest", path, &e))?;
        Manifest::from_json(&text).map_err(|e| {
            StepError(crate::tr_fmt!(
                "the manifest {} is damaged ({e}); archive the folder again to rebuild it",
                "le manifeste {} est endommagé ({e}) ; archivez à nouveau le dossier pour le refaire",
                path.display()
            ))
        })
    }

    /// Write through temp file + fsync + rename.
    pub fn write(&self, path: &Path) -> Result<(), StepError> {
        write_atomic(path, self.to_json().as_bytes())
    }

    /// Write under a temporary name, synced, not yet renamed.
    pub(crate) fn stage(&self, path: &Path) -> Result<super::io_util::Staged, StepError> {
        use std::io::Write;
        let (staged, mut f) = super::io_util::Staged::create(path)?;
        f.write_all(self.to_json().as_bytes())
            .and_then(|()| f.sync_all())
            .map_err(|e| io_err("write", path, &e))?;
        Ok(staged)
    }
}

/// One difference between two manifests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Difference {
    OnlyInA(FileEntry),
    OnlyInB(FileEntry),
    Differs { a: FileEntry, b: FileEntry },
}

impl Difference {
    pub fn path(&self) -> &str {
        match self {
            Difference::OnlyInA(f) | Difference::OnlyInB(f) => &f.path,
            Difference::Differs { a, .. } => &a.path,
        }
    }
}

/// Differences between `a` and `b`, sorted by path.
pub fn diff_manifests(a: &Manifest, b: &Manifest) -> Vec<Difference> {
    let bm: BTreeMap<&str, &FileEntry> = b.files.iter().map(|f| (f.path.as_str(), f)).collect();
    let am: BTreeMap<&str, &FileEntry> = a.files.iter().map(|f| (f.path.as_str(), f)).collect();
    let mut out = Vec::new();
    for (path, fa) in &am {
        match bm.get(path) {
            None => out.push(Difference::OnlyInA((*fa).clone())),
            Some(fb) if fa.size != fb.size || fa.blake3 != fb.blake3 => {
                out.push(Difference::Differs {
                    a: (*fa).clone(),
                    b: (*fb).clone(),
                })
            }
            Some(_) => {}
        }
    }
    for (path, fb) in &bm {
        if !am.contains_key(path) {
            out.push(Difference::OnlyInB((*fb).clone()));
        }
    }
    out.sort_by(|x, y| x.path().cmp(y.path()));
    out
}

/// The manifest of every file under `dir` (links are not followed and not
/// listed).
pub fn build_manifest(dir: &Path) -> Result<Manifest, StepError> {
    hash_tree(dir, &mut Monitor::silent())
}

pub(crate) fn hash_tree(dir: &Path, mon: &mut Monitor) -> Result<Manifest, StepError> {
    let entries = walk(dir, mon)?;
    let total = entries.iter().map(|e| e.size).sum();
    mon.set_total(total);
    let mut buf = vec![0u8; BUF];
    let mut files = Vec::new();
    for e in entries {
        match e.kind {
            Kind::File => {
                let (size, blake3) = hash_file(&e.abs, &mut buf, mon)?;
                files.push(FileEntry {
                    path: e.rel,
                    size,
                    blake3,
                });
            }
            Kind::Dir => {}
            Kind::Other => mon.info(&crate::tr_fmt!(
                "not followed (link): {}",
                "non suivi (lien) : {}",
                e.rel
            )),
        }
    }
    mon.finish();
    Ok(Manifest::from_files(files))
}

fn hash_file(path: &Path, buf: &mut [u8], mon: &mut Monitor) -> Result<(u64, String), StepError> {
    let mut f = File::open(path).map_err(|e| io_err("open", path, &e))?;
    let mut h = blake3::Hasher::new();
    let mut size = 0u64;
    loop {
        let n = f.read(buf).map_err(|e| io_err("read", path, &e))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
        size += n as u64;
        mon.add(n as u64)?;
    }
    Ok((size, h.finalize().to_hex().to_string()))
}

//! The run folder and its journal.
//!
//! One folder per run: `journal.jsonl` (one versioned record per line, each
//! state-changing record written and synced before the engine goes on),
//! `plan.toml` (the plan as it was when the run started), `logs/` (one file
//! per step, buffered). A run killed at any instant leaves at most one torn
//! last line, which loading tolerates and reports.

use std::fs::{self, File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::event::Event;

/// The journal record format version this build writes and reads.
pub const JOURNAL_VERSION: u32 = 1;
pub const JOURNAL_FILE: &str = "journal.jsonl";
pub const PLAN_FILE: &str = "plan.toml";

#[derive(Serialize, Deserialize)]
struct Record {
    v: u32,
    seq: u64,
    #[serde(flatten)]
    event: Event,
}

#[derive(Debug)]
pub enum JournalError {
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    Corrupt {
        path: PathBuf,
        line: usize,
        what: String,
    },
    TooNew {
        path: PathBuf,
        line: usize,
        found: u32,
    },
}

impl std::fmt::Display for JournalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match self {
            JournalError::Io { path, source } => {
                let path = path.display();
                // A refusal carries its own words; an OS error is named.
                let why = if source.get_ref().is_some() {
                    source.to_string()
                } else {
                    crate::model::lang_fmt::io_error(source)
                };
                crate::tr_fmt!("{path}: {why}", "{path} : {why}")
            }
            JournalError::Corrupt { path, line, what } => {
                let path = path.display();
                crate::tr_fmt!(
                    "{path}:{line}: this journal record cannot be read ({what}); the run folder was changed by hand or by another program",
                    "{path}:{line}: cet enregistrement du registre est illisible ({what}) ; le dossier de l'exécution a été modifié à la main ou par un autre programme"
                )
            }
            JournalError::TooNew { path, line, found } => {
                let path = path.display();
                crate::tr_fmt!(
                    "{path}:{line}: journal format version {found} is newer than this dress understands ({JOURNAL_VERSION}); use a newer dress to open this run",
                    "{path}:{line}: la version {found} du format du registre est plus récente que ce que comprend ce dress ({JOURNAL_VERSION}) ; utilisez un dress plus récent pour ouvrir cette exécution"
                )
            }
        };
        f.write_str(&text)
    }
}

impl std::error::Error for JournalError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            JournalError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

fn refused(path: &Path, why: String) -> JournalError {
    JournalError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::PermissionDenied, why),
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> JournalError + '_ {
    move |source| JournalError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Write a whole file atomically: temp file, fsync, rename, fsync the folder.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile_in(dir, path)?;
    tmp.1.write_all(bytes)?;
    tmp.1.sync_all()?;
    drop(tmp.1);
    fs::rename(&tmp.0, path)?;
    sync_dir(dir);
    Ok(())
}

fn tempfile_in(dir: &Path, target: &Path) -> std::io::Result<(PathBuf, File)> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    for i in 0..1000u32 {
        let p = dir.join(format!(".{name}.{}.{i}.tmp", std::process::id()));
        match super::private_fs::private(OpenOptions::new().write(true).create_new(true)).open(&p) {
            Ok(f) => return Ok((p, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other(crate::model::lang::tr(
        "could not create a temporary file",
        "impossible de créer un fichier temporaire",
    )))
}

/// Make a rename durable (no-op where folders cannot be opened, e.g. Windows).
pub fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// The append side of a journal.
pub struct Journal {
    path: PathBuf,
    file: File,
    seq: u64,
}

impl Journal {
    /// Create a new run folder with its plan copy and its first record.
    /// The folder is built under a temporary name and renamed into place, so
    /// a run folder always holds a readable journal, whenever the process is
    /// killed.
    pub fn create(run_dir: &Path, plan_text: &str, first: &Event) -> Result<Journal, JournalError> {
        let name = run_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let parent = run_dir.parent().unwrap_or(Path::new("."));
        let tmp = parent.join(format!(".{name}.creating"));
        if let Some(state) = parent.parent() {
            super::private_fs::check_not_shared(state, "the state folder")
                .map_err(|e| refused(state, e))?;
        }
        super::private_fs::check_not_shared(parent, "the runs folder")
            .map_err(|e| refused(parent, e))?;
        super::private_fs::create_dir_private(&tmp.join("logs")).map_err(io(&tmp))?;
        let plan = tmp.join(PLAN_FILE);
        write_atomic(&plan, plan_text.as_bytes()).map_err(io(&plan))?;
        let tpath = tmp.join(JOURNAL_FILE);
        let file = super::private_fs::private(OpenOptions::new().create_new(true).append(true))
            .open(&tpath)
            .map_err(io(&tpath))?;
        let mut j = Journal {
            path: tpath,
            file,
            seq: 0,
        };
        j.append(first)?;
        drop(j.file);
        sync_dir(&tmp);
        fs::rename(&tmp, run_dir).map_err(io(run_dir))?;
        sync_dir(parent);
        let path = run_dir.join(JOURNAL_FILE);
        let file = OpenOptions::new()
            .append(true)
            .open(&path)
            .map_err(io(&path))?;
        Ok(Journal {
            path,
            file,
            seq: j.seq,
        })
    }

    /// Reopen an existing journal for appending, after loading it. A torn
    /// last line (the engine was killed while writing it) is cut off first.
    pub fn reopen(run_dir: &Path, loaded: &Loaded) -> Result<Journal, JournalError> {
        for (dir, what) in [
            (run_dir.parent().and_then(Path::parent), "the state folder"),
            (run_dir.parent(), "the runs folder"),
            (Some(run_dir), "the run folder"),
        ] {
            if let Some(d) = dir {
                super::private_fs::check_not_shared(d, what).map_err(|e| refused(d, e))?;
            }
        }
        let path = run_dir.join(JOURNAL_FILE);
        let file = OpenOptions::new()
            .write(true)
            .open(&path)
            .map_err(io(&path))?;
        file.set_len(loaded.valid_len).map_err(io(&path))?;
        file.sync_all().map_err(io(&path))?;
        drop(file);
        let file = OpenOptions::new()
            .append(true)
            .open(&path)
            .map_err(io(&path))?;
        Ok(Journal {
            path,
            file,
            seq: loaded.last_seq,
        })
    }

    /// Append one event and sync it to disk before returning.
    pub fn append(&mut self, event: &Event) -> Result<(), JournalError> {
        self.seq += 1;
        let rec = Record {
            v: JOURNAL_VERSION,
            seq: self.seq,
            event: event.clone(),
        };
        let mut line = serde_json::to_vec(&rec).map_err(|e| JournalError::Io {
            path: self.path.clone(),
            source: std::io::Error::other(e),
        })?;
        line.push(b'\n');
        self.file.write_all(&line).map_err(io(&self.path))?;
        self.file.sync_data().map_err(io(&self.path))?;
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// One complete journal line back to its event (`None` if unreadable or
/// written by a newer format).
pub fn parse_record(line: &[u8]) -> Option<Event> {
    let rec: Record = serde_json::from_slice(line).ok()?;
    (rec.v <= JOURNAL_VERSION).then_some(rec.event)
}

/// A journal read back.
#[derive(Debug, Default)]
pub struct Loaded {
    pub events: Vec<Event>,
    /// Bytes of whole, valid records; anything after is a torn write.
    pub valid_len: u64,
    pub last_seq: u64,
    /// Set when the last line was torn (cut off by a crash) and ignored.
    pub torn_tail: bool,
}

/// Read a run's journal. A torn last line is tolerated; damage anywhere
/// else is an error that names the line.
pub fn load(run_dir: &Path) -> Result<Loaded, JournalError> {
    let path = run_dir.join(JOURNAL_FILE);
    let f = File::open(&path).map_err(io(&path))?;
    let mut r = BufReader::new(f);
    let mut out = Loaded::default();
    let mut buf = Vec::new();
    let mut line_no = 0usize;
    let mut pending_error: Option<JournalError> = None;
    loop {
        buf.clear();
        let n = r.read_until(b'\n', &mut buf).map_err(io(&path))?;
        if n == 0 {
            break;
        }
        line_no += 1;
        if let Some(e) = pending_error.take() {
            // A bad line followed by more lines: not a torn tail.
            return Err(e);
        }
        let complete = buf.last() == Some(&b'\n');
        let parsed: Result<Record, _> = serde_json::from_slice(&buf);
        match parsed {
            Ok(rec) if complete => {
                if rec.v > JOURNAL_VERSION {
                    return Err(JournalError::TooNew {
                        path,
                        line: line_no,
                        found: rec.v,
                    });
                }
                out.last_seq = rec.seq;
                out.valid_len += n as u64;
                out.events.push(rec.event);
            }
            Ok(_) => out.torn_tail = true,
            Err(e) if !complete => {
                let _ = e;
                out.torn_tail = true;
            }
            Err(e) => {
                pending_error = Some(JournalError::Corrupt {
                    path: path.clone(),
                    line: line_no,
                    what: e.to_string(),
                });
            }
        }
    }
    if pending_error.is_some() {
        // The very last line is complete but unreadable: treat as torn only if
        // it is the last one (a crash can leave garbage of a full line on
        // some filesystems after a power cut).
        out.torn_tail = true;
    }
    Ok(out)
}

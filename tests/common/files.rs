//! Shared helpers of the file-step tests: a small CRM-like tree and a context.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use dress::engine::StepCtx;

/// A tree shaped like the CRM program files, with Windows-style names.
pub fn make_tree(root: &Path) -> Vec<(String, Vec<u8>)> {
    let long_dir = "a-very-long-folder-name-that-goes-on-and-on".repeat(3);
    let files: Vec<(String, Vec<u8>)> = vec![
        (
            "Program Files (x86)/Sage/CRM/CustomPages/My Page.asp".into(),
            b"<% Response.Write(\"custom page\") %>".to_vec(),
        ),
        (
            "Program Files (x86)/Sage/CRM/CustomPages/sub dir/UNIQUE-MARKER.js".into(),
            b"var marker = 'UNIQUE-MARKER-0123456789';".to_vec(),
        ),
        (
            "Program Files (x86)/Sage/CRM/WWWRoot/empty.txt".into(),
            Vec::new(),
        ),
        (
            "Program Files (x86)/Sage/CRM/eware.dll".into(),
            (0..300_000u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
                .collect(),
        ),
        (
            format!("{long_dir}/{long_dir}/deep file.txt"),
            b"deep".to_vec(),
        ),
        (
            "Données/été.txt".into(),
            "accents é à ü".as_bytes().to_vec(),
        ),
        ("top.ini".into(), b"[crm]\nport=80\n".to_vec()),
    ];
    for (rel, content) in &files {
        let p = root.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, content).unwrap();
    }
    fs::create_dir_all(root.join("Program Files (x86)/Sage/CRM/CustomPages/empty folder")).unwrap();
    files
}

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub ctx: StepCtx,
    pub log: PathBuf,
    events: std::sync::Mutex<tokio::sync::mpsc::UnboundedReceiver<dress::engine::Event>>,
}

impl Fixture {
    pub fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("step.log");
        let (ctx, rx) = StepCtx::for_test(&log).unwrap();
        Fixture {
            dir,
            ctx,
            log,
            events: std::sync::Mutex::new(rx),
        }
    }

    /// Append the step's events so far to the journal of its run folder,
    /// as the engine does (a restore checks an archive's seal there).
    pub fn journal(&self) {
        journal_events(&self.ctx.run_dir, &mut self.events.lock().unwrap());
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn log_text(&self) -> String {
        self.ctx.flush_log();
        fs::read_to_string(&self.log).unwrap()
    }
}

/// Flip one bit of the byte at `offset`.
pub fn flip_byte(path: &Path, offset: usize) {
    let mut b = fs::read(path).unwrap();
    b[offset] ^= 0x01;
    fs::write(path, b).unwrap();
}

/// Append events to `RUN_DIR/journal.jsonl` in the journal's record format.
pub fn journal_events(
    run_dir: &Path,
    rx: &mut tokio::sync::mpsc::UnboundedReceiver<dress::engine::Event>,
) {
    use std::io::Write;
    let path = run_dir.join("journal.jsonl");
    let mut f = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .unwrap();
    while let Ok(e) = rx.try_recv() {
        let mut v = serde_json::to_value(&e).unwrap();
        v["v"] = 1.into();
        v["seq"] = 1.into();
        writeln!(f, "{}", serde_json::to_string(&v).unwrap()).unwrap();
    }
}

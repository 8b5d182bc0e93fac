//! Throughput of `files.archive` against `tar -cf` on the same tree.
//!
//! `cargo run --release --example bench_archive [FOLDER] [--runs N]`
//!
//! Without FOLDER, builds a tree of 20,000 files / about 1 GB in a temporary
//! folder. Warms the cache, then runs `tar -cf` and `files.archive` N times
//! (default 3) each, alternating, and prints the median MB/s of each and the
//! ratio. Both write their archive into the same temporary folder.
//! `files.archive` also hashes every byte (BLAKE3) and fsyncs the archive
//! once at the end, as the step does for real; `sync` runs (untimed) before
//! each run so that neither pays for the write-back of the one before.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use dress::engine::StepCtx;
use dress::engine::files;

const FILES: u64 = 20_000;
const PER_DIR: u64 = 100;
const TARGET_BYTES: u64 = 1_000_000_000;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    let mut runs = 3;
    if let Some(i) = args.iter().position(|a| a == "--runs") {
        runs = args
            .get(i + 1)
            .and_then(|n| n.to_str()?.parse().ok())
            .ok_or("--runs needs a number")?;
        args.drain(i..i + 2);
    }
    let work = tempfile::tempdir()?;
    let root = match args.first().cloned() {
        Some(p) => PathBuf::from(p),
        None => {
            let root = work.path().join("Program Files (x86)");
            let t = Instant::now();
            make_tree(&root)?;
            println!("built the tree in {:.1} s", t.elapsed().as_secs_f64());
            root
        }
    };
    let (count, bytes) = tree_size(&root)?;
    println!(
        "tree: {} files, {:.1} MB in {}",
        count,
        mb(bytes),
        root.display()
    );

    let out_tar = work.path().join("baseline.tar");
    let out_ours = work.path().join("dress.tar");
    let log = work.path().join("step.log");
    let (ctx, _rx) = StepCtx::for_test(&log)?;
    let rt = tokio::runtime::Runtime::new()?;

    // Warm the page cache with one untimed run of each.
    let t = Instant::now();
    run_tar(&root, &out_tar)?;
    rt.block_on(files::archive(&root, &out_ours, &ctx))?;
    println!("warm-up in {:.1} s", t.elapsed().as_secs_f64());

    let (mut t_tar, mut t_ours, mut t_sync) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..runs {
        remove(&out_tar);
        settle();
        let t = Instant::now();
        run_tar(&root, &out_tar)?;
        t_tar.push(t.elapsed().as_secs_f64());
        // The same tar output made durable, as files.archive makes its own.
        fs::File::open(&out_tar)?.sync_all()?;
        t_sync.push(t.elapsed().as_secs_f64());

        remove(&out_ours);
        remove(&files::manifest_path_for(&out_ours));
        settle();
        let t = Instant::now();
        rt.block_on(files::archive(&root, &out_ours, &ctx))?;
        t_ours.push(t.elapsed().as_secs_f64());
        println!(
            "run {}: tar -cf {:.0} MB/s (+ fsync {:.0} MB/s), files.archive {:.0} MB/s",
            i + 1,
            mb(bytes) / t_tar[i],
            mb(bytes) / t_sync[i],
            mb(bytes) / t_ours[i]
        );
    }
    let (m_tar, m_ours) = (median(&mut t_tar), median(&mut t_ours));
    let m_sync = median(&mut t_sync);
    let (r_tar, r_ours) = (mb(bytes) / m_tar, mb(bytes) / m_ours);
    let r_sync = mb(bytes) / m_sync;
    println!("median tar -cf:          {r_tar:.0} MB/s ({m_tar:.2} s)");
    println!("median tar -cf + fsync:  {r_sync:.0} MB/s ({m_sync:.2} s)");
    println!("median files.archive:    {r_ours:.0} MB/s ({m_ours:.2} s)");
    println!("ratio: {:.1} % of tar -cf", 100.0 * r_ours / r_tar);
    println!("ratio: {:.1} % of tar -cf + fsync", 100.0 * r_ours / r_sync);
    let t = Instant::now();
    drop(work);
    println!("cleanup in {:.1} s", t.elapsed().as_secs_f64());
    Ok(())
}

fn run_tar(root: &Path, out: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let st = Command::new("tar")
        .arg("-cf")
        .arg(out)
        .arg("-C")
        .arg(root)
        .arg(".")
        .status()?;
    if !st.success() {
        return Err(format!("tar -cf failed: {st}").into());
    }
    Ok(())
}

/// Same start for each run: no write-back of an earlier run still pending.
fn settle() {
    let _ = Command::new("sync").status();
}

fn make_tree(root: &Path) -> std::io::Result<()> {
    let avg = TARGET_BYTES / FILES;
    let mut rng = 0x9E37_79B9_7F4A_7C15u64;
    let mut buf = vec![0u8; (2 * avg) as usize];
    for chunk in buf.chunks_mut(8) {
        rng = xorshift(rng);
        let b = rng.to_le_bytes();
        chunk.copy_from_slice(&b[..chunk.len()]);
    }
    for i in 0..FILES {
        let dir = root.join(format!("CRM module {:03}", i / PER_DIR));
        if i % PER_DIR == 0 {
            fs::create_dir_all(&dir)?;
        }
        rng = xorshift(rng);
        // Sizes spread from 0 to 2x the average; content varies per file.
        let size = (rng % (2 * avg)) as usize;
        let start = (rng >> 40) as usize % (buf.len() - size).max(1);
        fs::write(dir.join(format!("page {i}.asp")), &buf[start..start + size])?;
    }
    Ok(())
}

fn xorshift(mut x: u64) -> u64 {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    x
}

fn tree_size(root: &Path) -> std::io::Result<(u64, u64)> {
    let m = files::build_manifest(root).map_err(std::io::Error::other)?;
    Ok((m.files.len() as u64, m.total_bytes()))
}

fn remove(p: &Path) {
    let _ = fs::remove_file(p);
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

//! Throughput of the exec step: a child printing many lines, streamed into a
//! real step log, against the child writing straight to /dev/null.
//!
//! cargo run --release --example bench_exec [-- LINES]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

use dress::engine::{StepCtx, exec};
use dress::model::step::ExecSpec;
use secrecy::SecretString;

fn vm_hwm_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn spec(program: &str, args: &[&str]) -> ExecSpec {
    ExecSpec {
        program: PathBuf::from(program),
        args: args.iter().map(|a| a.to_string()).collect(),
        cwd: None,
        env: BTreeMap::new(),
        timeout_s: Some(600),
        ok_exit_codes: vec![0],
        pass_secrets: Vec::new(),
        collect_logs: Vec::new(),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let lines: u64 = match std::env::args().nth(1) {
        Some(n) => n.parse()?,
        None => 1_000_000,
    };
    let count = lines.to_string();
    let dir = tempfile::tempdir()?;
    println!("baseline peak RSS: {} KiB", vm_hwm_kib().unwrap_or(0));

    // The child alone, writing to /dev/null.
    let t = Instant::now();
    let status = Command::new("seq")
        .args(["1", &count])
        .stdout(Stdio::from(std::fs::File::create("/dev/null")?))
        .status()?;
    let raw = t.elapsed();
    println!(
        "seq 1 {count} > /dev/null: {:.3} s ({status})",
        raw.as_secs_f64()
    );

    // The child into a pipe that is only drained: the floor for any reader.
    let t = Instant::now();
    let mut child = Command::new("seq")
        .args(["1", &count])
        .stdout(Stdio::piped())
        .spawn()?;
    let mut pipe = child.stdout.take().ok_or("no stdout pipe")?;
    let mut buf = vec![0u8; 256 * 1024];
    while pipe.read(&mut buf)? > 0 {}
    child.wait()?;
    let drained = t.elapsed();
    println!(
        "seq 1 {count} into a drained pipe: {:.3} s",
        drained.as_secs_f64()
    );

    // The same child through the exec step into a step log.
    let log = dir.path().join("seq.log");
    let (ctx, _rx) = StepCtx::for_test(&log)?;
    let t = Instant::now();
    let res = exec::run(&spec("seq", &["1", &count]), &ctx).await;
    let took = t.elapsed();
    let logged = ctx.log_lines();
    let size = std::fs::metadata(&log)?.len();
    println!(
        "exec::run seq 1 {count}: {:.3} s, {logged} log lines ({} MiB), {:.2} M lines/s, {:.1}x the raw time; result {res:?}",
        took.as_secs_f64(),
        size / (1024 * 1024),
        logged as f64 / took.as_secs_f64() / 1e6,
        took.as_secs_f64() / raw.as_secs_f64()
    );
    // Check the log line by line (reading it whole would raise the peak RSS).
    let (mut n, mut last) = (0u64, String::new());
    for line in BufReader::new(std::fs::File::open(&log)?).lines() {
        last = line?;
        n += 1;
    }
    if last != format!("O|{count}") || n != lines + 1 {
        return Err(format!("step log incomplete: {n} lines, last {last:?}").into());
    }
    println!(
        "peak RSS after the line run: {} KiB",
        vm_hwm_kib().unwrap_or(0)
    );

    // The same with a secret to mask: every line goes through redaction.
    let log = dir.path().join("redacted.log");
    let (ctx, _rx) = StepCtx::for_test(&log)?;
    let ctx = ctx.with_secrets(vec![SecretString::from("S3cret-pass")]);
    let t = Instant::now();
    let res = exec::run(&spec("seq", &["1", &count]), &ctx).await;
    let took = t.elapsed();
    println!(
        "exec::run seq 1 {count} with one secret to mask: {:.3} s, {:.2} M lines/s; result {res:?}",
        took.as_secs_f64(),
        ctx.log_lines() as f64 / took.as_secs_f64() / 1e6
    );

    // 64 MiB without a single newline: cut into bounded pieces.
    let log = dir.path().join("long.log");
    let (ctx, _rx) = StepCtx::for_test(&log)?;
    let t = Instant::now();
    let res = exec::run(&spec("head", &["-c", "67108864", "/dev/zero"]), &ctx).await;
    println!(
        "exec::run head -c 64MiB /dev/zero (no newline): {:.3} s, {} log lines; result {res:?}",
        t.elapsed().as_secs_f64(),
        ctx.log_lines()
    );
    println!(
        "peak RSS after the long-line run: {} KiB",
        vm_hwm_kib().unwrap_or(0)
    );
    Ok(())
}

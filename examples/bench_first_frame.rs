//! Time from starting `dress PLAN` to its first full frame on the screen,
//! in a real pseudo-terminal (portable-pty, screen parsed with vt100).
//!
//!     cargo build --release && cargo run --release --example bench_first_frame [RUNS]
//!
//! Uses the release binary in target/release and the sandbox example.

use std::io::{Read, Write};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let bin = root.join("target/release/dress");
    if !bin.exists() {
        return Err("build the release binary first: cargo build --release".into());
    }
    let state = tempfile::tempdir()?;
    let mut times = Vec::new();
    for _ in 0..runs {
        let pty = native_pty_system().openpty(PtySize {
            rows: 30,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })?;
        let mut cmd = CommandBuilder::new(&bin);
        cmd.arg(root.join("examples/sandbox.toml"));
        cmd.arg("--state-dir");
        cmd.arg(state.path());
        cmd.env("TERM", "xterm-256color");
        let t0 = Instant::now();
        let mut child = pty.slave.spawn_command(cmd)?;
        let mut reader = pty.master.try_clone_reader()?;
        let mut writer = pty.master.take_writer()?;
        let (tx, rx) = mpsc::channel::<Vec<u8>>();
        std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        let (rows, cols) = (
            std::num::NonZeroU16::new(30).ok_or("rows")?,
            std::num::NonZeroU16::new(120).ok_or("cols")?,
        );
        let mut parser = vt100::Parser::new(rows, cols, 0);
        let first = loop {
            let chunk = match rx.recv_timeout(Duration::from_secs(10)) {
                Ok(c) => c,
                Err(e) => {
                    eprintln!(
                        "no frame; the screen so far:\n{}",
                        parser.screen().contents()
                    );
                    return Err(e.into());
                }
            };
            parser.process(&chunk);
            let screen = parser.screen().contents();
            if screen.contains("Prerequisit") && screen.contains("Steps of") {
                break t0.elapsed();
            }
        };
        times.push(first);
        writer.write_all(b"q")?;
        let t1 = Instant::now();
        while child.try_wait()?.is_none() && t1.elapsed() < Duration::from_secs(5) {
            let _ = rx.recv_timeout(Duration::from_millis(20));
        }
        let _ = child.kill();
        // The engine closes the run on `q`; wait for it to let go of the
        // environment before the next start.
        let lock = state.path().join("locks/test.lock");
        let t2 = Instant::now();
        while lock.exists() && t2.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "first frame of `dress examples/sandbox.toml` at 120x30 over {runs} runs: min {:.1} ms, median {:.1} ms, max {:.1} ms (target: 50 ms)",
        ms(times[0]),
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1])
    );
    Ok(())
}

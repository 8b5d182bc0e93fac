//! `dress plan validate` on a plan with 100,000 `[[recipe.steps]]`: time
//! to read, check and locate (the whole validation, stage building for both
//! environments included). Target: under 1 s.
//!
//! `cargo run --release --example bench_validate [STEPS] [--runs N]`
//!
//! The plan is the sandbox example with STEPS (default 100,000) manual
//! steps anchored to built-in steps and to each other; the median of N runs
//! (default 3) is printed, with 10,000 and 50,000 steps for the slope.

use std::time::Instant;

use dress::engine::plan_check::build_diagnostics;
use dress::model::load::parse_plan;

fn plan(steps: usize) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sandbox.toml");
    let mut s = std::fs::read_to_string(root).unwrap_or_default();
    s.reserve(steps * 100);
    for i in 0..steps {
        let anchor = match i % 4 {
            0 => "backup/disk".to_string(),
            1 => "trial-upgrade/setup".to_string(),
            _ => format!("s{}", i - 1),
        };
        let side = if i % 3 == 0 { "before" } else { "after" };
        s.push_str(&format!(
            "\n[[recipe.steps]]\nid = \"s{i}\"\n{side} = \"{anchor}\"\nkind = \"manual\"\nprompt = \"check {i}\"\n"
        ));
    }
    s
}

fn validate(text: &str) -> usize {
    match parse_plan("bench.toml", text) {
        Ok(p) => build_diagnostics("bench.toml", text, &p).len(),
        Err(d) => d.len(),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runs = args
        .iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(3usize);
    let main_n = args
        .first()
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000usize);
    for n in [10_000, 50_000, main_n] {
        let text = plan(n);
        let mut times = Vec::new();
        for _ in 0..runs {
            let t = Instant::now();
            let problems = validate(&text);
            times.push(t.elapsed().as_secs_f64());
            if problems != 0 {
                eprintln!("the generated plan has {problems} problems");
                std::process::exit(1);
            }
        }
        times.sort_by(|a, b| a.total_cmp(b));
        println!(
            "{n:>7} steps ({} KB): median {:.3} s over {runs} runs{}",
            text.len() / 1024,
            times[times.len() / 2],
            if n == main_n { " (target < 1 s)" } else { "" }
        );
    }
}

//! A deterministic property loop over hostile worksheets (no cargo-fuzz
//! needed): random rows with very long values, control characters,
//! leading-zero IPv4, IPv6 zone ids, odd Unicode. Asserts that the
//! validators, the derived settings, the exports and saving never panic,
//! that problems point at existing rows, that a valid worksheet has its
//! master first, and that saving round-trips through the plan file; then
//! drives the editor with random keys, drawing as it goes.
//!
//! `DRESS_FUZZ_ROWS` (default 20000; 200000 for a long run),
//! `DRESS_FUZZ_KEYS` (default 30000) and `DRESS_FUZZ_SEED` change the run.

use crate::common::topology as topology_common;

use std::time::Instant;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use dress::model::EnvKind;
use dress::model::edit_topology::save_servers;
use dress::model::lb_params;
use dress::model::plan::{Plan, Role, Server, Service};
use dress::model::topology::{derive_lb_settings, validate_topology};
use dress::ui::topology::export::{self, Format, Sheet};
use dress::ui::topology::update::{Msg, update};
use topology_common::*;

/// SplitMix64: small, fast, reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
}

const FRAGMENTS: &[&str] = &[
    "",
    "WEB1",
    "web1",
    "SQL1",
    "web1.example.local",
    "web1.example.local.",
    "010.000.000.001",
    "10.0.0.012",
    "256.1.1.1",
    "10.0.0.1",
    "fe80::1%eth0",
    "fe80::1%",
    "fe80::1%25eth0",
    "fd00::1",
    "fd00:0::1",
    "::ffff:10.0.0.1",
    "[fd00::1]",
    "1::2::3",
    ":::",
    "fd00::1/64",
    "-web",
    "web-",
    "12345",
    "ABCDEFGHIJKLMNOP",
    "ABCDEFGHIJKLMNO",
    "a..b",
    ".",
    " ",
    "\t",
    "\0",
    "\u{7f}",
    "\u{1b}[31m",
    "\r\n",
    "\u{202e}evil",
    "é",
    "ß",
    "🙂",
    "e\u{301}",
    "\"",
    "'",
    ";",
    "|",
    "]]",
    "%",
    "\\\\WEB2\\c$",
    "xn--bcher-kva",
];

fn hostile(r: &mut Rng) -> String {
    match r.below(10) {
        0 => {
            let c = *r.pick(&['a', '9', '-', '.', ':', 'é', '\u{0}', '🙂']);
            std::iter::repeat_n(c, 1 + r.below(20_000)).collect()
        }
        1 => (0..r.below(40))
            .map(|_| char::from_u32(r.below(0x11_0000) as u32).unwrap_or('?'))
            .collect(),
        2 => (0..r.below(12))
            .map(|_| (r.below(32) as u8) as char)
            .collect(),
        _ => (0..1 + r.below(3))
            .map(|_| *r.pick(FRAGMENTS))
            .collect::<Vec<_>>()
            .join(""),
    }
}

/// A plausible value half of the time (so valid worksheets and duplicates
/// happen), a hostile one otherwise.
fn cell(r: &mut Rng, plausible: impl Fn(usize) -> String) -> String {
    if r.below(2) == 0 {
        plausible(r.below(6))
    } else {
        hostile(r)
    }
}

fn row(r: &mut Rng) -> Server {
    let role = *r.pick(&[
        Role::Sql,
        Role::WebMaster,
        Role::WebSecondary,
        Role::WebSecondary,
    ]);
    let services = (0..r.below(3)).map(|_| *r.pick(&Service::ALL)).collect();
    Server {
        name: cell(r, |i| format!("WEB{i}")),
        role,
        address: cell(r, |i| format!("web{i}.example.local")),
        ipv6: cell(r, |i| format!("fd00::{i:x}")),
        services,
        install_path: None,
    }
}

/// A valid worksheet (SQL row, master, secondaries), shuffled a little and
/// with at most one cell made hostile.
fn near_valid(r: &mut Rng) -> Vec<Server> {
    let mut rows = vec![server("SQL1", Role::Sql, 10, &[])];
    rows.push(server("WEB0", Role::WebMaster, 0x20, &[]));
    for i in 1..=r.below(5) {
        rows.push(server(
            &format!("WEB{i}"),
            Role::WebSecondary,
            0x20 + i as u8,
            &[],
        ));
    }
    for svc in Service::ALL {
        let at = 1 + r.below(rows.len() - 1);
        rows[at].services.push(svc);
    }
    if r.below(4) == 0 {
        let (a, b) = (r.below(rows.len()), r.below(rows.len()));
        rows.swap(a, b);
    }
    if r.below(2) == 0 {
        let at = r.below(rows.len());
        let v = hostile(r);
        match r.below(3) {
            0 => rows[at].name = v,
            1 => rows[at].address = v,
            _ => rows[at].ipv6 = v,
        }
    }
    rows
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn hostile_worksheets_never_panic() {
    let total = env_u64("DRESS_FUZZ_ROWS", 20_000) as usize;
    let seed = env_u64("DRESS_FUZZ_SEED", 0x5EED_7090);
    let mut r = Rng(seed);
    let start = Instant::now();
    let (mut rows_done, mut sheets, mut valid, mut saved) = (0usize, 0usize, 0usize, 0usize);
    while rows_done < total {
        let rows = if r.below(3) == 0 {
            near_valid(&mut r)
        } else {
            let n = r.below(8);
            (0..n).map(|_| row(&mut r)).collect()
        };
        let n = rows.len();
        rows_done += n;
        sheets += 1;
        let errors = validate_topology(&rows);
        for e in &errors {
            assert!(
                e.row < rows.len().max(1),
                "seed {seed}: {e:?} on {} rows",
                rows.len()
            );
            assert!(!e.what.is_empty() && !e.fix.is_empty());
        }
        let lb = derive_lb_settings(&rows);
        let perform = [None, Some(true), Some(false)][r.below(3)];
        let values = lb_params::values(&lb_params::settings(&rows, perform));
        assert_eq!(values.len(), lb_params::LB_PARAMS.len());
        if errors.is_empty() {
            valid += 1;
            if let Some(first_web) = rows.iter().find(|s| s.role != Role::Sql) {
                assert_eq!(first_web.role, Role::WebMaster, "seed {seed}: {rows:?}");
                assert_eq!(lb.dtls_server, first_web.name);
            }
        }
        let sheet = Sheet {
            title: "fuzz",
            env: EnvKind::Test,
            rows: &rows,
            settings: &lb,
            database: Some("CRMSAGE"),
        };
        for f in Format::ALL {
            let out = export::export(&sheet, f).unwrap();
            if f == Format::Markdown {
                // One table line per row: nothing in a cell breaks the table.
                let table_lines = out.lines().filter(|l| l.starts_with("| ")).count();
                assert_eq!(table_lines, 1 + rows.len() + 1 + 5, "{out}");
            }
        }
        // Saving round-trips, whatever the values hold.
        if sheets % 8 == 0 {
            saved += 1;
            let text = save_servers(PLAN, EnvKind::Test, &rows, perform).unwrap();
            let plan: Plan = toml::from_str(&text).unwrap();
            let env = plan.environments.test.unwrap();
            assert_eq!(env.servers, rows, "seed {seed}");
            assert_eq!(env.perform_load_balancing, perform);
        }
    }
    eprintln!(
        "fuzz: {rows_done} rows in {sheets} worksheets ({valid} valid, {saved} saved and re-read) in {:.1?}, seed {seed:#x}",
        start.elapsed()
    );
}

const KEYS: &[KeyCode] = &[
    KeyCode::Up,
    KeyCode::Down,
    KeyCode::Left,
    KeyCode::Right,
    KeyCode::Tab,
    KeyCode::BackTab,
    KeyCode::Enter,
    KeyCode::Esc,
    KeyCode::Backspace,
    KeyCode::Delete,
    KeyCode::Home,
    KeyCode::End,
    KeyCode::Char(' '),
    KeyCode::Char('a'),
    KeyCode::Char('d'),
    KeyCode::Char('y'),
    KeyCode::Char('n'),
    KeyCode::Char('K'),
    KeyCode::Char('J'),
    KeyCode::Char('b'),
    KeyCode::Char('c'),
    KeyCode::Char('q'),
    KeyCode::Char('?'),
    KeyCode::Char('j'),
    KeyCode::Char('k'),
    KeyCode::Char('h'),
    KeyCode::Char('l'),
    KeyCode::Char('s'),
    KeyCode::Char('x'),
    KeyCode::Char(':'),
    KeyCode::Char('%'),
    KeyCode::Char('\u{0}'),
    KeyCode::Char('é'),
    KeyCode::F(5),
];

#[test]
fn random_keys_never_panic_the_editor() {
    let presses = env_u64("DRESS_FUZZ_KEYS", 30_000) as usize;
    let seed = env_u64("DRESS_FUZZ_SEED", 0x5EED_7090) ^ 0xABCD;
    let mut r = Rng(seed);
    let start = Instant::now();
    let mut ed = editor_with(three_web());
    let (mut quits, mut effects, mut frames) = (0, 0, 0);
    for i in 0..presses {
        let mods = *r.pick(&[
            KeyModifiers::NONE,
            KeyModifiers::NONE,
            KeyModifiers::SHIFT,
            KeyModifiers::CONTROL,
            KeyModifiers::ALT,
        ]);
        let mut k = KeyEvent::new(*r.pick(KEYS), mods);
        if r.below(20) == 0 {
            k.kind = KeyEventKind::Release;
        }
        if r.below(50) == 0 {
            update(&mut ed, Msg::SqlChecked(Err(hostile(&mut r))));
        }
        let out = update(&mut ed, Msg::Key(k));
        // Effects are file and network work: counted, not performed here
        // (the key and export tests perform them).
        effects += usize::from(out.effect.is_some());
        assert!(ed.rows.is_empty() || ed.row < ed.rows.len());
        assert_eq!(ed.errors, validate_topology(&ed.rows));
        if out.quit {
            quits += 1;
            ed = editor_with(three_web());
        }
        if ed.rows.len() > 40 {
            ed = editor_with(vec![row(&mut r), row(&mut r)]);
        }
        if i % 61 == 0 {
            let (w, h) = *r.pick(&[(80, 24), (120, 30), (30, 8), (200, 60), (80, 25)]);
            let _ = screen(&ed, w, h);
            frames += 1;
        }
    }
    eprintln!(
        "fuzz: {presses} keys, {quits} quits, {effects} effects asked, {frames} frames in {:.1?}",
        start.elapsed()
    );
}

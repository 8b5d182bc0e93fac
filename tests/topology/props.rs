//! A property test of the worksheet editor: random sequences of add,
//! delete, move, edit (every column, the install path included), cancelled
//! edits, role and service changes, each mirrored on a model of the rows;
//! after each save the plan is read again from the file, and every field of
//! every row that was not deleted must be there, unchanged. The other
//! environment must not change at all.
//!
//! `DRESS_PROP_SEQS` (default 400), `DRESS_PROP_OPS` (default 40) and
//! `DRESS_PROP_SEED` change the run; the counts are printed.

use crate::common::topology as topology_common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use KeyCode::{Backspace, Char, Down, End, Enter, Esc, Left, Right, Up};
use crossterm::event::KeyCode;
use dress::model::EnvKind;
use dress::model::plan::{Role, Server, Service};
use dress::model::topology::Column;
use dress::ui::topology::state::{COLUMNS, Editor, Mode};
use topology_common::*;

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
    fn pick<'a>(&mut self, v: &'a [&'a str]) -> &'a str {
        v[self.below(v.len())]
    }
}

const NAMES: &[&str] = &[
    "WEB1", "WEB2", "WEB3", "WEB4", "web4", "SQL1", "CRM-TEST", " WEB5 ", "", "WEB_6!",
];
const ADDRESSES: &[&str] = &[
    "web4.example.local",
    "10.0.0.14",
    "",
    "web2.example.local",
    "sql1",
];
const IPV6: &[&str] = &["fd00::14", "fd00:0::12", "", "fe80::1%eth0", "::1"];
const PATHS: &[&str] = &[
    r"\\WEB4\c$\Program Files (x86)\Sage\CRM\CRMSAGE",
    r"\\WEB2\d$\CRM, ACME\CRMSAGE",
    r#"D:\Sage 'test' "quoted"\CRM"#,
    r"\\SRV-É\c$\Société\CRM",
    "",
    r"c$\relative",
    "/srv/crm/CRMSAGE",
];

#[derive(Default)]
struct Counts {
    ops: BTreeMap<&'static str, usize>,
    saves: usize,
    rows_checked: usize,
    fields_checked: usize,
}

fn column_index(c: Column) -> usize {
    COLUMNS.iter().position(|x| *x == c).unwrap()
}

/// Put the cursor on (`row`, `col`) with the arrow keys.
fn go(ed: &mut Editor, row: usize, col: usize) {
    while ed.row > row {
        press(ed, &[Up]);
    }
    while ed.row < row {
        press(ed, &[Down]);
    }
    while ed.col > col {
        press(ed, &[Left]);
    }
    while ed.col < col {
        press(ed, &[Right]);
    }
    assert_eq!((ed.row, ed.col), (row, col));
}

fn set_text(s: &mut Server, c: Column, v: &str) {
    let v = v.trim().to_string();
    match c {
        Column::Name => s.name = v,
        Column::Address => s.address = v,
        Column::Ipv6 => s.ipv6 = v,
        Column::InstallPath => s.install_path = (!v.is_empty()).then(|| PathBuf::from(v)),
        _ => unreachable!(),
    }
}

fn step(ed: &mut Editor, model: &mut Vec<Server>, rng: &mut Rng, counts: &mut Counts) {
    let n = model.len();
    let row = if n == 0 { 0 } else { rng.below(n) };
    let op = match rng.below(100) {
        0..=11 => "add",
        12..=19 if n > 0 => "delete",
        20..=24 if n > 0 => "delete-refused",
        25..=34 if n > 1 => "move-up",
        35..=42 if n > 1 => "move-down",
        43..=72 if n > 0 => "edit",
        73..=78 if n > 0 => "edit-cancelled",
        79..=85 if n > 0 => "role",
        86..=93 if n > 0 => "service",
        94..=96 => "balance",
        _ => "nothing",
    };
    *counts.ops.entry(op).or_default() += 1;
    match op {
        "add" => {
            if n > 0 {
                go(ed, row, 0);
            }
            let role = if model.iter().any(|s| s.role == Role::WebMaster) {
                Role::WebSecondary
            } else {
                Role::WebMaster
            };
            let at = if n == 0 { 0 } else { row + 1 };
            model.insert(
                at,
                Server {
                    name: String::new(),
                    role,
                    address: String::new(),
                    ipv6: String::new(),
                    services: vec![],
                    install_path: None,
                },
            );
            press(ed, &[Char('a')]);
        }
        "delete" => {
            go(ed, row, 0);
            press(ed, &[Char('d'), Char('y')]);
            model.remove(row);
        }
        "delete-refused" => {
            go(ed, row, 0);
            press(ed, &[Char('d'), Enter]);
        }
        "move-up" => {
            let row = row.max(1);
            go(ed, row, 0);
            press(ed, &[Char('K')]);
            model.swap(row, row - 1);
        }
        "move-down" => {
            let row = row.min(n - 2);
            go(ed, row, 0);
            press(ed, &[Char('J')]);
            model.swap(row, row + 1);
        }
        "edit" | "edit-cancelled" => {
            let c = [
                Column::Name,
                Column::Address,
                Column::Ipv6,
                Column::InstallPath,
            ][rng.below(4)];
            let v = match c {
                Column::Name => rng.pick(NAMES),
                Column::Address => rng.pick(ADDRESSES),
                Column::Ipv6 => rng.pick(IPV6),
                _ => rng.pick(PATHS),
            };
            go(ed, row, column_index(c));
            press(ed, &[Enter, End]);
            assert!(matches!(ed.mode, Mode::Edit(_)));
            let before = ed.cell_text(row, c).chars().count();
            for _ in 0..before {
                press(ed, &[Backspace]);
            }
            typ(ed, v);
            if op == "edit" {
                press(ed, &[Enter]);
                set_text(&mut model[row], c, v);
            } else {
                press(ed, &[Esc]);
            }
        }
        "role" => {
            go(ed, row, column_index(Column::Role));
            press(ed, &[Char(' ')]);
            let r = &mut model[row].role;
            *r = match r {
                Role::Sql => Role::WebMaster,
                Role::WebMaster => Role::WebSecondary,
                Role::WebSecondary => Role::Sql,
            };
        }
        "service" => {
            let k = rng.below(Service::ALL.len());
            go(ed, row, column_index(Column::Services));
            press(ed, &[Enter]);
            for _ in 0..k {
                press(ed, &[Down]);
            }
            press(ed, &[Char(' '), Esc]);
            let svc = Service::ALL[k];
            let list = &mut model[row].services;
            if let Some(i) = list.iter().position(|x| *x == svc) {
                list.remove(i);
            } else {
                list.push(svc);
                list.sort();
            }
        }
        "balance" => press(ed, &[Char('b')]),
        _ => {}
    }
    assert!(matches!(ed.mode, Mode::Table), "{op}: {:?}", ed.mode);
    assert_eq!(
        &ed.rows, model,
        "after {op}: the editor differs from the model"
    );
}

/// Save, read the file again, and compare every field with the model.
fn save_and_reload(ed: &mut Editor, model: &[Server], test_env: &[Server], counts: &mut Counts) {
    press(ed, &[Char('s')]);
    let note = ed.note.clone().unwrap();
    assert!(!note.text.starts_with("Not saved"), "{}", note.text);
    counts.saves += 1;
    let text = std::fs::read_to_string(&ed.path).unwrap();
    assert!(text.starts_with("# Deployment of ACME's CRM\n"), "{text}");
    let saved = saved_rows(&ed.path, EnvKind::Production);
    assert_eq!(saved.len(), model.len(), "{text}");
    for (i, (got, want)) in saved.iter().zip(model).enumerate() {
        counts.rows_checked += 1;
        counts.fields_checked += 6;
        assert_eq!(got, want, "row {} lost a value on save:\n{text}", i + 1);
    }
    assert_eq!(saved_rows(&ed.path, EnvKind::Test), test_env, "{text}");
    let perform = ed.perform_lb;
    *ed = editor_on(&ed.path.clone(), Some(EnvKind::Production));
    assert_eq!(ed.rows, model);
    assert_eq!(ed.perform_lb, perform);
}

#[test]
fn random_edits_never_lose_a_field_of_a_kept_row() {
    let num = |k: &str, d: u64| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let seqs = num("DRESS_PROP_SEQS", 400);
    let ops = num("DRESS_PROP_OPS", 40);
    let seed = num("DRESS_PROP_SEED", 0x5EED_1605);
    let mut rng = Rng(seed);
    let mut counts = Counts::default();
    let dir = tempfile::tempdir().unwrap();
    for seq in 0..seqs {
        let path = write_plan(dir.path(), FOUR);
        let test_env = saved_rows(&path, EnvKind::Test);
        let mut ed = editor_on(&path, Some(EnvKind::Production));
        let mut model = ed.rows.clone();
        for _ in 0..ops {
            step(&mut ed, &mut model, &mut rng, &mut counts);
            if rng.below(8) == 0 {
                save_and_reload(&mut ed, &model, &test_env, &mut counts);
            }
        }
        save_and_reload(&mut ed, &model, &test_env, &mut counts);
        let _ = seq;
    }
    eprintln!(
        "property: seed {seed:#x}, {seqs} sequences of {ops} operations, {} saves and reloads, {} rows and {} fields compared; operations: {:?}",
        counts.saves, counts.rows_checked, counts.fields_checked, counts.ops
    );
    for op in [
        "add",
        "delete",
        "move-up",
        "move-down",
        "edit",
        "edit-cancelled",
        "role",
        "service",
    ] {
        assert!(
            counts.ops.get(op).copied().unwrap_or(0) > 0,
            "{op} never ran"
        );
    }
}

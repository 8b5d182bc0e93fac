//! Messages and `update`: the only place the editor's view model changes.
//! Work outside the model (writing files, asking the SQL server) comes out
//! as an [`Effect`] that the caller performs (see `super::effects`).

use crossterm::event::{Event as TermEvent, KeyEvent, KeyEventKind};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::envs;
use super::keys::{self, TAct};
use super::state::{COLUMNS, Editor, Mode, SqlCheck, role_index};
use crate::model::plan::{Role, Server, Service};
use crate::model::topology::Column;
use crate::ui::strings::{fill, topo};

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    /// The answer of the live SQL connections check.
    SqlChecked(Result<String, String>),
}

/// Work the caller does for the editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Save,
    Export,
    CheckSql,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Out {
    pub quit: bool,
    pub effect: Option<Effect>,
    pub redraw: bool,
}

pub fn update(ed: &mut Editor, msg: Msg) -> Out {
    let mut out = Out {
        redraw: true,
        ..Default::default()
    };
    match msg {
        Msg::Key(k) if k.kind != KeyEventKind::Press => out.redraw = false,
        Msg::Key(k) => key(ed, k, &mut out),
        Msg::SqlChecked(r) => ed.sql_check = SqlCheck::Done(r),
    }
    out
}

fn key(ed: &mut Editor, k: KeyEvent, out: &mut Out) {
    match std::mem::replace(&mut ed.mode, Mode::Table) {
        Mode::Table => table_key(ed, k, out),
        Mode::Edit(input) => edit_key(ed, input, k),
        Mode::Services { sel } => services_key(ed, sel, k),
        Mode::ConfirmDelete { yes } => {
            if let Some(answer) =
                confirm_key(&mut ed.mode, yes, k, |yes| Mode::ConfirmDelete { yes })
                && answer
            {
                delete_row(ed);
            }
        }
        Mode::ConfirmQuit { yes } => {
            if let Some(answer) = confirm_key(&mut ed.mode, yes, k, |yes| Mode::ConfirmQuit { yes })
            {
                out.quit = answer;
            }
        }
        Mode::ChooseEnv { sel } => choose_env_key(ed, sel, k, out),
        Mode::Help { scroll } => {
            ed.mode = match keys::lookup(keys::HELP, &k) {
                Some(TAct::Close) => Mode::Table,
                Some(TAct::Up) => Mode::Help {
                    scroll: scroll.saturating_sub(1),
                },
                Some(TAct::Down) => Mode::Help {
                    scroll: (scroll + 1).min(help_lines()),
                },
                _ => Mode::Help { scroll },
            }
        }
    }
}

/// The question "which environment?": Enter opens the highlighted one.
fn choose_env_key(ed: &mut Editor, sel: usize, k: KeyEvent, out: &mut Out) {
    let n = envs::KINDS.len();
    let sel = sel.min(n - 1);
    ed.mode = Mode::ChooseEnv { sel };
    match keys::lookup(keys::CHOOSE, &k) {
        Some(TAct::Up | TAct::Down | TAct::Switch) => {
            ed.mode = Mode::ChooseEnv { sel: (sel + 1) % n }
        }
        Some(TAct::Answer) => {
            ed.mode = Mode::Table;
            if let Err(e) = ed.switch_env(envs::KINDS[sel]) {
                ed.note = Some(super::state::Note {
                    error: true,
                    text: e,
                });
            }
        }
        Some(TAct::Quit) => out.quit = true,
        _ => out.redraw = false,
    }
}

/// A yes/no question: `Some(answer)` when answered, else the question stays.
fn confirm_key(
    mode: &mut Mode,
    yes: bool,
    k: KeyEvent,
    again: impl Fn(bool) -> Mode,
) -> Option<bool> {
    match keys::lookup(keys::CONFIRM, &k) {
        Some(TAct::Yes) => Some(true),
        Some(TAct::No) => Some(false),
        Some(TAct::Answer) => Some(yes),
        Some(TAct::Switch) => {
            *mode = again(!yes);
            None
        }
        _ => {
            *mode = again(yes);
            None
        }
    }
}

fn table_key(ed: &mut Editor, k: KeyEvent, out: &mut Out) {
    let Some(act) = keys::lookup(keys::TABLE, &k) else {
        out.redraw = false;
        return;
    };
    let last_col = COLUMNS.len() - 1;
    match act {
        TAct::Up => ed.row = ed.row.saturating_sub(1),
        TAct::Down => ed.row = (ed.row + 1).min(ed.rows.len().saturating_sub(1)),
        TAct::Left => ed.col = ed.col.saturating_sub(1),
        TAct::Right => ed.col = (ed.col + 1).min(last_col),
        TAct::NextCell => {
            if ed.col < last_col {
                ed.col += 1;
            } else if ed.row + 1 < ed.rows.len() {
                (ed.row, ed.col) = (ed.row + 1, 0);
            }
        }
        TAct::PrevCell => {
            if ed.col > 0 {
                ed.col -= 1;
            } else if ed.row > 0 {
                (ed.row, ed.col) = (ed.row - 1, last_col);
            }
        }
        TAct::Edit | TAct::Toggle => activate(ed),
        TAct::Add => add_row(ed),
        TAct::Delete => {
            if !ed.rows.is_empty() {
                ed.mode = Mode::ConfirmDelete { yes: false };
            }
        }
        TAct::MoveUp => {
            if ed.row > 0 && ed.row < ed.rows.len() {
                ed.rows.swap(ed.row, ed.row - 1);
                ed.row -= 1;
                changed(ed);
            }
        }
        TAct::MoveDown => {
            if ed.row + 1 < ed.rows.len() {
                ed.rows.swap(ed.row, ed.row + 1);
                ed.row += 1;
                changed(ed);
            }
        }
        TAct::Balance => {
            // The order the help gives: derived, true, false.
            ed.perform_lb = match ed.perform_lb {
                None => Some(true),
                Some(true) => Some(false),
                Some(false) => None,
            };
            changed(ed);
        }
        TAct::Check => {
            if ed.sql.is_some() && ed.sql_check != SqlCheck::Running {
                ed.sql_check = SqlCheck::Running;
                out.effect = Some(Effect::CheckSql);
            }
        }
        TAct::Save => out.effect = Some(Effect::Save),
        TAct::Export => out.effect = Some(Effect::Export),
        TAct::Help => ed.mode = Mode::Help { scroll: 0 },
        TAct::Quit => {
            if ed.dirty {
                ed.mode = Mode::ConfirmQuit { yes: false };
            } else {
                out.quit = true;
            }
        }
        _ => out.redraw = false,
    }
}

/// Enter/Space on a cell: cycle the role, open the services picker, or
/// start editing the text.
fn activate(ed: &mut Editor) {
    if ed.rows.is_empty() {
        return;
    }
    match ed.column() {
        Column::Role => {
            let r = &mut ed.rows[ed.row].role;
            *r = match role_index(*r) {
                0 => Role::WebMaster,
                1 => Role::WebSecondary,
                _ => Role::Sql,
            };
            changed(ed);
        }
        Column::Services => ed.mode = Mode::Services { sel: 0 },
        c => {
            let text = ed.cell_text(ed.row, c);
            ed.mode = Mode::Edit(Input::new(text));
        }
    }
}

fn edit_key(ed: &mut Editor, mut input: Input, k: KeyEvent) {
    match keys::lookup(keys::EDIT, &k) {
        Some(TAct::Answer) => {
            let v = input.value().trim().to_string();
            let c = ed.column();
            if let Some(s) = ed.rows.get_mut(ed.row) {
                let cell = match c {
                    Column::Name => &mut s.name,
                    Column::Address => &mut s.address,
                    Column::Ipv6 => &mut s.ipv6,
                    Column::InstallPath => {
                        // An empty cell: no install path (files copied by hand).
                        let p = (!v.is_empty()).then(|| std::path::PathBuf::from(&v));
                        if s.install_path != p {
                            s.install_path = p;
                            changed(ed);
                        }
                        return;
                    }
                    _ => return,
                };
                if *cell != v {
                    *cell = v;
                    changed(ed);
                }
            }
        }
        Some(_) => {}
        None => {
            input.handle_event(&TermEvent::Key(k));
            ed.mode = Mode::Edit(input);
        }
    }
}

fn services_key(ed: &mut Editor, sel: usize, k: KeyEvent) {
    let n = Service::ALL.len();
    let sel = sel.min(n - 1);
    ed.mode = Mode::Services { sel };
    match keys::lookup(keys::SERVICES, &k) {
        Some(TAct::Up) => {
            ed.mode = Mode::Services {
                sel: (sel + n - 1) % n,
            }
        }
        Some(TAct::Down) => ed.mode = Mode::Services { sel: (sel + 1) % n },
        Some(TAct::Toggle) => {
            let svc = Service::ALL[sel];
            if let Some(s) = ed.rows.get_mut(ed.row) {
                if let Some(i) = s.services.iter().position(|x| *x == svc) {
                    s.services.remove(i);
                } else {
                    s.services.push(svc);
                    s.services.sort();
                }
                changed(ed);
            }
        }
        Some(TAct::Close) => ed.mode = Mode::Table,
        _ => {}
    }
}

fn add_row(ed: &mut Editor) {
    let role = if ed.rows.iter().any(|s| s.role == Role::WebMaster) {
        Role::WebSecondary
    } else {
        Role::WebMaster
    };
    let at = if ed.rows.is_empty() { 0 } else { ed.row + 1 };
    ed.rows.insert(
        at,
        Server {
            name: String::new(),
            role,
            address: String::new(),
            ipv6: String::new(),
            services: Vec::new(),
            install_path: None,
        },
    );
    ed.row = at;
    ed.col = COLUMNS.iter().position(|c| *c == Column::Name).unwrap_or(0);
    changed(ed);
}

fn delete_row(ed: &mut Editor) {
    if ed.row < ed.rows.len() {
        ed.rows.remove(ed.row);
        changed(ed);
    }
}

fn changed(ed: &mut Editor) {
    ed.dirty = true;
    ed.note = None;
    ed.revalidate();
}

/// The question of a confirm mode, for the dialog.
pub fn question(ed: &Editor) -> Option<(String, bool)> {
    let t = topo();
    match &ed.mode {
        Mode::ConfirmDelete { yes } => {
            let name = ed
                .rows
                .get(ed.row)
                .map(|s| s.name.as_str())
                .filter(|n| !n.is_empty())
                .unwrap_or("-");
            Some((
                fill(
                    t.confirm_delete,
                    &[&(ed.row + 1), &crate::model::naming::shown(name)],
                ),
                *yes,
            ))
        }
        Mode::ConfirmQuit { yes } => Some((t.confirm_quit.to_string(), *yes)),
        _ => None,
    }
}

/// How many lines the help has at most, each key's text on up to two
/// lines (its scroll stops there).
pub fn help_lines() -> u16 {
    super::overlays::help_sections()
        .iter()
        .map(|(_, m)| 2 * m.len() as u16 + 1)
        .sum()
}

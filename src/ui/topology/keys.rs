//! The editor's key maps, in the one binding type of the full-screen apps
//! ([`crate::ui::keymap::Binding`]). The status bar hints and the help
//! overlay are generated from these tables, and `update` looks keys up in
//! them, so what is shown is what works.

use crossterm::event::{KeyCode, KeyEvent};

use crate::ui::keymap;

/// What a key does in the editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TAct {
    Up,
    Down,
    Left,
    Right,
    NextCell,
    PrevCell,
    Edit,
    Toggle,
    Add,
    Delete,
    MoveUp,
    MoveDown,
    Balance,
    Check,
    Save,
    Export,
    Help,
    Quit,
    // In the services picker and the dialogs.
    Close,
    Yes,
    No,
    Switch,
    Answer,
}

/// One line of a key map: the interface's binding with the editor's
/// actions. Letters match whatever Shift state the terminal reports (the
/// letter's case says it); a key held with Shift takes the binding that
/// asks for Shift (S-Up moves the row), else the one without.
pub type TBinding = crate::ui::keymap::Binding<TAct>;

use keymap::{ctrl, key as b, shift};

use KeyCode::{BackTab, Char, Down, Enter, Esc, Left, Right, Tab, Up};

/// The table of servers.
pub static TABLE: &[TBinding] = &[
    b("Up/k", &[Up, Char('k')], TAct::Up, false),
    b("Down/j", &[Down, Char('j')], TAct::Down, false),
    b("Left/h", &[Left, Char('h')], TAct::Left, false),
    b("Right/l", &[Right, Char('l')], TAct::Right, false),
    b("Tab", &[Tab], TAct::NextCell, false),
    b("S-Tab", &[BackTab], TAct::PrevCell, false),
    b("Enter", &[Enter], TAct::Edit, true),
    b("Space", &[Char(' ')], TAct::Toggle, false),
    b("a", &[Char('a')], TAct::Add, true),
    b("d", &[Char('d')], TAct::Delete, true),
    shift("S-Up/K", &[Up, Char('K')], TAct::MoveUp, true),
    shift("S-Down/J", &[Down, Char('J')], TAct::MoveDown, false),
    b("b", &[Char('b')], TAct::Balance, false),
    b("c", &[Char('c')], TAct::Check, false),
    b("s", &[Char('s')], TAct::Save, true),
    b("x", &[Char('x')], TAct::Export, true),
    b("?", &[Char('?')], TAct::Help, true),
    b("q/Esc", &[Char('q'), Esc], TAct::Quit, true),
    ctrl("Ctrl-C", &[Char('c')], TAct::Quit, false),
];

/// While a cell is edited (other keys go to the field).
pub static EDIT: &[TBinding] = &[
    b("Enter", &[Enter], TAct::Answer, true),
    b("Esc", &[Esc], TAct::Close, true),
];

/// The services picker of a row.
pub static SERVICES: &[TBinding] = &[
    b("Up/k", &[Up, Char('k')], TAct::Up, true),
    b("Down/j", &[Down, Char('j')], TAct::Down, true),
    b("Space", &[Char(' ')], TAct::Toggle, true),
    b("Enter/Esc/q", &[Enter, Esc, Char('q')], TAct::Close, true),
];

/// A yes/no question (the highlighted answer starts at No).
pub static CONFIRM: &[TBinding] = &[
    b("y", &[Char('y')], TAct::Yes, true),
    b("n/Esc/q", &[Char('n'), Esc, Char('q')], TAct::No, true),
    b(
        "Tab/Left/Right",
        &[Tab, Left, Right, BackTab],
        TAct::Switch,
        true,
    ),
    b("Enter", &[Enter], TAct::Answer, true),
];

/// The question "which environment?" when both have servers.
pub static CHOOSE: &[TBinding] = &[
    b("Up/k", &[Up, Char('k')], TAct::Up, true),
    b("Down/j", &[Down, Char('j')], TAct::Down, true),
    b("Tab", &[Tab, BackTab], TAct::Switch, false),
    b("Enter", &[Enter], TAct::Answer, true),
    b("q/Esc", &[Char('q'), Esc], TAct::Quit, true),
    ctrl("Ctrl-C", &[Char('c')], TAct::Quit, false),
];

/// The help overlay.
pub static HELP: &[TBinding] = &[
    b("Up/k", &[Up, Char('k')], TAct::Up, true),
    b("Down/j", &[Down, Char('j')], TAct::Down, true),
    b(
        "Esc/q/?",
        &[Esc, Char('q'), Char('?'), Enter],
        TAct::Close,
        true,
    ),
];

/// The action bound to `key` in `map`, if any.
pub fn lookup(map: &[TBinding], key: &KeyEvent) -> Option<TAct> {
    keymap::lookup(map, key)
}

/// The status bar hints of a map.
pub fn hints(map: &[TBinding]) -> impl Iterator<Item = (&'static str, TAct)> {
    map.iter().filter(|bd| bd.hint).map(|bd| (bd.label, bd.act))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    #[test]
    fn shift_arrows_and_letters_move_rows() {
        let su = KeyEvent::new(Up, KeyModifiers::SHIFT);
        assert_eq!(lookup(TABLE, &su), Some(TAct::MoveUp));
        assert_eq!(
            lookup(TABLE, &KeyEvent::new(Up, KeyModifiers::NONE)),
            Some(TAct::Up)
        );
        let kk = KeyEvent::new(Char('K'), KeyModifiers::SHIFT);
        assert_eq!(lookup(TABLE, &kk), Some(TAct::MoveUp));
        let cc = KeyEvent::new(Char('c'), KeyModifiers::CONTROL);
        assert_eq!(lookup(TABLE, &cc), Some(TAct::Quit));
        let c = KeyEvent::new(Char('c'), KeyModifiers::NONE);
        assert_eq!(lookup(TABLE, &c), Some(TAct::Check));
    }

    #[test]
    fn the_table_offers_q_besides_esc() {
        assert!(hints(TABLE).any(|(l, a)| a == TAct::Quit && l.starts_with("q")));
        for map in [SERVICES, CONFIRM, HELP, CHOOSE] {
            let q = KeyEvent::new(Char('q'), KeyModifiers::NONE);
            assert!(lookup(map, &q).is_some());
        }
    }
}

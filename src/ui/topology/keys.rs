//! The editor's key maps. The status bar hints and the help overlay are
//! generated from these tables, and `update` looks keys up in them, so what
//! is shown is what works.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

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

/// One key: letters match whatever Shift state the terminal reports (the
/// letter's case says it); other keys match Shift exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct K {
    pub code: KeyCode,
    pub shift: bool,
    pub ctrl: bool,
}

const fn k(code: KeyCode) -> K {
    K {
        code,
        shift: false,
        ctrl: false,
    }
}

const fn shift(code: KeyCode) -> K {
    K {
        code,
        shift: true,
        ctrl: false,
    }
}

const fn ctrl(code: KeyCode) -> K {
    K {
        code,
        shift: false,
        ctrl: true,
    }
}

/// One line of a key map.
pub struct TBinding {
    /// How the keys are written in hints and help.
    pub label: &'static str,
    pub keys: &'static [K],
    pub act: TAct,
    /// Shown in the status bar (every binding is in the help).
    pub hint: bool,
}

const fn b(label: &'static str, keys: &'static [K], act: TAct, hint: bool) -> TBinding {
    TBinding {
        label,
        keys,
        act,
        hint,
    }
}

use KeyCode::{BackTab, Char, Down, Enter, Esc, Left, Right, Tab, Up};

/// The table of servers.
pub static TABLE: &[TBinding] = &[
    b("Up/k", &[k(Up), k(Char('k'))], TAct::Up, false),
    b("Down/j", &[k(Down), k(Char('j'))], TAct::Down, false),
    b("Left/h", &[k(Left), k(Char('h'))], TAct::Left, false),
    b("Right/l", &[k(Right), k(Char('l'))], TAct::Right, false),
    b("Tab", &[k(Tab)], TAct::NextCell, false),
    b("S-Tab", &[k(BackTab)], TAct::PrevCell, false),
    b("Enter", &[k(Enter)], TAct::Edit, true),
    b("Space", &[k(Char(' '))], TAct::Toggle, false),
    b("a", &[k(Char('a'))], TAct::Add, true),
    b("d", &[k(Char('d'))], TAct::Delete, true),
    b("S-Up/K", &[shift(Up), k(Char('K'))], TAct::MoveUp, true),
    b(
        "S-Down/J",
        &[shift(Down), k(Char('J'))],
        TAct::MoveDown,
        false,
    ),
    b("b", &[k(Char('b'))], TAct::Balance, false),
    b("c", &[k(Char('c'))], TAct::Check, false),
    b("s", &[k(Char('s'))], TAct::Save, true),
    b("x", &[k(Char('x'))], TAct::Export, true),
    b("?", &[k(Char('?'))], TAct::Help, true),
    b("q/Esc", &[k(Char('q')), k(Esc)], TAct::Quit, true),
    b("Ctrl-C", &[ctrl(Char('c'))], TAct::Quit, false),
];

/// While a cell is edited (other keys go to the field).
pub static EDIT: &[TBinding] = &[
    b("Enter", &[k(Enter)], TAct::Answer, true),
    b("Esc", &[k(Esc)], TAct::Close, true),
];

/// The services picker of a row.
pub static SERVICES: &[TBinding] = &[
    b("Up/k", &[k(Up), k(Char('k'))], TAct::Up, true),
    b("Down/j", &[k(Down), k(Char('j'))], TAct::Down, true),
    b("Space", &[k(Char(' '))], TAct::Toggle, true),
    b(
        "Enter/Esc/q",
        &[k(Enter), k(Esc), k(Char('q'))],
        TAct::Close,
        true,
    ),
];

/// A yes/no question (the highlighted answer starts at No).
pub static CONFIRM: &[TBinding] = &[
    b("y", &[k(Char('y'))], TAct::Yes, true),
    b(
        "n/Esc/q",
        &[k(Char('n')), k(Esc), k(Char('q'))],
        TAct::No,
        true,
    ),
    b(
        "Tab/Left/Right",
        &[k(Tab), k(Left), k(Right), k(BackTab)],
        TAct::Switch,
        true,
    ),
    b("Enter", &[k(Enter)], TAct::Answer, true),
];

/// The question "which environment?" when both have servers.
pub static CHOOSE: &[TBinding] = &[
    b("Up/k", &[k(Up), k(Char('k'))], TAct::Up, true),
    b("Down/j", &[k(Down), k(Char('j'))], TAct::Down, true),
    b("Tab", &[k(Tab), k(BackTab)], TAct::Switch, false),
    b("Enter", &[k(Enter)], TAct::Answer, true),
    b("q/Esc", &[k(Char('q')), k(Esc)], TAct::Quit, true),
    b("Ctrl-C", &[ctrl(Char('c'))], TAct::Quit, false),
];

/// The help overlay.
pub static HELP: &[TBinding] = &[
    b("Up/k", &[k(Up), k(Char('k'))], TAct::Up, true),
    b("Down/j", &[k(Down), k(Char('j'))], TAct::Down, true),
    b(
        "Esc/q/?",
        &[k(Esc), k(Char('q')), k(Char('?')), k(Enter)],
        TAct::Close,
        true,
    ),
];

/// The action bound to `key` in `map`, if any.
pub fn lookup(map: &[TBinding], key: &KeyEvent) -> Option<TAct> {
    if key.modifiers.contains(KeyModifiers::ALT) {
        return None;
    }
    let c = key.modifiers.contains(KeyModifiers::CONTROL);
    let s = key.modifiers.contains(KeyModifiers::SHIFT);
    map.iter()
        .find(|bd| {
            bd.keys.iter().any(|kk| {
                kk.code == key.code
                    && kk.ctrl == c
                    && (matches!(kk.code, Char(_) | BackTab) || kk.shift == s)
            })
        })
        .map(|bd| bd.act)
}

/// The status bar hints of a map.
pub fn hints(map: &[TBinding]) -> impl Iterator<Item = (&'static str, TAct)> {
    map.iter().filter(|bd| bd.hint).map(|bd| (bd.label, bd.act))
}

#[cfg(test)]
mod tests {
    use super::*;

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

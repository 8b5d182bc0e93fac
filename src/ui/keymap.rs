//! Key maps: one table per screen or pane. The status bar hints and the help
//! screen are generated from these tables, and `update` looks keys up in the
//! same tables, so what is shown is what works.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Quit,
    Help,
    Summary,
    NextPane,
    PrevPane,
    Left,
    Right,
    Up,
    Down,
    RunStage,
    RunStep,
    Detail,
    CancelStep,
    Manual,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Follow,
    Search,
    NextMatch,
    PrevMatch,
    Back,
    Topology,
    Detach,
}

/// One line of a key map; `A` is the screen's action type (the wizard and
/// the worksheet editor have their own).
pub struct Binding<A = Act> {
    /// How the keys are written in hints and help.
    pub label: &'static str,
    pub keys: &'static [KeyCode],
    /// The keys need Ctrl.
    pub ctrl: bool,
    /// The keys other than letters need Shift (a letter's case says it).
    /// Only the worksheet editor uses it; the other maps ignore Shift.
    pub shift: bool,
    pub act: A,
    /// Shown in the status bar (every binding is in the help).
    pub hint: bool,
}

const fn b(label: &'static str, keys: &'static [KeyCode], act: Act, hint: bool) -> Binding {
    Binding {
        label,
        keys,
        ctrl: false,
        shift: false,
        act,
        hint,
    }
}

use KeyCode::{BackTab, Char, Down, End, Enter, Esc, Home, Left, PageDown, PageUp, Right, Tab, Up};

/// Keys that work on every screen (after the screen's own map).
pub static GLOBAL: &[Binding] = &[
    b("q", &[Char('q')], Act::Quit, true),
    Binding {
        label: "Ctrl-C",
        keys: &[Char('c')],
        ctrl: true,
        shift: false,
        act: Act::Quit,
        hint: false,
    },
    b("?", &[Char('?')], Act::Help, true),
    b("s", &[Char('s')], Act::Summary, false),
    b("t", &[Char('t')], Act::Topology, false),
    b("c", &[Char('c')], Act::CancelStep, false),
    b("m", &[Char('m')], Act::Manual, false),
    b("d", &[Char('d')], Act::Detach, false),
];

pub static STAGES: &[Binding] = &[
    b("Left/h", &[Left, Char('h')], Act::Left, false),
    b("Right/l", &[Right, Char('l')], Act::Right, true),
    b("Enter/r", &[Enter, Char('r')], Act::RunStage, true),
    b("Tab", &[Tab], Act::NextPane, true),
    b("S-Tab", &[BackTab], Act::PrevPane, false),
    b("Down/j", &[Down, Char('j')], Act::NextPane, false),
];

pub static STEPS: &[Binding] = &[
    b("Up/k", &[Up, Char('k')], Act::Up, false),
    b("Down/j", &[Down, Char('j')], Act::Down, true),
    b("Enter/i", &[Enter, Char('i')], Act::Detail, true),
    b("r", &[Char('r')], Act::RunStep, true),
    b("Left/h", &[Left, Char('h')], Act::Left, false),
    b("Right/l", &[Right, Char('l')], Act::Right, false),
    b("Tab", &[Tab], Act::NextPane, true),
    b("S-Tab", &[BackTab], Act::PrevPane, false),
];

pub static LOG: &[Binding] = &[
    b("Up/k", &[Up, Char('k')], Act::Up, false),
    b("Down/j", &[Down, Char('j')], Act::Down, false),
    b("PgUp", &[PageUp], Act::PageUp, true),
    b("PgDn", &[PageDown], Act::PageDown, false),
    b("g/Home", &[Char('g'), Home], Act::Top, false),
    b("G/End", &[Char('G'), End], Act::Bottom, true),
    b("f", &[Char('f')], Act::Follow, true),
    b("/", &[Char('/')], Act::Search, true),
    b("n", &[Char('n')], Act::NextMatch, false),
    b("N", &[Char('N')], Act::PrevMatch, false),
    b("Tab", &[Tab], Act::NextPane, true),
    b("S-Tab", &[BackTab], Act::PrevPane, false),
];

pub static DETAIL: &[Binding] = &[
    b("Esc/Backspace", &[Esc, KeyCode::Backspace], Act::Back, true),
    b("Up/k", &[Up, Char('k')], Act::Up, false),
    b("Down/j", &[Down, Char('j')], Act::Down, false),
    b("PgUp", &[PageUp], Act::PageUp, true),
    b("PgDn", &[PageDown], Act::PageDown, true),
    b("g/Home", &[Char('g'), Home], Act::Top, false),
    b("G/End", &[Char('G'), End], Act::Bottom, false),
    b("/", &[Char('/')], Act::Search, true),
    b("n", &[Char('n')], Act::NextMatch, false),
    b("N", &[Char('N')], Act::PrevMatch, false),
    b("r", &[Char('r')], Act::RunStep, true),
];

pub static HELP: &[Binding] = &[
    b("Esc/Backspace", &[Esc, KeyCode::Backspace], Act::Back, true),
    b("Up/k", &[Up, Char('k')], Act::Up, true),
    b("Down/j", &[Down, Char('j')], Act::Down, true),
    b("PgUp", &[PageUp], Act::PageUp, false),
    b("PgDn", &[PageDown], Act::PageDown, false),
];

pub static SUMMARY: &[Binding] = &[
    b("Esc/Backspace", &[Esc, KeyCode::Backspace], Act::Back, true),
    b("Up/k", &[Up, Char('k')], Act::Up, false),
    b("Down/j", &[Down, Char('j')], Act::Down, false),
];

/// The action bound to `key` in `map`, if any.
pub fn lookup(map: &[Binding], key: &KeyEvent) -> Option<Act> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    if alt {
        return None;
    }
    map.iter()
        .find(|bd| bd.ctrl == ctrl && bd.keys.contains(&key.code))
        .map(|bd| bd.act)
}

/// Look `key` up in the screen's map, then in the global one.
pub fn lookup_with_global(map: &[Binding], key: &KeyEvent) -> Option<Act> {
    lookup(map, key).or_else(|| lookup(GLOBAL, key))
}

/// The status bar hints of a screen: its own hinted keys, then the global ones.
pub fn hints(map: &[Binding]) -> Vec<(&'static str, Act)> {
    map.iter()
        .chain(GLOBAL.iter())
        .filter(|bd| bd.hint)
        .map(|bd| (bd.label, bd.act))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifted_letters_and_ctrl_are_told_apart() {
        let g = KeyEvent::new(Char('G'), KeyModifiers::SHIFT);
        assert_eq!(lookup(LOG, &g), Some(Act::Bottom));
        let cc = KeyEvent::new(Char('c'), KeyModifiers::CONTROL);
        assert_eq!(lookup_with_global(LOG, &cc), Some(Act::Quit));
        let c = KeyEvent::new(Char('c'), KeyModifiers::NONE);
        assert_eq!(lookup_with_global(LOG, &c), Some(Act::CancelStep));
    }

    #[test]
    fn every_screen_offers_a_way_out_other_than_esc() {
        for map in [STAGES, STEPS, LOG, DETAIL, HELP, SUMMARY] {
            let h = hints(map);
            assert!(h.iter().any(|(l, a)| *a == Act::Quit && *l == "q"));
        }
    }
}

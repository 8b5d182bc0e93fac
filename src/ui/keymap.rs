//! The one key-binding type of every full-screen app, and the run view's
//! key maps.
//!
//! A [`Binding`] is one line of a key map: the keys, how they are written
//! in hints and help ([`Binding::label`]), what they do, and whether the
//! status bar shows them. [`Binding::matches`] and [`lookup`] decide, in
//! one place, which key event a binding takes: the run view, its dialogs,
//! the wizard and the worksheet editor all look keys up through them. The
//! status bar hints and the help screens are generated from the same
//! tables, so what is shown is what works.
//!
//! The run view's maps (one per screen or pane, and a global one) are
//! below; its dialogs' maps are with their keys in `update_dialog.rs`; the
//! wizard's and the editor's are in their folders.

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

/// One line of a key map; `A` is the screen's action type (the wizard, the
/// worksheet editor and the dialogs have their own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding<A = Act> {
    /// How the keys are written in hints and help.
    pub label: &'static str,
    pub keys: &'static [KeyCode],
    /// The keys need Ctrl.
    pub ctrl: bool,
    /// The keys other than letters need Shift (a letter's case says it).
    pub shift: bool,
    pub act: A,
    /// Shown in the status bar (every binding is in the help).
    pub hint: bool,
}

/// How well a key event fits a binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fit {
    No,
    /// Shift held on a key whose binding does not ask for it.
    Loose,
    Exact,
}

impl<A> Binding<A> {
    fn fit(&self, key: &KeyEvent) -> Fit {
        let m = key.modifiers;
        if m.contains(KeyModifiers::ALT)
            || m.contains(KeyModifiers::CONTROL) != self.ctrl
            || !self.keys.contains(&key.code)
        {
            return Fit::No;
        }
        // A letter's case and Shift-Tab carry Shift in the key itself,
        // whatever modifier the terminal reports with them.
        let held = m.contains(KeyModifiers::SHIFT);
        if matches!(key.code, KeyCode::Char(_) | KeyCode::BackTab) || held == self.shift {
            Fit::Exact
        } else if held {
            Fit::Loose
        } else {
            Fit::No
        }
    }

    /// Whether `key` does what this binding says. Alt never matches (menus
    /// and AltGr characters are not commands); Ctrl must be held exactly
    /// when the binding says; a binding that needs Shift needs it held,
    /// and one that does not also takes the key with Shift, unless another
    /// binding of the map asks for Shift (see [`lookup`]).
    pub fn matches(&self, key: &KeyEvent) -> bool {
        self.fit(key) != Fit::No
    }
}

/// A binding of the keys `keys`, without modifiers.
pub const fn key<A>(
    label: &'static str,
    keys: &'static [KeyCode],
    act: A,
    hint: bool,
) -> Binding<A> {
    Binding {
        label,
        keys,
        ctrl: false,
        shift: false,
        act,
        hint,
    }
}

/// A binding of the keys `keys` held with Ctrl.
pub const fn ctrl<A>(
    label: &'static str,
    keys: &'static [KeyCode],
    act: A,
    hint: bool,
) -> Binding<A> {
    let mut bd = key(label, keys, act, hint);
    bd.ctrl = true;
    bd
}

/// A binding of the keys `keys` held with Shift (letters in it match by
/// their case).
pub const fn shift<A>(
    label: &'static str,
    keys: &'static [KeyCode],
    act: A,
    hint: bool,
) -> Binding<A> {
    let mut bd = key(label, keys, act, hint);
    bd.shift = true;
    bd
}

/// The binding of `map` that takes `key`: the first that fits it exactly,
/// else the first that takes it with Shift held.
pub fn find<'a, A: 'a>(
    map: impl IntoIterator<Item = &'a Binding<A>>,
    key: &KeyEvent,
) -> Option<&'a Binding<A>> {
    let mut loose = None;
    for bd in map {
        match bd.fit(key) {
            Fit::Exact => return Some(bd),
            Fit::Loose if loose.is_none() => loose = Some(bd),
            _ => {}
        }
    }
    loose
}

/// The action bound to `key` in `map`, if any (see [`find`]).
pub fn lookup<'a, A: Copy + 'a>(
    map: impl IntoIterator<Item = &'a Binding<A>>,
    key: &KeyEvent,
) -> Option<A> {
    find(map, key).map(|bd| bd.act)
}

const fn b(label: &'static str, keys: &'static [KeyCode], act: Act, hint: bool) -> Binding {
    key(label, keys, act, hint)
}

use KeyCode::{BackTab, Char, Down, End, Enter, Esc, Home, Left, PageDown, PageUp, Right, Tab, Up};

/// Keys that work on every screen (after the screen's own map).
pub static GLOBAL: &[Binding] = &[
    b("q", &[Char('q')], Act::Quit, true),
    ctrl("Ctrl-C", &[Char('c')], Act::Quit, false),
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
    fn shift_is_exact_where_a_map_asks_for_it_and_loose_elsewhere() {
        static MAP: &[Binding<u8>] = &[
            key("Up", &[Up], 1, false),
            shift("S-Up", &[Up], 2, false),
            key("Down", &[Down], 3, false),
            ctrl("Ctrl-C", &[Char('c')], 4, false),
        ];
        let k = |code, m| KeyEvent::new(code, m);
        assert_eq!(lookup(MAP, &k(Up, KeyModifiers::NONE)), Some(1));
        assert_eq!(lookup(MAP, &k(Up, KeyModifiers::SHIFT)), Some(2));
        assert_eq!(lookup(MAP, &k(Down, KeyModifiers::SHIFT)), Some(3));
        assert_eq!(lookup(MAP, &k(Up, KeyModifiers::ALT)), None);
        assert_eq!(lookup(MAP, &k(Char('c'), KeyModifiers::NONE)), None);
        let cc = k(Char('c'), KeyModifiers::CONTROL);
        assert_eq!(lookup(MAP, &cc), Some(4));
        assert!(MAP[3].matches(&cc) && !MAP[0].matches(&cc));
    }

    #[test]
    fn every_screen_offers_a_way_out_other_than_esc() {
        for map in [STAGES, STEPS, LOG, DETAIL, HELP, SUMMARY] {
            let h = hints(map);
            assert!(h.iter().any(|(l, a)| *a == Act::Quit && *l == "q"));
        }
    }
}

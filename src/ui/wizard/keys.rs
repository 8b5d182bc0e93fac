//! The wizard's key maps, in the one binding type of the full-screen apps
//! ([`crate::ui::keymap::Binding`]). The status bar hints are generated
//! from these tables and `update` looks keys up in them, so what is shown
//! is what works.

use crossterm::event::{KeyCode, KeyEvent};

use crate::ui::keymap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    NextPage,
    PrevPage,
    NextField,
    PrevField,
    Change,
    Test,
    Add,
    Modify,
    Delete,
    Up,
    Down,
    /// Scroll the summary's answers, or the list of keys.
    ScrollUp,
    ScrollDown,
    /// Show the list of keys.
    Help,
    Save,
    Cancel,
    Quit,
    Yes,
    No,
    /// Switch the highlighted answer of a question.
    Switch,
    /// Give the highlighted answer (No when the question opens).
    Answer,
}

/// The main interface's key-map line, with the wizard's actions.
pub type Binding = crate::ui::keymap::Binding<Act>;

use keymap::{ctrl as c, key as b};

use KeyCode::{
    BackTab, Char, Delete, Down, Enter, Esc, F, Insert, Left, PageDown, PageUp, Right, Tab, Up,
};

/// Where the keys are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ctx {
    Form,
    SqlForm,
    Companies,
    Editor,
    Summary,
    Confirm,
    /// The list of keys.
    Help,
}

static FORM: &[Binding] = &[
    b("Tab", &[Tab, Down], Act::NextField, true),
    b("S-Tab", &[BackTab, Up], Act::PrevField, false),
    b("Space", &[], Act::Change, true),
    b("PgDn", &[PageDown], Act::NextPage, true),
    c("Ctrl-N", &[Char('n')], Act::NextPage, false),
    b("PgUp", &[PageUp], Act::PrevPage, true),
    c("Ctrl-P", &[Char('p')], Act::PrevPage, false),
    b("Esc", &[Esc], Act::Quit, true),
    c("Ctrl-C", &[Char('c')], Act::Quit, false),
    b("F1", &[F(1)], Act::Help, true),
];

static SQL: &[Binding] = &[c("Ctrl-T", &[Char('t')], Act::Test, true)];

static COMPANIES: &[Binding] = &[
    b("a", &[Char('a'), Insert], Act::Add, true),
    b("Enter", &[Enter, Char('e')], Act::Modify, true),
    b("d", &[Char('d'), Delete], Act::Delete, true),
    b("Up/k", &[Up, Char('k')], Act::Up, false),
    b("Down/j", &[Down, Char('j')], Act::Down, false),
    b("PgDn", &[PageDown], Act::NextPage, true),
    c("Ctrl-N", &[Char('n')], Act::NextPage, false),
    b("PgUp", &[PageUp], Act::PrevPage, true),
    c("Ctrl-P", &[Char('p')], Act::PrevPage, false),
    b("Esc", &[Esc], Act::Quit, true),
    c("Ctrl-C", &[Char('c')], Act::Quit, false),
    b("?/F1", &[Char('?'), F(1)], Act::Help, true),
];

static EDITOR: &[Binding] = &[
    b("Tab", &[Tab, Down], Act::NextField, true),
    b("S-Tab", &[BackTab, Up], Act::PrevField, false),
    b("Space", &[], Act::Change, true),
    c("Ctrl-S", &[Char('s')], Act::Save, true),
    b("Esc", &[Esc], Act::Cancel, true),
    c("Ctrl-C", &[Char('c')], Act::Cancel, false),
    b("F1", &[F(1)], Act::Help, true),
];

static SUMMARY: &[Binding] = &[
    b("Enter", &[Enter], Act::Save, true),
    b("Up/Down", &[Down, Char('j')], Act::ScrollDown, true),
    b("Up", &[Up, Char('k')], Act::ScrollUp, false),
    c("Ctrl-S", &[Char('s')], Act::Save, false),
    b("PgUp", &[PageUp], Act::PrevPage, true),
    c("Ctrl-P", &[Char('p')], Act::PrevPage, false),
    b("Esc", &[Esc], Act::Quit, true),
    c("Ctrl-C", &[Char('c')], Act::Quit, false),
    b("?/F1", &[Char('?'), F(1)], Act::Help, true),
];

/// A question: the highlighted answer starts at No, Esc answers No.
static CONFIRM: &[Binding] = &[
    b("y", &[Char('y'), Char('Y')], Act::Yes, true),
    b("n/Esc", &[Char('n'), Char('N'), Esc], Act::No, true),
    c("Ctrl-C", &[Char('c')], Act::No, false),
    b(
        "Tab/Left/Right",
        &[Tab, BackTab, Left, Right],
        Act::Switch,
        true,
    ),
    b("Enter", &[Enter], Act::Answer, true),
];

static HELP: &[Binding] = &[
    b("Up/k", &[Up, Char('k')], Act::ScrollUp, true),
    b("Down/j", &[Down, Char('j')], Act::ScrollDown, true),
    b(
        "Esc/q/?/F1",
        &[Esc, Char('q'), Char('?'), F(1), Enter],
        Act::Cancel,
        true,
    ),
    c("Ctrl-C", &[Char('c')], Act::Cancel, false),
];

/// Every map with the heading index of its help section, in the order the
/// help lists them.
pub fn sections() -> [&'static [Binding]; 7] {
    [FORM, SQL, COMPANIES, EDITOR, SUMMARY, CONFIRM, HELP]
}

pub fn table(ctx: Ctx) -> Vec<&'static Binding> {
    let mut v: Vec<&Binding> = Vec::new();
    if ctx == Ctx::SqlForm {
        v.extend(SQL.iter());
    }
    let t = match ctx {
        Ctx::Form | Ctx::SqlForm => FORM,
        Ctx::Companies => COMPANIES,
        Ctx::Editor => EDITOR,
        Ctx::Summary => SUMMARY,
        Ctx::Confirm => CONFIRM,
        Ctx::Help => HELP,
    };
    v.extend(t.iter());
    v
}

pub fn lookup(ctx: Ctx, k: &KeyEvent) -> Option<Act> {
    keymap::lookup(table(ctx), k)
}

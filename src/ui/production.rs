//! Production in the interface: what the gate says (the same reason and fix
//! as the command line), what a production run relies on, and the
//! confirmation that names it and asks for the installation name typed.

use crossterm::event::{Event as TermEvent, KeyEvent};
use ratatui::text::{Line, Span};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::App;
use super::app::{Ask, Dialog};
use super::strings::{fill, s};
use super::update_dialog::{DialogAct, PRODUCTION};

/// What the command opening the interface learnt from the gate.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProductionInfo {
    /// The installation name the operator types to confirm.
    pub installation: String,
    /// The rehearsal and the backups production relies on, one line each.
    pub relies: Vec<String>,
    /// Why production is locked, with the fix (the gate's own words).
    pub locked_why: Option<String>,
}

/// The production confirmation: names what the run relies on, asks for the
/// installation name.
#[derive(Debug)]
pub struct Confirm {
    pub ask: Ask,
    pub typed: Input,
    /// The name typed did not match: say so.
    pub warn: bool,
}

/// Whether the interface works on production.
pub fn is_production(app: &App) -> bool {
    app.env == crate::model::EnvKind::Production.as_str()
}

/// The notice for a locked stage: the gate's reason and fix when known.
pub fn locked_notice(app: &App, stage: &str) -> String {
    let why = app
        .production
        .locked_why
        .clone()
        .unwrap_or_else(|| s().locked_default.to_string());
    fill(s().notice_locked, &[&stage, &why])
}

/// The dialog for running `ask` (a production stage or step that changes
/// something).
pub fn confirm(ask: Ask) -> Dialog {
    Dialog::ConfirmProduction(Confirm {
        ask,
        typed: Input::default(),
        warn: false,
    })
}

/// What a key does to the confirmation.
pub enum Answer {
    Run(Ask),
    Close,
    Stay(Confirm),
}

/// A key in the confirmation: run once the installation name is typed.
pub fn key(app: &App, mut c: Confirm, k: KeyEvent) -> Answer {
    match crate::ui::keymap::lookup(PRODUCTION, &k) {
        Some(DialogAct::Close) => Answer::Close,
        Some(DialogAct::Answer) => {
            let want = app.production.installation.trim();
            if !want.is_empty() && c.typed.value().trim() == want {
                Answer::Run(c.ask)
            } else {
                c.warn = true;
                Answer::Stay(c)
            }
        }
        _ => {
            c.typed.handle_event(&TermEvent::Key(k));
            c.warn = false;
            Answer::Stay(c)
        }
    }
}

/// The title and lines of the confirmation.
pub fn lines<'a>(app: &App, c: &Confirm) -> (&'static str, Vec<Line<'a>>) {
    let t = s();
    let what = match &c.ask {
        Ask::RunStep(r) => fill(t.production_what_step, &[r]),
        Ask::RunStage(id) => {
            let title = app
                .stages
                .iter()
                .find(|s| &s.id == id)
                .map_or(id.as_str(), |s| s.title.as_str());
            fill(t.production_what_stage, &[&title])
        }
        Ask::Cancel | Ask::Quit => String::new(),
    };
    let warn = app.theme.get("dialog.warning");
    let mut v = vec![
        Line::styled(fill(t.production_question, &[&what]), warn),
        Line::raw(t.production_relies),
    ];
    if app.production.relies.is_empty() {
        v.push(Line::raw(format!("  {}", t.production_relies_none)));
    }
    for r in &app.production.relies {
        v.push(Line::raw(format!("  - {r}")));
    }
    v.push(Line::raw(""));
    v.push(Line::from(vec![
        Span::raw(fill(t.production_type, &[&app.production.installation])),
        Span::styled(
            format!("{}_", c.typed.value()),
            app.theme.get("dialog.selected"),
        ),
    ]));
    if c.warn {
        v.push(Line::styled(
            fill(t.production_mismatch, &[&app.production.installation]),
            warn,
        ));
    }
    (t.production_title, v)
}

//! `dress topology`: the full-screen table editor of the multiserver
//! worksheet (one row per server of an environment), with live validation,
//! the derived load-balancing settings, saving into the plan and exports.
//!
//! TEA like the main interface: [`update::update`] changes the
//! [`state::Editor`], [`render::render`] draws it, and the work outside the
//! model (files, SQL) is done by [`effects::perform`]. The editor is an
//! [`EditorScreen`] of the one loop of the full-screen apps
//! ([`crate::ui::screen`]): the same terminal set-up and hang-up watch as
//! the run view and the wizard. A lost terminal ends it without saving, as
//! [`EditorExit::TerminalLost`] (exit code 6 for `dress topology`).

pub mod effects;
pub mod envs;
pub mod export;
pub mod keys;
pub mod overlays;
mod panels;
pub mod render;
pub mod state;
pub mod update;

use std::path::Path;
use std::sync::mpsc::{Sender, channel};

use anyhow::Context;
use ratatui::backend::Backend;
use ratatui::{Frame, Terminal};

use crate::model::plan::EnvKind;
use crate::ui::UiOptions;
use crate::ui::screen::{self, End, Flow, Input, Screen};
use crate::ui::terminal::TermInput;
use export::{Format, Sheet};
use state::Editor;
use update::{Msg, update};

/// How the editor ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditorExit {
    /// The user quit (after saving, or agreeing to lose the changes).
    Quit,
    /// The terminal went away. Nothing is saved behind the user's back:
    /// `unsaved` says whether changes since the last save were lost.
    TerminalLost { unsaved: bool },
}

/// Open the editor on `env` of the plan at `path`, full screen, until the
/// user quits or the terminal is lost. Blocks.
pub fn run_editor(path: &Path, env: EnvKind, opts: &UiOptions) -> anyhow::Result<EditorExit> {
    open_editor(path, Some(env), opts)
}

/// Open the editor on `env`, or without it on the environment that has
/// servers (asking which when both have some). Blocks.
pub fn open_editor(
    path: &Path,
    env: Option<EnvKind>,
    opts: &UiOptions,
) -> anyhow::Result<EditorExit> {
    let source = std::fs::read_to_string(path).with_context(|| {
        crate::tr_fmt!(
            "{}: cannot read the plan",
            "{} : impossible de lire le plan",
            path.display()
        )
    })?;
    let mut ed = Editor::open(
        path.to_path_buf(),
        env,
        source,
        opts.theme.clone(),
        opts.ascii,
    )
    .map_err(anyhow::Error::msg)?;
    let (tx, rx) = channel();
    let mut screen = EditorScreen {
        ed: &mut ed,
        tx: tx.clone(),
    };
    let end = screen::run(&mut screen, tx, rx).context(crate::model::lang::tr(
        "cannot open the full-screen interface",
        "impossible d'ouvrir l'interface plein écran",
    ))?;
    Ok(ended(&ed, end))
}

/// The editor on an open terminal reading `input`: what [`open_editor`]
/// does once the terminal is open, on any backend (tests lose a terminal
/// through it).
pub fn run_on<B: Backend>(
    term: &mut Terminal<B>,
    ed: &mut Editor,
    input: impl TermInput,
) -> EditorExit {
    let (tx, rx) = channel();
    let mut screen = EditorScreen { ed, tx: tx.clone() };
    let end = screen::run_on(term, &mut screen, input, tx, rx);
    ended(ed, end)
}

fn ended(ed: &Editor, end: End<()>) -> EditorExit {
    match end {
        End::Exit(()) => EditorExit::Quit,
        End::Lost(why) => {
            tracing::warn!(
                "the worksheet editor lost its terminal ({why}); unsaved changes: {}",
                ed.dirty
            );
            EditorExit::TerminalLost { unsaved: ed.dirty }
        }
    }
}

/// The editor as a screen of the one loop: keys change the [`Editor`],
/// its effects run here, and the live SQL check sends its answer into the
/// loop.
pub struct EditorScreen<'a> {
    pub ed: &'a mut Editor,
    pub tx: Sender<Input<Msg>>,
}

impl Screen for EditorScreen<'_> {
    /// `Msg::SqlChecked`, from the live SQL check.
    type Event = Msg;
    type Exit = ();

    fn draw(&self, f: &mut Frame) {
        render::render(self.ed, f);
    }

    fn on_input(&mut self, input: Input<Msg>) -> Flow<()> {
        let msg = match input {
            Input::Key(k) => Msg::Key(k),
            Input::Event(m) => m,
            Input::Resize(..) => return Flow::Redraw,
            Input::Gone(_) => return Flow::Same,
        };
        let out = update(self.ed, msg);
        if let Some(e) = out.effect {
            let tx = self.tx.clone();
            effects::perform_with(self.ed, e, move |r| {
                let _ = tx.send(Input::Event(Msg::SqlChecked(r)));
            });
        }
        if out.quit {
            Flow::Exit(())
        } else if out.redraw {
            Flow::Redraw
        } else {
            Flow::Same
        }
    }
}

/// The plan's text, or why it cannot be read.
fn read_plan(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| {
        crate::tr_fmt!(
            "{}: cannot read the plan: {}",
            "{} : impossible de lire le plan : {}",
            path.display(),
            crate::model::lang_fmt::io_error(&e)
        )
    })
}

/// The export of `env` of the plan at `path` in `format`, without a screen.
pub fn export_plan(path: &Path, env: EnvKind, format: Format) -> Result<String, String> {
    let source = read_plan(path)?;
    let theme = crate::ui::Theme::resolve(None, None).map_err(|e| e.to_string())?;
    let ed = Editor::new(path.to_path_buf(), env, source, theme, true)?;
    let settings = ed.settings();
    let title = effects::sheet_title(&ed);
    export::export(
        &Sheet {
            title: &title,
            env,
            rows: &ed.rows,
            settings: &settings,
            database: ed.sql.as_ref().map(|s| s.database.as_str()),
        },
        format,
    )
}

/// The environment an export without `--env` is of: the one that has
/// servers; when both have some, the user must say which.
pub fn export_env(path: &Path) -> Result<EnvKind, String> {
    let source = read_plan(path)?;
    let plan: crate::model::Plan = toml::from_str(&source).map_err(|e| {
        crate::tr_fmt!(
            "{}: the plan cannot be read: {} — fix it (dress plan validate {} shows every problem)",
            "{} : le plan ne peut pas être lu : {} — corrigez-le (dress plan validate {} montre chaque problème)",
            path.display(),
            e.message(),
            path.display()
        )
    })?;
    match envs::pick(&plan) {
        envs::EnvPick::Open(env) => Ok(env),
        envs::EnvPick::Ask => Err(crate::tr_fmt!(
            "{}: both environments list servers — choose one with --env test or --env production",
            "{} : les deux environnements listent des serveurs — choisissez-en un avec --env test ou --env production",
            path.display()
        )),
    }
}

/// `dress topology FILE [--env E] [--export md|csv|sql]`: the exit code.
pub fn command(
    file: &Path,
    env: Option<EnvKind>,
    export: Option<&str>,
    theme: Option<&str>,
    ascii: bool,
) -> i32 {
    if let Some(fmt) = export {
        let res = fmt.parse::<Format>().and_then(|f| {
            let env = match env {
                Some(e) => e,
                None => export_env(file)?,
            };
            export_plan(file, env, f)
        });
        return match res {
            Ok(text) => {
                print!("{text}");
                0
            }
            Err(e) => {
                eprintln!("dress: {e}");
                2
            }
        };
    }
    let res = UiOptions::from_cli(theme, ascii).and_then(|o| open_editor(file, env, &o));
    // Written without `eprintln!`, which panics when the terminal is gone.
    let say = |text: String| {
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "dress: {text}");
    };
    match res {
        Ok(EditorExit::Quit) => 0,
        Ok(EditorExit::TerminalLost { unsaved }) => {
            say(if unsaved {
                crate::tr_fmt!(
                    "the terminal was lost: the changes since the last save were not saved into {}",
                    "le terminal a été perdu : les modifications depuis le dernier enregistrement ne sont pas enregistrées dans {}",
                    file.display()
                )
            } else {
                crate::model::lang::tr(
                    "the terminal was lost; nothing was left unsaved",
                    "le terminal a été perdu ; rien n'est resté non enregistré",
                )
                .to_string()
            });
            crate::error::exit::TERMINAL
        }
        Err(e) => {
            say(format!("{e:#}"));
            2
        }
    }
}

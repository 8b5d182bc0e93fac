//! `dress topology`: the full-screen table editor of the multiserver
//! worksheet (one row per server of an environment), with live validation,
//! the derived load-balancing settings, saving into the plan and exports.
//!
//! TEA like the main interface: [`update::update`] changes the
//! [`state::Editor`], [`render::render`] draws it, and the work outside the
//! model (files, SQL) is done by [`effects::perform`].

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
use std::sync::mpsc::channel;
use std::time::Duration;

use anyhow::Context;
use crossterm::event::{self as term, Event as TermEvent};
use ratatui::Terminal;
use ratatui::backend::Backend;

use crate::model::plan::EnvKind;
use crate::ui::UiOptions;
use export::{Format, Sheet};
use state::Editor;
use update::{Msg, update};

/// Open the editor on `env` of the plan at `path`, full screen, until the
/// user quits. Blocks.
pub fn run_editor(path: &Path, env: EnvKind, opts: &UiOptions) -> anyhow::Result<()> {
    open_editor(path, Some(env), opts)
}

/// Open the editor on `env`, or without it on the environment that has
/// servers (asking which when both have some). Blocks.
pub fn open_editor(path: &Path, env: Option<EnvKind>, opts: &UiOptions) -> anyhow::Result<()> {
    let source = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read the plan", path.display()))?;
    let mut ed = Editor::open(
        path.to_path_buf(),
        env,
        source,
        opts.theme.clone(),
        opts.ascii,
    )
    .map_err(anyhow::Error::msg)?;
    let mut terminal = ratatui::try_init().context("cannot open the full-screen interface")?;
    let res = editor_loop(&mut terminal, &mut ed);
    ratatui::restore();
    res
}

/// The editor's event loop on an open terminal: redraws after each change,
/// reads keys, performs effects. Returns when the user quits.
pub fn editor_loop<B: Backend>(terminal: &mut Terminal<B>, ed: &mut Editor) -> anyhow::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    let (tx, rx) = channel();
    let mut dirty = true;
    loop {
        if dirty {
            terminal.draw(|f| render::render(ed, f))?;
            dirty = false;
        }
        if let Ok(r) = rx.try_recv() {
            dirty |= update(ed, Msg::SqlChecked(r)).redraw;
        }
        if !term::poll(Duration::from_millis(100)).context("terminal input failed")? {
            continue;
        }
        match term::read().context("terminal input failed")? {
            TermEvent::Key(k) => {
                let out = update(ed, Msg::Key(k));
                if let Some(e) = out.effect {
                    effects::perform(ed, e, &tx);
                }
                if out.quit {
                    return Ok(());
                }
                dirty |= out.redraw;
            }
            TermEvent::Resize(..) => dirty = true,
            _ => {}
        }
    }
}

/// The export of `env` of the plan at `path` in `format`, without a screen.
pub fn export_plan(path: &Path, env: EnvKind, format: Format) -> Result<String, String> {
    let source = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read the plan: {e}", path.display()))?;
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
    let source = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read the plan: {e}", path.display()))?;
    let plan: crate::model::Plan = toml::from_str(&source).map_err(|e| {
        format!(
            "{}: the plan cannot be read: {} — fix it (dress plan validate {} shows every problem)",
            path.display(),
            e.message(),
            path.display()
        )
    })?;
    match envs::pick(&plan) {
        envs::EnvPick::Open(env) => Ok(env),
        envs::EnvPick::Ask => Err(format!(
            "{}: both environments list servers — choose one with --env test or --env production",
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
    match res {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("dress: {e:#}");
            2
        }
    }
}

//! `dress new [FILE]`: the full-screen wizard that writes a plan (answer
//! file), page by page: company and licence key, installation name, SQL
//! Server (with a live connection test), options, environments,
//! integration companies, summary. Each field shows its errors as it is
//! typed, with the messages of `model::validate`; Next is refused while a
//! page has errors; nothing is written before the summary.
//!
//! Same TEA shape as the main interface: [`update::Msg`] ->
//! [`update::update`] -> pure [`render::render`].

mod answers;
pub mod companies;
pub mod fields;
mod help;
pub mod keys;
mod prefill;
pub mod render;
pub mod save;
pub mod sqltest;
pub mod state;
mod summary;
pub mod update;

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use anyhow::Context;

pub use render::render;
pub use state::Wizard;
pub use update::{Msg, Out, update};

use super::UiOptions;
use super::terminal::{Input, Restore, enter, spawn_input_reader};

/// How the wizard ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WizardExit {
    Saved(PathBuf),
    /// Left after answers were typed (and the loss confirmed).
    Quit,
    /// Left with nothing typed or changed.
    Unchanged,
}

/// Open the wizard on `path` (prefilled when the file exists) and run it
/// until the plan is saved or the user quits.
pub fn run_wizard(path: PathBuf, opts: UiOptions) -> anyhow::Result<WizardExit> {
    let existing = match std::fs::read_to_string(&path) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            return Err(e).with_context(|| format!("{}: cannot be read", path.display()));
        }
    };
    let mut wz =
        Wizard::open(path, existing, opts.theme, opts.ascii).map_err(anyhow::Error::msg)?;
    let (tx, rx) = channel();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut terminal = enter()?;
    let _restore = Restore;
    let _reader = spawn_input_reader(tx, stop.clone());
    let res = drive(&mut terminal, &mut wz, &rx);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    res?;
    Ok(if wz.saved {
        WizardExit::Saved(wz.path.clone())
    } else if wz.changed() {
        WizardExit::Quit
    } else {
        WizardExit::Unchanged
    })
}

fn drive(
    terminal: &mut ratatui::DefaultTerminal,
    wz: &mut Wizard,
    rx: &Receiver<Input>,
) -> anyhow::Result<()> {
    let (test_tx, test_rx) = channel();
    let mut testing = false;
    let mut dirty = true;
    loop {
        if dirty {
            terminal
                .draw(|f| render(wz, f))
                .context("cannot draw on the terminal")?;
            dirty = false;
        }
        // Wait for a key; while a connection test runs, look at its result
        // every 100 ms too.
        let input = if testing {
            match rx.recv_timeout(Duration::from_millis(100)) {
                Ok(i) => Some(i),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            }
        } else {
            match rx.recv() {
                Ok(i) => Some(i),
                Err(_) => return Ok(()),
            }
        };
        let msg = match input {
            Some(Input::TermGone(_)) => return Ok(()),
            Some(Input::Msg(super::update::Msg::Key(k))) => Some(Msg::Key(k)),
            Some(Input::Msg(super::update::Msg::Resize(w, h))) => Some(Msg::Resize(w, h)),
            Some(Input::Msg(_)) => None,
            None => test_rx.try_recv().ok().map(|lines| {
                testing = false;
                Msg::Tested(lines)
            }),
        };
        let Some(msg) = msg else { continue };
        let out = update(wz, msg);
        dirty |= out.redraw;
        if let Some((conn, password)) = out.test {
            testing = true;
            let tx = test_tx.clone();
            std::thread::spawn(move || {
                let lines = match tokio::runtime::Runtime::new() {
                    Ok(rt) => rt.block_on(sqltest::run(&conn, &password)),
                    Err(e) => vec![sqltest::TestLine {
                        check: "sql.connect",
                        ok: false,
                        text: format!("cannot start the connection test: {e}"),
                    }],
                };
                let _ = tx.send(lines);
            });
        }
        if out.exit {
            return Ok(());
        }
    }
}

/// `dress new [FILE]`: exit code 0 when saved or left with nothing
/// changed, 1 when answers typed were given up.
pub fn run_cli(file: Option<PathBuf>, g: &crate::cli::Global) -> Result<i32, crate::error::Error> {
    let bad = |e: anyhow::Error| crate::error::Error::BadInput(format!("{e:#}"));
    let opts = UiOptions::from_cli(g.theme.as_deref(), g.ascii).map_err(bad)?;
    let path = file.unwrap_or_else(|| PathBuf::from("plan.toml"));
    match run_wizard(path, opts).map_err(bad)? {
        WizardExit::Saved(p) => {
            println!(
                "{}: saved; check it with `dress plan validate`",
                p.display()
            );
            Ok(0)
        }
        WizardExit::Quit => {
            println!("nothing was saved");
            Ok(1)
        }
        WizardExit::Unchanged => {
            println!("nothing was changed, nothing was saved");
            Ok(0)
        }
    }
}

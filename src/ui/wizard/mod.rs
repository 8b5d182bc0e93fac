//! `dress new [FILE]`: the full-screen wizard that writes a plan (answer
//! file), page by page: company and licence key, installation name, SQL
//! Server (with a live connection test), options, environments,
//! integration companies, summary. Each field shows its errors as it is
//! typed, with the messages of `model::validate`; Next is refused while a
//! page has errors; nothing is written before the summary.
//!
//! Same TEA shape as the main interface: [`update::Msg`] ->
//! [`update::update`] -> pure [`render::render`], driven as a
//! [`WizardScreen`] by the one loop of the full-screen apps
//! ([`crate::ui::screen`]).

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
use std::sync::mpsc::{Sender, channel};

use anyhow::Context;

use crate::model::lang::tr;
use ratatui::Frame;

pub use render::render;
pub use state::Wizard;
pub use update::{Msg, Out, update};

use super::UiOptions;
use super::screen::{self, End, Flow, Input, Screen};

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
/// until the plan is saved or the user quits. A lost terminal ends it as
/// if the user had left.
pub fn run_wizard(path: PathBuf, opts: UiOptions) -> anyhow::Result<WizardExit> {
    let existing = match std::fs::read_to_string(&path) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            return Err(e).with_context(|| {
                crate::tr_fmt!("{}: cannot be read", "{} : illisible", path.display())
            });
        }
    };
    let mut wz =
        Wizard::open(path, existing, opts.theme, opts.ascii).map_err(anyhow::Error::msg)?;
    let (tx, rx) = channel();
    let mut screen = WizardScreen {
        wz: &mut wz,
        tx: tx.clone(),
    };
    if let End::Lost(why) = screen::run(&mut screen, tx, rx)? {
        tracing::warn!("the wizard lost its terminal: {why}");
    }
    Ok(if wz.saved {
        WizardExit::Saved(wz.path.clone())
    } else if wz.changed() {
        WizardExit::Quit
    } else {
        WizardExit::Unchanged
    })
}

/// The wizard as a screen of the one loop; the connection test runs on its
/// own thread and sends its result into the loop.
pub struct WizardScreen<'a> {
    pub wz: &'a mut Wizard,
    pub tx: Sender<Input<Msg>>,
}

impl Screen for WizardScreen<'_> {
    /// `Msg::Tested`, from the connection test.
    type Event = Msg;
    type Exit = ();

    fn draw(&self, f: &mut Frame) {
        render(self.wz, f);
    }

    fn on_input(&mut self, input: Input<Msg>) -> Flow<()> {
        let msg = match input {
            Input::Key(k) => Msg::Key(k),
            Input::Resize(w, h) => Msg::Resize(w, h),
            Input::Event(m) => m,
            Input::Gone(_) => return Flow::Same,
        };
        let out = update(self.wz, msg);
        if let Some((conn, password)) = out.test {
            let tx = self.tx.clone();
            std::thread::spawn(move || {
                let lines = match tokio::runtime::Runtime::new() {
                    Ok(rt) => rt.block_on(sqltest::run(&conn, &password)),
                    Err(e) => vec![sqltest::TestLine {
                        check: "sql.connect",
                        ok: false,
                        text: crate::tr_fmt!(
                            "cannot start the connection test: {}",
                            "impossible de lancer le test de connexion : {}",
                            e
                        ),
                    }],
                };
                let _ = tx.send(Input::Event(Msg::Tested(lines)));
            });
        }
        if out.exit {
            Flow::Exit(())
        } else if out.redraw {
            Flow::Redraw
        } else {
            Flow::Same
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
                "{}",
                crate::tr_fmt!(
                    "{}: saved; check it with `dress plan validate`",
                    "{} : enregistré ; vérifiez-le avec `dress plan validate`",
                    p.display()
                )
            );
            Ok(0)
        }
        WizardExit::Quit => {
            println!("{}", tr("nothing was saved", "rien n'a été enregistré"));
            Ok(1)
        }
        WizardExit::Unchanged => {
            println!(
                "{}",
                tr(
                    "nothing was changed, nothing was saved",
                    "rien n'a été modifié, rien n'a été enregistré"
                )
            );
            Ok(0)
        }
    }
}

//! The front door: the command line and one file per command. This is the
//! only layer that wires the plan (`model`), the checklist (`recipe`), the
//! engine, the reports and the interface together.
//!
//! - `args`: the clap definitions (what `--help` prints).
//! - `session`: opens a run once, for `dress run` and for the interface's
//!   background engine (plan, stages, fingerprint, gate, lock, engine).
//! - `run`: `dress run`, headless; `attach`: the interface on a run and its
//!   background engine; `plan`: `dress plan validate|show`; `runs`: `dress
//!   runs` and `dress report`; `launch`: starting a process apart from the
//!   terminal.

pub mod args;
pub mod attach;
pub mod help_fr;
pub mod launch;
pub mod plan;
pub mod prompt;
pub mod relies;
pub mod run;
pub mod runs;
pub mod session;

pub use args::*;

use crate::error::Error;

/// Takes the plan's `[deployment] language` (read even from a plan with
/// errors) before anything is said about it, unless the operator chose one:
/// the editors and `dress plan` speak the customer's language.
pub(crate) fn adopt_plan_language(file: &std::path::Path) {
    if let Ok(text) = std::fs::read_to_string(file) {
        crate::model::lang::adopt(crate::model::load::language_hint(&text));
    }
}

/// Run the parsed command line; the result is the process's exit code.
pub fn run(cli: Cli) -> Result<i32, Error> {
    crate::model::lang::init(cli.global.lang);
    let rt = tokio::runtime::Runtime::new().map_err(|e| {
        Error::BadInput(crate::tr_fmt!(
            "cannot start: {e}",
            "impossible de démarrer : {e}"
        ))
    })?;
    match cli.command {
        Some(Cmd::Run(args)) => rt.block_on(run::run(args, &cli.global)),
        Some(Cmd::Plan(PlanCmd::Validate { file })) => Ok(plan::validate(&file)),
        Some(Cmd::Plan(PlanCmd::Show { file, env, stage })) => {
            plan::show(&file, env, stage.as_deref())
        }
        Some(Cmd::Runs(RunsArgs {
            action: Some(RunsCmd::Prune { keep }),
            ..
        })) => runs::prune(&state_dir(&cli.global), keep),
        Some(Cmd::Runs(a)) => Ok(runs::list(&state_dir(&cli.global), a.json)),
        Some(Cmd::Attach { run_id: None }) => Ok(runs::list(&state_dir(&cli.global), false)),
        Some(Cmd::Attach { run_id: Some(id) }) => attach::attach(&id, &cli.global),
        Some(Cmd::Engine {
            plan,
            env,
            run_id,
            secrets_stdin,
        }) => rt.block_on(attach::serve(
            &plan,
            env,
            &run_id,
            secrets_stdin,
            &cli.global,
        )),
        Some(Cmd::Report(a)) => runs::report(&state_dir(&cli.global), &a.run_id, &a.format),
        Some(Cmd::Topology(a)) => Ok({
            adopt_plan_language(&a.file);
            crate::ui::topology::command(
                &a.file,
                a.env,
                a.export.as_deref(),
                cli.global.theme.as_deref(),
                cli.global.ascii,
            )
        }),
        Some(Cmd::New { file }) => {
            if let Some(f) = &file {
                adopt_plan_language(f);
            }
            crate::ui::wizard::run_cli(file, &cli.global)
        }
        Some(Cmd::Completions { shell }) => {
            let mut cmd = help_fr::localised(
                <Cli as clap::CommandFactory>::command(),
                crate::model::lang::current(),
            );
            clap_complete::generate(shell, &mut cmd, "dress", &mut std::io::stdout());
            Ok(crate::error::exit::OK)
        }
        Some(Cmd::Man) => {
            let cmd = help_fr::localised(
                <Cli as clap::CommandFactory>::command(),
                crate::model::lang::current(),
            );
            clap_mangen::Man::new(cmd)
                .render(&mut std::io::stdout())
                .map_err(|e| {
                    Error::BadInput(crate::tr_fmt!(
                        "the manual page cannot be written: {e}",
                        "la page de manuel ne peut pas être écrite : {e}"
                    ))
                })?;
            Ok(crate::error::exit::OK)
        }
        None => attach::open(cli.plan, cli.env, &cli.global),
    }
}

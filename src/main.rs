//! The `dress` binary: parse the command line and dispatch.

use clap::Parser;

use dress::cli::{Cli, Cmd, PlanCmd};
use dress::headless::{self, exit};

fn init_tracing(g: &dress::cli::Global) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    // The tool's own diagnostic log goes into the state folder, never onto
    // the screen.
    let dir = dress::cli::state_dir(g);
    dress::winstate::create_state_dir(&dir).ok()?;
    let file = tracing_appender::rolling::never(&dir, "dress.log");
    let (w, guard) = tracing_appender::non_blocking(file);
    tracing_subscriber::fmt()
        .with_writer(w)
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .try_init()
        .ok()?;
    Some(guard)
}

fn main() {
    let cli = Cli::parse();
    let _guard = init_tracing(&cli.global);
    let code = match run(cli) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("dress: {e}");
            exit::BAD_INPUT
        }
    };
    std::process::exit(code);
}

fn run(cli: Cli) -> Result<i32, headless::BadInput> {
    let rt = tokio::runtime::Runtime::new()
        .map_err(|e| headless::BadInput(format!("cannot start: {e}")))?;
    match cli.command {
        Some(Cmd::Run(args)) => rt.block_on(headless::run(args, &cli.global)),
        Some(Cmd::Plan(PlanCmd::Validate { file })) => Ok(dress::plan_cmd::validate(&file)),
        Some(Cmd::Plan(PlanCmd::Show { file, env, stage })) => {
            dress::plan_cmd::show(&file, env, stage.as_deref())
        }
        Some(Cmd::Runs) | Some(Cmd::Attach { run_id: None }) => {
            Ok(dress::runs::list(&dress::cli::state_dir(&cli.global)))
        }
        Some(Cmd::Attach { run_id: Some(id) }) => dress::attach::attach(&id, &cli.global),
        Some(Cmd::Engine { plan, env, run_id }) => {
            rt.block_on(dress::attach::serve(&plan, env, &run_id, &cli.global))
        }
        Some(Cmd::Report(a)) => {
            dress::runs::report(&dress::cli::state_dir(&cli.global), &a.run_id, &a.format)
        }
        Some(Cmd::Topology(a)) => Ok(dress::ui::topology::command(
            &a.file,
            a.env,
            a.export.as_deref(),
            cli.global.theme.as_deref(),
            cli.global.ascii,
        )),
        Some(Cmd::New { file }) => dress::ui::wizard::run_cli(file, &cli.global),
        None => dress::attach::open(cli.plan, cli.env, &cli.global),
    }
}

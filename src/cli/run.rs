//! `dress run`: stages without the full-screen interface. One line per
//! event (or JSON lines); exit codes a CI system can act on.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;

use crate::cli::session;
use crate::cli::{Global, RunArgs};
use crate::engine::event::{Event, RunOutcome, StepRef};
use crate::engine::runner::{Engine, OnFailure, Policy, new_run_id};
use crate::engine::{journal, report_time};
use crate::error::Error::{self, BadInput};
use crate::error::{exit, outcome_code};
use crate::model::{EnvKind, SecretSource};
use crate::recipe::{self as stages, REHEARSAL_WORD, StageId};
use crate::report::printer::printer;

/// `--stage` values to stage ids, `rehearsal` expanded, unknown ids refused.
pub fn select_stages(
    wanted: &[String],
    available: &[stages::StageInfo],
) -> Result<Vec<String>, Error> {
    let mut out: Vec<String> = Vec::new();
    for w in wanted {
        let ids: Vec<&str> = if w == REHEARSAL_WORD {
            StageId::rehearsal().map(StageId::as_str).collect()
        } else {
            vec![w.as_str()]
        };
        for id in ids {
            if StageId::parse(id).is_none() {
                return Err(BadInput(crate::tr_fmt!(
                    "--stage {id}: there is no such stage; the stages are {} (or {REHEARSAL_WORD})",
                    "--stage {id} : cette phase n'existe pas ; les phases sont {} (ou {REHEARSAL_WORD})",
                    StageId::ALL.map(StageId::as_str).join(", ")
                )));
            }
            if !available.iter().any(|s| s.id == id) {
                return Err(BadInput(crate::tr_fmt!(
                    "--stage {id}: this plan has no step in that stage for this environment (see `dress plan show`)",
                    "--stage {id} : ce plan n'a aucune étape dans cette phase pour cet environnement (voir `dress plan show`)"
                )));
            }
            if !out.iter().any(|o| o == id) {
                out.push(id.to_string());
            }
        }
    }
    if out.is_empty() {
        return Err(BadInput(crate::model::lang::tr("say which stage to run with --stage ID (e.g. --stage prerequisites, or --stage rehearsal)", "dites quelle phase lancer avec --stage ID (par exemple --stage prerequisites, ou --stage rehearsal)").into()));
    }
    Ok(out)
}

fn parse_confirms(list: &[String]) -> Result<BTreeMap<String, String>, Error> {
    let mut m = BTreeMap::new();
    for c in list {
        match c.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() && !v.trim().is_empty() => {
                m.insert(k.trim().to_string(), v.trim().to_string());
            }
            _ => {
                return Err(BadInput(crate::tr_fmt!(
                    "--confirm {c}: write STEP_ID=NOTE, e.g. --confirm users-off=\"announced at 18:00\"",
                    "--confirm {c} : écrivez ETAPE=NOTE, par exemple --confirm users-off=\"annoncé à 18 h\""
                )));
            }
        }
    }
    Ok(m)
}

/// Refuse a `--confirm` that names no manual step of the chosen stages: a
/// typo would otherwise leave the step waiting, the answer silently unused.
pub fn check_confirms(
    confirms: &BTreeMap<String, String>,
    stages: &[crate::model::step::Stage],
) -> Result<(), Error> {
    let manual = crate::recipe::prompts::manual_steps(stages);
    let unknown: Vec<&String> = confirms
        .keys()
        .filter(|k| {
            !manual.iter().any(|m| {
                m == *k
                    || m.rsplit_once('/')
                        .is_some_and(|(_, step)| step == k.as_str())
            })
        })
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    Err(BadInput(crate::tr_fmt!(
        "--confirm {}: no manual step of the chosen stages has this id; the manual steps are {}",
        "--confirm {} : aucune étape manuelle des phases choisies n'a cet identifiant ; les étapes manuelles sont {}",
        unknown
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        if manual.is_empty() {
            crate::model::lang::tr("none", "aucune").to_string()
        } else {
            manual.join(", ")
        }
    )))
}

/// The plan a run started with (the copy in its folder, relative paths
/// resolved against the original plan's folder) and its environment.
pub fn run_plan(
    run_dir: &Path,
    state: &crate::engine::RunState,
) -> Result<(EnvKind, crate::model::Plan), Error> {
    let env: EnvKind = state.env.parse().map_err(BadInput)?;
    let plan_file = run_dir.join(journal::PLAN_FILE);
    let text = std::fs::read_to_string(&plan_file)
        .map_err(|e| BadInput(format!("{}: {e}", plan_file.display())))?;
    let plan = crate::model::runplan::parse_for_run(
        &plan_file.to_string_lossy(),
        &text,
        &crate::model::paths::plan_folder(Path::new(&state.plan)),
    )
    .map_err(BadInput)?;
    Ok((env, plan))
}

/// `dress run --detach`: the same run in a background process, apart from
/// this terminal.
fn detach(args: &RunArgs, g: &Global) -> Result<i32, Error> {
    if !args.yes {
        return Err(BadInput(
            crate::model::lang::tr("--detach needs --yes: nobody is there to answer questions in the background", "--detach demande --yes : personne ne sera là pour répondre aux questions en arrière-plan").into(),
        ));
    }
    let state_dir = crate::cli::state_dir(g);
    let run_id = match &args.resume {
        Some(id) => id.clone(),
        None => new_run_id(args.env),
    };
    let mut a: Vec<String> = vec!["run".into()];
    if let Some(p) = &args.plan {
        let abs = crate::model::paths::absolute(p);
        a.push(abs.to_string_lossy().into_owned());
    }
    for s in &args.stage {
        a.extend(["--stage".into(), s.clone()]);
    }
    a.extend([
        "--env".into(),
        args.env.to_string(),
        "--on-failure".into(),
        args.on_failure.clone(),
    ]);
    for c in &args.confirm {
        a.extend(["--confirm".into(), c.clone()]);
    }
    if args.yes {
        a.push("--yes".into());
    }
    if args.json {
        a.push("--json".into());
    }
    for r in &args.redo {
        a.extend(["--redo".into(), r.clone()]);
    }
    if args.break_stale_lock {
        a.push("--break-stale-lock".into());
    }
    if args.allow_unencrypted_sql {
        a.push("--allow-unencrypted-sql".into());
    }
    if let Some(r) = &args.resume {
        a.extend(["--resume".into(), r.clone()]);
    } else {
        a.extend(["--run-id".into(), run_id.clone()]);
    }
    if let Some(o) = &args.override_gate {
        a.extend(["--override-gate".into(), o.clone()]);
    }
    if let Some(o) = &args.out_of_order {
        a.extend(["--out-of-order".into(), o.clone()]);
    }
    a.extend([
        "--state-dir".into(),
        state_dir.to_string_lossy().into_owned(),
    ]);
    let out = state_dir.join("engines").join(format!("{run_id}.out"));
    let pid = crate::cli::launch::spawn_detached(&a, &out).map_err(|e| {
        BadInput(crate::tr_fmt!(
            "the run cannot be started in the background: {e}",
            "l'exécution ne peut pas être lancée en arrière-plan : {e}"
        ))
    })?;
    println!(
        "{}",
        crate::tr_fmt!(
            "run {run_id} goes on in the background (pid {pid}); follow it with: dress attach {run_id}",
            "l'exécution {run_id} continue en arrière-plan (pid {pid}) ; suivez-la avec : dress attach {run_id}"
        )
    );
    println!(
        "{}",
        crate::tr_fmt!("its output: {}", "sa sortie : {}", out.display())
    );
    Ok(exit::OK)
}

pub async fn run(args: RunArgs, g: &Global) -> Result<i32, Error> {
    for id in [&args.resume, &args.run_id].into_iter().flatten() {
        session::check_run_id(id)?;
    }
    if args.detach {
        return detach(&args, g);
    }
    let state_dir = crate::cli::state_dir(g);
    let on_failure: OnFailure = args.on_failure.parse().map_err(BadInput)?;
    if on_failure == OnFailure::Ask {
        return Err(BadInput(
            crate::model::lang::tr(
                "--on-failure ask needs the full-screen interface; use abort or retry:N",
                "--on-failure ask demande l'interface plein écran ; utilisez abort ou retry:N",
            )
            .into(),
        ));
    }
    for r in &args.redo {
        if StageId::parse(r).is_none() {
            return Err(BadInput(crate::tr_fmt!(
                "--redo {r}: there is no such stage; the stages are {}",
                "--redo {r} : cette phase n'existe pas ; les phases sont {}",
                StageId::ALL.map(StageId::as_str).join(", ")
            )));
        }
    }
    let policy = Policy {
        confirms: parse_confirms(&args.confirm)?,
        on_failure,
        interactive: false,
        redo: args.redo.iter().cloned().collect(),
    };

    let (mut engine, _lock) = if let Some(id) = &args.resume {
        let (_, state) = session::load_run(&state_dir, id)?;
        if state.finished == Some(RunOutcome::Passed) {
            println!(
                "{}",
                crate::tr_fmt!(
                    "run {id} already passed: nothing to do",
                    "l'exécution {id} a déjà réussi : rien à faire"
                )
            );
            return Ok(exit::OK);
        }
        session::resume(
            &state_dir,
            id,
            &mut crate::cli::prompt::ask_hidden,
            policy,
            args.break_stale_lock,
            args.allow_unencrypted_sql,
        )?
    } else {
        let Some(file) = &args.plan else {
            return Err(BadInput(
                crate::model::lang::tr("give the plan file: dress run PLAN.toml --stage ID (or --resume RUN_ID)", "donnez le fichier du plan : dress run PLAN.toml --stage ID (ou --resume RUN_ID)").into(),
            ));
        };
        let loaded = session::load_plan(file)?;
        let all = session::stages_located(&loaded, args.env)?;
        let infos = stages::infos(&all);
        session::check_mode(&loaded.plan, &args.stage)?;
        let selected = select_stages(&args.stage, &infos)?;
        for s in &selected {
            // Production's own stages (not the rehearsal's backup) need a
            // run opened on production.
            let production_only = StageId::parse(s).is_some_and(|id| {
                id.env(EnvKind::Test) == EnvKind::Production && !id.in_rehearsal()
            });
            if production_only && args.env != EnvKind::Production {
                return Err(BadInput(crate::tr_fmt!(
                    "--stage {s} works on the production environment: add --env production",
                    "--stage {s} travaille sur l'environnement de production : ajoutez --env production"
                )));
            }
        }
        let chosen: Vec<_> = all
            .into_iter()
            .filter(|s| selected.contains(&s.id))
            .collect();
        check_confirms(&policy.confirms, &chosen)?;
        // Every secret the chosen stages need, before anything runs.
        let secrets: Arc<dyn SecretSource> = Arc::new(session::resolve_secrets(
            &loaded.plan,
            &chosen,
            &mut crate::cli::prompt::ask_hidden,
        )?);
        session::preflight(
            &loaded.plan,
            &chosen,
            secrets.as_ref(),
            args.allow_unencrypted_sql,
        )?;
        let changes: Vec<String> = chosen
            .iter()
            .flat_map(|st| {
                st.steps
                    .iter()
                    .filter(|s| s.changes)
                    .map(move |s| format!("{}/{}", st.id, s.id))
            })
            .collect();
        let runs_the_setup = selected
            .iter()
            .any(|s| StageId::parse(s).is_some_and(StageId::runs_setup));
        let fingerprint = session::fingerprint(&loaded.plan, runs_the_setup)?;
        let mut out_of_order = None;
        if let Err(why) =
            session::check_order(&state_dir, fingerprint.as_deref(), &selected, &infos)
        {
            match &args.out_of_order {
                Some(reason) if !reason.trim().is_empty() => {
                    eprintln!(
                        "{}",
                        crate::tr_fmt!(
                            "{why}\nrun anyway: {reason}",
                            "{why}\nlancée quand même : {reason}"
                        )
                    );
                    out_of_order = Some(reason.clone());
                }
                Some(_) => {
                    return Err(BadInput(
                        crate::model::lang::tr(
                            "--out-of-order needs a reason",
                            "--out-of-order demande une raison",
                        )
                        .into(),
                    ));
                }
                None => return Err(BadInput(why)),
            }
        }
        let mut override_reason = None;
        if selected
            .iter()
            .any(|s| StageId::parse(s).is_some_and(StageId::gated))
        {
            let backup_in_run = selected.iter().any(|s| *s == StageId::Backup);
            match session::judge_gate(
                &state_dir,
                fingerprint.as_deref(),
                backup_in_run,
                loaded.plan.recipe.max_backup_age_h,
            ) {
                Ok(r) => {
                    println!(
                        "{}",
                        crate::tr_fmt!(
                            "production gate open: recipe {} passed the rehearsal of run {}",
                            "verrou de production ouvert : la recette {} a réussi la répétition générale de l'exécution {}",
                            fingerprint.as_deref().unwrap_or("-"),
                            r.signed_off_in,
                        )
                    );
                    for l in
                        crate::cli::relies::describe(&state_dir, &loaded.plan, &r, backup_in_run)
                    {
                        println!(
                            "{}",
                            crate::tr_fmt!("  relies on {l}", "  s'appuie sur {l}")
                        );
                    }
                }
                Err(why) => {
                    match &args.override_gate {
                        None => return Err(BadInput(why)),
                        Some(reason) if reason.trim().is_empty() => {
                            return Err(BadInput(
                                crate::model::lang::tr(
                                    "--override-gate needs a reason",
                                    "--override-gate demande une raison",
                                )
                                .into(),
                            ));
                        }
                        Some(reason) => {
                            eprintln!("{why}");
                            if !confirm_override_twice(args.yes)? {
                                return Err(BadInput(
                                crate::model::lang::tr("the override was not confirmed: nothing was run", "le passage en force n'a pas été confirmé : rien n'a été lancé").into(),
                            ));
                            }
                            override_reason = Some(reason.clone());
                        }
                    }
                }
            }
        }
        // Asked once the gate said what production relies on.
        if !changes.is_empty() && !args.yes && !confirm_on_terminal(&changes)? {
            return Err(BadInput(
                crate::model::lang::tr("nothing was run", "rien n'a été lancé").into(),
            ));
        }
        // --run-id was checked with --resume as the command started.
        let run_id = args.run_id.clone().unwrap_or_else(|| new_run_id(args.env));
        let (mut engine, lock) = session::open(session::Opening {
            state_dir: state_dir.clone(),
            run_id,
            env: args.env,
            plan: loaded,
            stages: chosen,
            fingerprint,
            secrets,
            policy,
            break_stale_lock: args.break_stale_lock,
        })?;
        if let Some(reason) = out_of_order {
            engine
                .record_out_of_order(selected.clone(), &reason)
                .map_err(|e| Error::Journal(e.to_string()))?;
        }
        if let Some(reason) = override_reason {
            engine
                .record_override(&reason)
                .map_err(|e| Error::Journal(e.to_string()))?;
        }
        (engine, lock)
    };

    engine.observe(printer(args.json));
    if args.resume.is_none() {
        engine.replay_to_observers();
    }
    if args.verbose && !args.json {
        let mut rx = engine.subscribe();
        tokio::spawn(async move {
            loop {
                match rx.recv().await {
                    Ok(Event::Log { step, line, .. }) => println!("          {step}: {line}"),
                    Ok(_) => {}
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => println!(
                        "{}",
                        crate::tr_fmt!(
                            "          ({n} output lines not shown here: they are in the step log)",
                            "          ({n} lignes de sortie non montrées ici : elles sont dans le journal de l'étape)"
                        )
                    ),
                    Err(_) => break,
                }
            }
        });
    }
    crate::engine::runner::cancel_on_signals(engine.interrupt.clone(), true);
    let (_keep, mut cmds) = tokio::sync::mpsc::unbounded_channel();
    let outcome = engine.run_all(&mut cmds).await.map_err(|e| {
        Error::Journal(crate::tr_fmt!(
            "the journal cannot be written: {e}",
            "le registre ne peut pas être écrit : {e}"
        ))
    })?;
    let run_id = engine.state.run_id.clone();
    if !args.json {
        print_summary(&engine, &run_id);
    }
    Ok(outcome_code(outcome))
}

fn print_summary(engine: &Engine, run_id: &str) {
    let s = &engine.state;
    let failed: Vec<&StepRef> = s
        .steps
        .iter()
        .filter(|x| x.status == crate::engine::StepStatus::Failed)
        .map(|x| &x.planned.step)
        .collect();
    println!(
        "{}",
        crate::tr_fmt!(
            "logs and journal: {}",
            "journaux et registre : {}",
            engine.run_dir.display()
        )
    );
    if let Some(w) = s.current() {
        println!(
            "{}",
            crate::tr_fmt!(
                "step {} waits for an operator: answer with --confirm {}=\"NOTE\" and go on with: dress run --resume {run_id} --confirm ...",
                "l'étape {} attend l'opérateur : répondez avec --confirm {}=\"NOTE\" et continuez avec : dress run --resume {run_id} --confirm ...",
                w.planned.step,
                w.planned.step
            )
        );
    }
    for f in failed {
        let log = crate::engine::link::step_log_path(&engine.run_dir, &f.stage, &f.step);
        println!(
            "{}",
            crate::tr_fmt!(
                "failed: {f} (log: {})",
                "échouée : {f} (journal : {})",
                log.display()
            )
        );
        // Why, without -v: the last lines the step wrote on its error stream.
        let errors = last_error_lines(&log, 20);
        if !errors.is_empty() {
            println!(
                "{}",
                crate::tr_fmt!(
                    "  its last error output:",
                    "  ses dernières lignes d'erreur :"
                )
            );
            for l in errors {
                println!("  | {l}");
            }
        }
    }
    if let Some(t) = s.started_at {
        println!(
            "{}",
            crate::tr_fmt!("started {}", "commencée {}", report_time(t))
        );
    }
}

/// The gate override asks twice on a terminal; without one, --yes stands
/// for both answers (and the journal says so through the override record).
fn confirm_override_twice(yes: bool) -> Result<bool, Error> {
    if !std::io::stdin().is_terminal() {
        if yes {
            return Ok(true);
        }
        return Err(BadInput(
            crate::model::lang::tr(
                "--override-gate without a terminal needs --yes as well",
                "--override-gate sans terminal demande aussi --yes",
            )
            .into(),
        ));
    }
    let read = || {
        let mut answer = String::new();
        let _ = std::io::stdin().read_line(&mut answer);
        answer.trim().to_string()
    };
    eprint!(
        "{}",
        crate::model::lang::tr(
            "Override the production gate and upgrade production without a passed rehearsal? [y/N] ",
            "Lever le verrou de production et mettre à jour la production sans répétition générale réussie ? [o/N] ",
        )
    );
    if !is_yes(&read()) {
        return Ok(false);
    }
    // The second answer is a word that cannot be typed by reflex.
    eprint!(
        "{}",
        crate::model::lang::tr(
            "Production is changed without a rehearsal of this recipe. Type OVERRIDE to go on: ",
            "La production est modifiée sans répétition générale de cette recette. Tapez OVERRIDE pour continuer : ",
        )
    );
    Ok(read() == "OVERRIDE")
}

/// A yes on a terminal, in either language: y, yes, o, oui.
fn is_yes(answer: &str) -> bool {
    matches!(
        answer.trim().to_lowercase().as_str(),
        "y" | "yes" | "o" | "oui"
    )
}

fn confirm_on_terminal(changes: &[String]) -> Result<bool, Error> {
    if !std::io::stdin().is_terminal() {
        return Err(BadInput(crate::tr_fmt!(
            "these steps change something: {}. Add --yes to run them without a terminal to ask on",
            "ces étapes modifient le système : {}. Ajoutez --yes pour les lancer sans terminal où demander",
            changes.join(", ")
        )));
    }
    print!(
        "{}",
        crate::tr_fmt!(
            "These steps change something:\n  {}\nGo on? [y/N] ",
            "Ces étapes modifient le système :\n  {}\nContinuer ? [o/N] ",
            changes.join("\n  ")
        )
    );
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().read_line(&mut answer);
    Ok(is_yes(&answer))
}

/// The last `n` lines a step wrote on its error stream (`E|` in its log).
pub fn last_error_lines(log: &Path, n: usize) -> Vec<String> {
    let Ok(text) = std::fs::read(log) else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(&text);
    let mut v: Vec<String> = text
        .lines()
        .filter_map(|l| l.strip_prefix("E|"))
        .map(str::to_string)
        .collect();
    let skip = v.len().saturating_sub(n);
    v.drain(..skip);
    v
}

//! A realistic upgrade rehearsal, for the screen tests, the snapshots and
//! the frame benchmark: real stages and steps, a run state folded from real
//! events.
//!
//! Not in the product: compiled into the library for its unit tests and
//! with the `fixture` feature (the benchmarks), and included by path into
//! the screen tests and the demo. It names the library as `dress::` so it
//! compiles in all of them.

use std::collections::BTreeSet;
use std::path::PathBuf;

use dress::engine::RunState;
use dress::engine::event::{Actor, Event, Outcome, PlannedStep, RunOutcome, StepRef, Stream};
use dress::model::EnvKind;
use dress::model::lang::{self, Lang, tr};
use dress::model::step::sql::SqlAction;
use dress::model::step::{Action, ExecSpec, Stage, Step};
use dress::recipe::StageId;
use dress::ui::App;
use dress::ui::theme::Theme;
use dress::ui::update::{Msg, update};

pub const T0: u64 = 1_700_000_000_000;

fn step(id: &str, title: &str, required: bool, changes: bool, action: Action) -> Step {
    Step {
        id: id.into(),
        title: title.into(),
        required,
        changes,
        server: None,
        action,
    }
}

/// The fixture's short English stage titles; in French, the stage table's
/// own titles (the ones a French run shows).
fn stage_title(key: &str, en: &'static str) -> &'static str {
    match lang::current() {
        Lang::En => en,
        Lang::Fr => StageId::parse(key).map_or(en, |id| id.title()),
    }
}

fn stage(id: &str, title: &str, env: EnvKind, steps: Vec<Step>) -> Stage {
    Stage {
        id: id.into(),
        title: title.into(),
        env,
        steps,
    }
}

pub fn stages() -> Vec<Stage> {
    use EnvKind::{Production, Test};
    let setup = ExecSpec {
        program: "C:\\Setup\\CRM 2024\\setup.exe".into(),
        args: vec!["/s".into(), "/upgrade".into()],
        cwd: Some("C:\\Setup".into()),
        env: Default::default(),
        timeout_s: Some(3600),
        ok_exit_codes: vec![0],
        pass_secrets: Vec::new(),
        collect_logs: Vec::new(),
    };
    vec![
        stage(
            "prerequisites",
            stage_title("prerequisites", "Prerequisites"),
            Test,
            vec![
                step(
                    "admin",
                    tr("Administrator rights", "Droits d'administrateur"),
                    true,
                    false,
                    Action::CheckAdmin,
                ),
                step(
                    "port-80",
                    tr("Port 80 free for IIS", "Port 80 libre pour IIS"),
                    true,
                    false,
                    Action::CheckPortFree { port: 80 },
                ),
                step(
                    "sql-connect",
                    tr("SQL Server reachable", "SQL Server joignable"),
                    true,
                    false,
                    Action::Sql(SqlAction::Connect),
                ),
                step(
                    "collation",
                    tr(
                        "Server collation French_CI_AS",
                        "Classement du serveur French_CI_AS",
                    ),
                    true,
                    false,
                    Action::Sql(SqlAction::Collation { database: None }),
                ),
                step(
                    "disk",
                    tr("Free disk space", "Espace disque libre"),
                    false,
                    false,
                    Action::CheckDiskFree {
                        path: "C:\\".into(),
                        min_mib: 4096,
                    },
                ),
            ],
        ),
        stage("install", stage_title("install", "Install"), Test, vec![]),
        stage(
            "multiserver",
            stage_title("multiserver", "Multiserver"),
            Test,
            vec![],
        ),
        stage("licence", stage_title("licence", "Licence"), Test, vec![]),
        stage(
            "backup",
            stage_title("backup", "Backup"),
            Test,
            vec![
                step(
                    "archive-program-files",
                    tr("Archive program files", "Archiver les fichiers programme"),
                    true,
                    true,
                    Action::FilesArchive {
                        source: "C:\\Program Files (x86)\\CRM".into(),
                        archive: "D:\\Backup\\crm-files.tar".into(),
                    },
                ),
                step(
                    "registry",
                    tr("Export registry keys", "Exporter les clés de registre"),
                    false,
                    true,
                    Action::RegistryExport {
                        key: "HKLM\\SOFTWARE\\CRM".into(),
                        file: "D:\\Backup\\crm.reg".into(),
                    },
                ),
                step(
                    "database",
                    tr(
                        "Back up the CRM database",
                        "Sauvegarder la base de données CRM",
                    ),
                    true,
                    true,
                    Action::Sql(SqlAction::Backup {
                        database: "CRMSAGE".into(),
                        file: "D:\\Backup\\CRMSAGE.bak".into(),
                    }),
                ),
            ],
        ),
        stage(
            "test-env",
            stage_title("test-env", "Test env"),
            Test,
            vec![],
        ),
        stage(
            "trial-upgrade",
            stage_title("trial-upgrade", "Trial upgrade"),
            Test,
            vec![step(
                "setup",
                tr(
                    "Run the vendor setup (upgrade)",
                    "Lancer le setup de l'éditeur (mise à jour)",
                ),
                true,
                true,
                Action::Exec(setup),
            )],
        ),
        stage(
            "verify",
            stage_title("verify", "Verify"),
            Test,
            vec![
                step(
                    "dashboard",
                    tr(
                        "Interactive dashboard answers",
                        "Le tableau de bord interactif répond",
                    ),
                    true,
                    false,
                    Action::HttpWait {
                        url: "http://crm-test/crm/".into(),
                        status: 200,
                        timeout_s: 600,
                        interval_ms: 2000,
                    },
                ),
                step(
                    "customised",
                    tr(
                        "Check customised screens",
                        "Vérifier les écrans personnalisés",
                    ),
                    false,
                    false,
                    Action::Manual {
                        prompt: tr(
                            "Open the customised company screen and save a record.",
                            "Ouvrez l'écran société personnalisé et enregistrez une fiche.",
                        )
                        .into(),
                    },
                ),
            ],
        ),
        stage(
            "production",
            stage_title("production", "Production"),
            Production,
            vec![],
        ),
        stage(
            "control",
            stage_title("control", "Control"),
            Production,
            vec![],
        ),
    ]
}

pub fn actor() -> Actor {
    Actor {
        user: "ops".into(),
        host: "CRM-TEST".into(),
    }
}

pub fn run_started(stages: &[Stage]) -> Event {
    let steps = stages
        .iter()
        .flat_map(|st| {
            st.steps.iter().map(|s| PlannedStep {
                step: StepRef::new(&st.id, &s.id),
                title: s.title.clone(),
                required: s.required,
                changes: s.changes,
                kind: s.action.kind().into(),
            })
        })
        .collect();
    Event::RunStarted {
        run_id: "20240611-0930-rehearsal".into(),
        env: "test".into(),
        plan: "crmsage.toml".into(),
        steps,
        fingerprint: Some("3f2a9c".into()),
        lang: None,
        by: actor(),
        pid: 4242,
        at: T0,
    }
}

fn done(stage: &str, step: &str, outcome: Outcome, ms: u64, message: &str, at: u64) -> Vec<Event> {
    let r = StepRef::new(stage, step);
    vec![
        Event::StepStarted {
            step: r.clone(),
            attempt: 1,
            at: at - ms,
        },
        Event::StepFinished {
            step: r,
            outcome,
            duration_ms: ms,
            message: message.into(),
            at,
        },
    ]
}

/// How far the fixture run has gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Idle,
    Running,
    Failed,
    Manual,
    Finished,
}

pub fn events(phase: Phase) -> Vec<Event> {
    let st = stages();
    let mut ev = vec![run_started(&st)];
    if phase == Phase::Idle {
        return ev;
    }
    let p = "prerequisites";
    ev.extend(done(
        p,
        "admin",
        Outcome::Passed,
        120,
        tr("elevated: yes", "élevé : oui"),
        T0 + 1_000,
    ));
    ev.push(Event::Measured {
        step: StepRef::new(p, "port-80"),
        what: tr(
            "port 80: owned by IIS (W3SVC)",
            "port 80 : pris par IIS (W3SVC)",
        )
        .into(),
    });
    ev.extend(done(
        p,
        "port-80",
        Outcome::Passed,
        40,
        tr("port 80 owned by IIS", "port 80 pris par IIS"),
        T0 + 2_000,
    ));
    ev.extend(done(
        p,
        "sql-connect",
        Outcome::Passed,
        850,
        "SQL Server 2019 (15.0.4355)",
        T0 + 3_000,
    ));
    ev.push(Event::Measured {
        step: StepRef::new(p, "collation"),
        what: tr(
            "collation French_CI_AS (expected French_CI_AS)",
            "classement French_CI_AS (attendu French_CI_AS)",
        )
        .into(),
    });
    ev.extend(done(
        p,
        "collation",
        Outcome::Passed,
        60,
        "French_CI_AS",
        T0 + 4_000,
    ));
    ev.extend(done(
        p,
        "disk",
        Outcome::Passed,
        10,
        tr("38 GiB free on C:\\", "38 Gio libres sur C:\\"),
        T0 + 5_000,
    ));
    let b = "backup";
    ev.extend(done(
        b,
        "archive-program-files",
        Outcome::Passed,
        95_000,
        tr(
            "1,204 files, 812 MiB, manifest written",
            "1 204 fichiers, 812 Mio, manifeste écrit",
        ),
        T0 + 100_000,
    ));
    ev.extend(done(
        b,
        "registry",
        Outcome::Passed,
        1_500,
        tr("3 keys exported", "3 clés exportées"),
        T0 + 102_000,
    ));
    let db = StepRef::new(b, "database");
    ev.push(Event::StepStarted {
        step: db.clone(),
        attempt: 1,
        at: T0 + 103_000,
    });
    for i in 0..30u32 {
        let (stream, line) = match i % 10 {
            3 => (
                Stream::Stderr,
                format!("Msg 3211, Level 10: {}0 percent processed.", i / 3),
            ),
            7 => (Stream::Info, format!("checkpoint {i}: CHECKSUM verified")),
            _ => (
                Stream::Stdout,
                format!(
                    "Processed {} pages for database 'CRMSAGE', file 'CRMSAGE_dat'.",
                    1000 + i * 37
                ),
            ),
        };
        ev.push(Event::Log {
            step: db.clone(),
            stream,
            line,
        });
    }
    ev.push(Event::Progress {
        step: db.clone(),
        done: 412,
        total: Some(812),
        unit: tr("MiB", "Mio").into(),
    });
    if phase == Phase::Running {
        return ev;
    }
    ev.push(Event::StepFinished {
        step: db.clone(),
        outcome: Outcome::Failed,
        duration_ms: 61_000,
        message: tr(
            "BACKUP failed: operating system error 112 (not enough space on D:)",
            "échec de BACKUP : erreur système 112 (espace insuffisant sur D:)",
        )
        .into(),
        at: T0 + 164_000,
    });
    if phase == Phase::Failed {
        return ev;
    }
    ev.push(Event::Decision {
        step: db.clone(),
        choice: dress::engine::event::Choice::Retry,
        by: actor(),
        at: T0 + 170_000,
    });
    ev.extend(done(
        b,
        "database",
        Outcome::Passed,
        58_000,
        tr(
            "COPY_ONLY backup 812 MiB, VERIFYONLY ok",
            "sauvegarde COPY_ONLY 812 Mio, VERIFYONLY ok",
        ),
        T0 + 230_000,
    ));
    ev.extend(done(
        "trial-upgrade",
        "setup",
        Outcome::Passed,
        1_260_000,
        tr("setup exit code 0", "code de sortie du setup 0"),
        T0 + 1_500_000,
    ));
    ev.extend(done(
        "verify",
        "dashboard",
        Outcome::Passed,
        48_000,
        tr("HTTP 200 after 48 s", "HTTP 200 après 48 s"),
        T0 + 1_560_000,
    ));
    let manual = StepRef::new("verify", "customised");
    ev.push(Event::StepStarted {
        step: manual.clone(),
        attempt: 1,
        at: T0 + 1_561_000,
    });
    ev.push(Event::ManualWait {
        step: manual.clone(),
        prompt: tr(
            "Open the customised company screen and save a record.",
            "Ouvrez l'écran société personnalisé et enregistrez une fiche.",
        )
        .into(),
    });
    if phase == Phase::Manual {
        return ev;
    }
    ev.push(Event::ManualConfirmed {
        step: manual.clone(),
        note: tr("saved company ACME", "société ACME enregistrée").into(),
        by: actor(),
    });
    ev.push(Event::StepFinished {
        step: manual,
        outcome: Outcome::Passed,
        duration_ms: 90_000,
        message: tr("confirmed by ops", "confirmé par ops").into(),
        at: T0 + 1_651_000,
    });
    ev.push(Event::RunFinished {
        outcome: RunOutcome::Passed,
        at: T0 + 1_652_000,
    });
    ev
}

/// An app at `phase`, built by folding the events through `update`, like a
/// view attached from the start of the run.
pub fn app(phase: Phase, theme: &str, ascii: bool, size: (u16, u16)) -> App {
    let theme = Theme::builtin(theme)
        .unwrap_or_else(|| Theme::builtin("default").unwrap_or_else(|| unreachable!()));
    let mut locked = BTreeSet::new();
    locked.insert("production".to_string());
    let mut app = App::new(
        tr("CRMSAGE upgrade", "Mise à jour CRMSAGE").into(),
        "test".into(),
        stages(),
        RunState::default(),
        locked,
        PathBuf::from("/var/lib/dress/runs/20240611-0930-rehearsal"),
        theme,
        ascii,
        actor(),
    );
    app.size = size;
    for e in events(phase) {
        update(&mut app, Msg::Engine(e));
    }
    app.now_ms = match phase {
        Phase::Idle => T0 + 5_000,
        Phase::Running => T0 + 125_000,
        _ => app.now_ms,
    };
    app
}

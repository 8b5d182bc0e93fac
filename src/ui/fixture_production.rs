//! The fixture run seen on production: the run view and the production
//! confirmation, for snapshots.
//!
//! Built like [`super::fixture`], beside which it is always included.

use super::fixture::{self, Phase};
use dress::model::lang::tr;
use dress::model::step::{Action, ExecSpec, Step};
use dress::ui::App;
use dress::ui::production::ProductionInfo;

/// The production run id of the fixture (the longest environment name).
pub const RUN_ID: &str = "20240611-093000-production-3f2a";

/// The fixture app, opened on production with the gate open.
pub fn app(phase: Phase, theme: &str, ascii: bool, size: (u16, u16)) -> App {
    let mut app = fixture::app(phase, theme, ascii, size);
    app.env = "production".into();
    app.state.run_id = RUN_ID.into();
    app.state.env = "production".into();
    app.locked.clear();
    if let Some(st) = app.stages.iter_mut().find(|s| s.id == "production") {
        st.steps = vec![
            Step {
                id: "users-off".into(),
                title: tr(
                    "All users are logged off production",
                    "Tous les utilisateurs sont déconnectés de la production",
                )
                .into(),
                required: true,
                changes: false,
                server: None,
                action: Action::Manual {
                    prompt: tr(
                        "Every user is logged off the production CRM",
                        "Chaque utilisateur est déconnecté du CRM de production",
                    )
                    .into(),
                },
            },
            Step {
                id: "setup".into(),
                title: tr(
                    "Run the vendor setup (upgrade)",
                    "Lancer le setup de l'éditeur (mise à jour)",
                )
                .into(),
                required: true,
                changes: true,
                server: None,
                action: Action::Exec(ExecSpec {
                    program: "C:\\Setup\\CRM 2024\\setup.exe".into(),
                    args: vec!["/s".into(), "/upgrade".into()],
                    cwd: None,
                    env: Default::default(),
                    timeout_s: Some(3600),
                    ok_exit_codes: vec![0],
                    pass_secrets: Vec::new(),
                    collect_logs: Vec::new(),
                }),
            },
        ];
    }
    app.production = ProductionInfo {
        installation: "CRMSAGE".into(),
        relies: vec![
            tr("rehearsal: run 20240610-140000-test-9c1d, signed off: pages and reports checked (marie@crm-test)", "répétition générale : exécution 20240610-140000-test-9c1d, validée : pages et rapports vérifiés (marie@crm-test)").into(),
            tr("backup of run 20240611-090000-production-77aa: E:\\Backup\\CRMSAGE-20240611-090000-production-77aa-program-files.tar (2024-06-11 09:02:10, 812 MiB, BLAKE3 5b1e2a9f0c3d7e48)", "sauvegarde de l'exécution 20240611-090000-production-77aa : E:\\Backup\\CRMSAGE-20240611-090000-production-77aa-program-files.tar (2024-06-11 09:02:10, 812 Mio, BLAKE3 5b1e2a9f0c3d7e48)").into(),
        ],
        locked_why: None,
    };
    app
}

//! Stage generation for the install, licence and multiserver stages, on the
//! example plan and on plans changed for the case; the real binary for
//! `plan show` and for the refusal of a different company name.

use std::path::Path;
use std::process::Command;

use dress::model::runplan::parse_for_run;
use dress::model::step::response::DatabaseMode;
use dress::model::step::{Action, Stage};
use dress::model::{EnvKind, Plan, Role};
use dress::recipe::build;

fn example() -> Plan {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let file = root.join("crm.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    parse_for_run(&file.to_string_lossy(), &text, &root).unwrap()
}

fn stage<'a>(stages: &'a [Stage], id: &str) -> &'a Stage {
    stages.iter().find(|s| s.id == id).unwrap()
}

fn ids(s: &Stage) -> Vec<&str> {
    s.steps.iter().map(|x| x.id.as_str()).collect()
}

#[test]
fn secondaries_never_get_a_database_creating_response() {
    let mut plan = example();
    // The worksheet lists a secondary first: the master still goes first.
    let servers = &mut plan.environments.production.as_mut().unwrap().servers;
    servers.rotate_left(2);
    assert_eq!(servers[0].role, Role::WebSecondary);
    let stages = build(&plan, EnvKind::Production).unwrap();
    let ms = stage(&stages, "multiserver");
    let setups: Vec<_> = ms
        .steps
        .iter()
        .filter_map(|s| match &s.action {
            Action::ExecWithResponse(r) => Some((s, r)),
            _ => None,
        })
        .collect();
    assert_eq!(setups.len(), 3);
    assert_eq!(setups[0].0.server.as_deref(), Some("WEB1"));
    assert_eq!(setups[0].1.database, DatabaseMode::Create);
    for (step, r) in &setups[1..] {
        assert_ne!(step.server.as_deref(), Some("WEB1"));
        assert_eq!(r.database, DatabaseMode::Existing, "{}", step.id);
        let lines = step.action.describe();
        assert!(
            lines.iter().any(|l| l == "  create_database=false"),
            "{lines:?}"
        );
        assert!(!lines.iter().any(|l| l.contains("create_database=true")));
        // Same licence and installation name as the master.
        for want in [
            "  installation=CRMSAGE",
            "  licence_key=***",
            "  company=Sage Démo SA",
        ] {
            assert!(lines.iter().any(|l| l == want), "{want} in {lines:?}");
        }
    }
    // Every per-server step names its server, master first in each group.
    for prefix in ["setup-", "iis-reset-", "warm-"] {
        let order: Vec<&str> = ms
            .steps
            .iter()
            .filter(|s| s.id.starts_with(prefix))
            .map(|s| s.server.as_deref().unwrap())
            .collect();
        assert_eq!(order[0], "WEB1", "{prefix}: {order:?}");
        assert_eq!(order.len(), 3, "{prefix}: {order:?}");
    }
}

#[test]
fn multiserver_stage_steps_and_settings() {
    let stages = build(&example(), EnvKind::Production).unwrap();
    let ms = stage(&stages, "multiserver");
    assert_eq!(
        ids(ms),
        vec![
            "setup-web1",
            "setup-web2",
            "setup-web3",
            "lb-settings",
            "drift-web2",
            "drift-web3",
            "sync-web2",
            "sync-web3",
            "iis-reset-web1",
            "iis-reset-web2",
            "iis-reset-web3",
            "warm-web1",
            "warm-web2",
            "warm-web3",
        ]
    );
    let sync = ms.steps.iter().find(|s| s.id == "sync-web2").unwrap();
    assert!(sync.changes, "a sync changes files: it must be confirmed");
    match &sync.action {
        Action::FilesSync(d) => {
            assert_eq!(
                d.paths,
                vec![
                    "WWWRoot/CustomPages",
                    "WWWRoot/eware.ini",
                    "WWWRoot/js/custom"
                ]
            );
            assert!(d.secondary.to_string_lossy().starts_with(r"\\WEB2\c$"));
        }
        other => panic!("{other:?}"),
    }
    let lb = ms.steps.iter().find(|s| s.id == "lb-settings").unwrap();
    match &lb.action {
        Action::Sql(dress::model::step::sql::SqlAction::Sysparams { values, database }) => {
            assert_eq!(database, "CRMSAGE");
            assert!(values.contains(&("DTLSServer".into(), "WEB1".into())));
            assert!(values.contains(&("CRMServerNames".into(), "WEB1;WEB2;WEB3".into())));
        }
        other => panic!("{other:?}"),
    }
    let warm = ms.steps.iter().find(|s| s.id == "warm-web2").unwrap();
    assert!(
        warm.action.describe()[0].contains("http://web2.example.local/CRMSAGE"),
        "{:?}",
        warm.action.describe()
    );
}

#[test]
fn install_and_licence_stages() {
    // The example is an upgrade plan: no Install stage.
    let upgrade = build(&example(), EnvKind::Production).unwrap();
    assert!(!upgrade.iter().any(|s| s.id == "install"));
    // The same deployment as a new installation: no upgrade checklist.
    let mut plan = example();
    plan.recipe.mode = dress::model::UpgradeMode::Install;
    plan.recipe.steps.clear();
    let stages = build(&plan, EnvKind::Production).unwrap();
    for s in [
        "backup",
        "test-env",
        "trial-upgrade",
        "verify",
        "production",
        "control",
    ] {
        assert!(!stages.iter().any(|x| x.id == s), "{s}");
    }
    let install = stage(&stages, "install");
    assert_eq!(
        ids(install),
        vec![
            "review",
            "integration-version",
            "integration-setup",
            "setup",
            "wait-site",
            "admin-password",
            "sql-express-sa",
        ]
    );
    let licence = stage(&stages, "licence");
    assert_eq!(
        ids(licence),
        vec![
            "users-off",
            "licence-tool",
            "iis-reset",
            "wait-site",
            "licence-details"
        ]
    );
    let tool = licence.steps[1].action.describe();
    assert!(tool[0].contains("/answers=<response file>"), "{tool:?}");
    assert!(tool.iter().any(|l| l == "  licence_key=***"), "{tool:?}");
    assert!(
        !tool.iter().any(|l| l.contains("create_database")),
        "{tool:?}"
    );
}

#[test]
fn a_different_company_is_refused_at_build_time() {
    let mut plan = example();
    plan.deployment.installed_company = Some("Sage Demo SARL".into());
    let e = build(&plan, EnvKind::Production).unwrap_err();
    assert!(
        e.contains("Sage Demo SARL") && e.contains("never change"),
        "{e}"
    );
    plan.deployment.installed_company = Some(plan.deployment.company.clone());
    assert!(build(&plan, EnvKind::Production).is_ok());
}

#[cfg(unix)]
#[test]
fn dress_run_refuses_a_different_company_before_any_step() {
    let tmp = tempfile::tempdir().unwrap();
    let marker = tmp.path().join("tool-ran");
    let tool = tmp.path().join("tool.sh");
    std::fs::write(&tool, format!("#!/bin/sh\ntouch '{}'\n", marker.display())).unwrap();
    let plan = format!(
        r#"[deployment]
company = "Bijou SA"
installation = "CRMBIJOU"
installed_company = "Bijou SARL"
licence_key = {{ env = "TEST_LICENCE_KEY" }}

[environments.production]
install_dir = "crm"
backup_dir = "backups"

[recipe.licence_tool]
program = "{}"
args = ["{{response_file}}"]
"#,
        tool.display()
    );
    std::fs::write(tmp.path().join("plan.toml"), plan).unwrap();
    let state = tmp.path().join("state");
    let o = Command::new(env!("CARGO_BIN_EXE_dress"))
        .current_dir(tmp.path())
        .env("DRESS_STATE_DIR", &state)
        .env("TEST_LICENCE_KEY", "Canary-Key-5521")
        .args([
            "run",
            "plan.toml",
            "--env",
            "production",
            "--stage",
            "licence",
            "--yes",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("Bijou SARL") && err.contains("installed_company"),
        "{err}"
    );
    assert!(!marker.exists(), "the licence tool ran");
    assert!(!state.join("runs").exists(), "a run was started");
}

#[test]
fn plan_show_lists_multiserver_steps_master_first() {
    let o = Command::new(env!("CARGO_BIN_EXE_dress"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["plan", "show", "examples/crm.toml", "--env", "production"])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}");
    let at = |needle: &str| {
        out.find(needle)
            .unwrap_or_else(|| panic!("{needle} not in the dry run:\n{out}"))
    };
    for group in ["setup", "iis-reset", "warm"] {
        let w1 = at(&format!("multiserver/{group}-web1 "));
        let w2 = at(&format!("multiserver/{group}-web2 "));
        let w3 = at(&format!("multiserver/{group}-web3 "));
        assert!(w1 < w2 && w2 < w3, "{group}");
    }
    assert!(at("multiserver/drift-web2 ") < at("multiserver/sync-web2 "));
    assert!(at("multiserver/sync-web3 ") < at("multiserver/iis-reset-web1 "));
    assert!(out.contains("        create_database=false"));
    assert!(!out.contains("Canary"));
}

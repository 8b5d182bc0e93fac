//! The prerequisites expect the database the recipe's mode calls for: an
//! upgrade needs the product's database (present, ONLINE, French_CI_AS,
//! holding custom_sysparams), a new installation needs none, the test copy
//! of a rehearsal is absent or one this tool restored.

use crate::common::sql as sql_support;

use dress::engine::sql;
use dress::model::plan::Encryption;
use dress::model::step::Action;
use dress::model::step::sql::{DbExpect, SqlAction};
use dress::model::step::sql_text as text;
use dress::model::{EnvKind, Plan, UpgradeMode};
use dress::recipe as stages;
use mssql_mock_tds::QueryResponse;
use sql_support::*;

fn example() -> Plan {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/crm.toml")).unwrap();
    toml::from_str(&text).unwrap()
}

fn database_step(plan: &Plan, env: EnvKind) -> (String, SqlAction) {
    let all = stages::build(plan, env).unwrap();
    let pre = all.iter().find(|s| s.id == "prerequisites").unwrap();
    let step = pre.steps.iter().find(|s| s.id == "sql-database").unwrap();
    match &step.action {
        Action::Sql(a) => (step.title.clone(), a.clone()),
        other => panic!("sql-database is {other:?}"),
    }
}

#[test]
fn the_example_upgrade_expects_its_database_in_production() {
    let plan = example();
    assert_eq!(plan.recipe.mode, UpgradeMode::Upgrade);
    let (title, a) = database_step(&plan, EnvKind::Production);
    assert_ne!(title, "The database does not exist yet");
    assert_eq!(
        a,
        SqlAction::Database {
            database: "CRMSAGE".into(),
            expect: DbExpect::Product
        }
    );
    let shown = a.describe().join("\n");
    assert!(shown.contains(&text::product_table("CRMSAGE")), "{shown}");
    // The test copy of the rehearsal.
    let (_, a) = database_step(&plan, EnvKind::Test);
    assert_eq!(
        a,
        SqlAction::Database {
            database: "CRMSAGE_TEST".into(),
            expect: DbExpect::RestoredCopy {
                installation: "CRMSAGE".into()
            }
        }
    );
    // A new installation: nothing may be there.
    let mut p = plan.clone();
    p.recipe.mode = UpgradeMode::Install;
    // Its added steps go next to upgrade steps an install plan does not list.
    p.recipe.steps.clear();
    let (title, a) = database_step(&p, EnvKind::Production);
    assert_eq!(title, "The database does not exist yet");
    assert!(matches!(
        a,
        SqlAction::Database {
            expect: DbExpect::Absent,
            ..
        }
    ));
}

async fn healthy_server(m: &Mock) {
    m.on(
        text::CONNECT,
        QueryResponse::new(
            vec![text_col("server_name"), text_col("login_name")],
            vec![mssql_mock_tds::Row::new(vec![
                mssql_mock_tds::ColumnValue::NVarChar("SQL1".into()),
                mssql_mock_tds::ColumnValue::NVarChar("sa".into()),
            ])],
        ),
    )
    .await;
    m.on(
        text::VERSION,
        QueryResponse::new(
            vec![text_col("product_version"), text_col("edition")],
            vec![mssql_mock_tds::Row::new(vec![
                mssql_mock_tds::ColumnValue::NVarChar("15.0.2000.5".into()),
                mssql_mock_tds::ColumnValue::NVarChar("Standard Edition (64-bit)".into()),
            ])],
        ),
    )
    .await;
    m.on(text::SERVER_COLLATION, one_text("French_CI_AS")).await;
    m.on(text::SYSADMIN, one_int(Some(1))).await;
    m.on(text::USER_CONNECTIONS, one_int(Some(0))).await;
}

/// Run every SQL step of the production prerequisites of examples/crm.toml
/// (its server pointed at the mock); the SQL Browser probe is left out (it
/// is UDP, not the peer). The failures, by step id.
async fn production_prerequisites(m: &Mock) -> Vec<(String, String)> {
    let mut plan = example();
    let prod = plan.environments.production.as_mut().unwrap();
    let sql = prod.sql.as_mut().unwrap();
    sql.server = format!("127.0.0.1,{}", m.addr.port());
    sql.encryption = Encryption::NotSupported;
    let conn = sql.clone();
    let all = stages::build(&plan, EnvKind::Production).unwrap();
    let pre = all.into_iter().find(|s| s.id == "prerequisites").unwrap();
    let mut failed = Vec::new();
    let mut ran = 0;
    for step in &pre.steps {
        let Action::Sql(a) = &step.action else {
            continue;
        };
        if matches!(a, SqlAction::Browser { .. }) {
            continue;
        }
        ran += 1;
        let s = Step::new();
        if let Err(e) = sql::run(a, &conn, &Fixed(PASSWORD), &s.ctx).await {
            failed.push((step.id.clone(), e.0));
        }
    }
    assert_eq!(
        ran, 6,
        "connect, version, collation, sysadmin, database, connections"
    );
    failed
}

#[tokio::test]
async fn example_production_prerequisites_pass_when_the_database_is_there() {
    let m = Mock::start().await;
    healthy_server(&m).await;
    m.on(text::DATABASE_ID, one_int(Some(5))).await;
    m.on(
        text::DATABASE_STATE,
        db_state("ONLINE", Some("French_CI_AS")),
    )
    .await;
    m.on(text::product_table("CRMSAGE"), one_int(Some(214)))
        .await;
    let failed = production_prerequisites(&m).await;
    assert!(failed.is_empty(), "{failed:?}");

    // Gone: an upgrade cannot start, and says so.
    m.on(text::DATABASE_ID, one_int(None)).await;
    let failed = production_prerequisites(&m).await;
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0].0, "sql-database");
    assert!(
        failed[0].1.contains("database CRMSAGE does not exist")
            && failed[0]
                .1
                .contains("an upgrade works on the existing database"),
        "{}",
        failed[0].1
    );
}

async fn product_check(m: &Mock) -> Result<String, String> {
    let a = SqlAction::Database {
        database: "CRMSAGE".into(),
        expect: DbExpect::Product,
    };
    let s = Step::new();
    sql::run(&a, &m.conn(), &Fixed(PASSWORD), &s.ctx)
        .await
        .map_err(|e| e.0)
}

#[tokio::test]
async fn another_applications_database_is_not_taken_for_the_product() {
    let m = Mock::start().await;
    m.on(text::DATABASE_ID, one_int(Some(5))).await;
    m.on(
        text::DATABASE_STATE,
        db_state("ONLINE", Some("French_CI_AS")),
    )
    .await;
    m.on(
        text::product_table("CRMSAGE"),
        fails(208, "Invalid object name 'CRMSAGE.DBO.CUSTOM_SYSPARAMS'."),
    )
    .await;
    let e = product_check(&m).await.unwrap_err();
    assert!(
        e.contains("has no custom_sysparams table") && e.contains("not a Sage CRM database"),
        "{e}"
    );
    m.on(text::product_table("CRMSAGE"), one_int(Some(0))).await;
    let e = product_check(&m).await.unwrap_err();
    assert!(e.contains("empty custom_sysparams"), "{e}");
    // Another collation.
    m.on(
        text::DATABASE_STATE,
        db_state("ONLINE", Some("Latin1_General_CI_AS")),
    )
    .await;
    let e = product_check(&m).await.unwrap_err();
    assert!(e.contains("has collation Latin1_General_CI_AS"), "{e}");
}

#[tokio::test]
async fn an_unreadable_database_gets_its_states_explanation() {
    let m = Mock::start().await;
    m.on(text::DATABASE_ID, one_int(Some(5))).await;
    for (state, fix) in [
        ("OFFLINE", "SET ONLINE"),
        ("RESTORING", "DROP DATABASE [CRMSAGE]"),
        ("RECOVERY_PENDING", "error log"),
        ("SUSPECT", "damaged"),
    ] {
        m.on(text::DATABASE_STATE, db_state(state, None)).await;
        let e = product_check(&m).await.unwrap_err();
        assert!(e.contains(&format!("is {state}")) && e.contains(fix), "{e}");
        assert!(!e.contains("has collation"), "{e}");
        // The collation check says the same, not "has collation ;".
        let s = Step::new();
        let a = SqlAction::Collation {
            database: Some("CRMSAGE".into()),
        };
        m.on(text::SERVER_COLLATION, one_text("French_CI_AS")).await;
        let e = sql::run(&a, &m.conn(), &Fixed(PASSWORD), &s.ctx)
            .await
            .unwrap_err()
            .0;
        assert!(
            e.contains(&format!("is {state}")) && !e.contains("has collation"),
            "{e}"
        );
    }
}

#[tokio::test]
async fn new_installation_and_test_copy_rules() {
    let m = Mock::start().await;
    let run = |expect: DbExpect, allow: bool| {
        let mut c = m.conn();
        c.allow_overwrite = allow;
        async move {
            let a = SqlAction::Database {
                database: "CRMSAGE_TEST".into(),
                expect,
            };
            let s = Step::new();
            sql::run(&a, &c, &Fixed(PASSWORD), &s.ctx)
                .await
                .map_err(|e| e.0)
        }
    };
    let copy = || DbExpect::RestoredCopy {
        installation: "CRMSAGE".into(),
    };
    m.on(text::DATABASE_ID, one_int(None)).await;
    assert!(run(DbExpect::Absent, false).await.is_ok());
    assert!(
        run(copy(), false)
            .await
            .unwrap()
            .contains("the rehearsal restores it")
    );
    m.on(text::DATABASE_ID, one_int(Some(9))).await;
    m.on(
        text::DATABASE_STATE,
        db_state("ONLINE", Some("French_CI_AS")),
    )
    .await;
    let e = run(DbExpect::Absent, false).await.unwrap_err();
    assert!(
        e.contains("already exists") && e.contains("mode = \"upgrade\""),
        "{e}"
    );
    // The copy: ours, another installation's, nobody's.
    m.on(
        text::created_by("CRMSAGE_TEST"),
        texts(&["CREATED_BY"], &[None]),
    )
    .await;
    let e = run(copy(), false).await.unwrap_err();
    assert!(e.contains("has no dress.created_by property"), "{e}");
    m.on(
        text::created_by("CRMSAGE_TEST"),
        one_text("dress;installation=CRMSAGE;run=test-20261128-1"),
    )
    .await;
    assert!(
        run(copy(), false)
            .await
            .unwrap()
            .contains("a copy dress restored")
    );
    m.on(
        text::created_by("CRMSAGE_TEST"),
        one_text("dress;installation=CRMOTHER;run=test-1"),
    )
    .await;
    let e = run(copy(), false).await.unwrap_err();
    assert!(
        e.contains("names installation CRMOTHER (run test-1)"),
        "{e}"
    );
    assert!(run(copy(), true).await.is_ok());
    // Left RESTORING: the rehearsal's restore decides (it can restore it again).
    m.on(text::DATABASE_STATE, db_state("RESTORING", None))
        .await;
    assert!(run(copy(), false).await.unwrap().contains("RESTORING"));
}

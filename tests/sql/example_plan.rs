//! examples/crm.toml is a real plan: it loads into `model::Plan`.

use dress::model::plan::{Encryption, Role, SqlAuth};
use dress::model::{EnvKind, Plan, SecretRef};

#[test]
fn example_plan_deserializes() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/crm.toml")).unwrap();
    let plan: Plan = toml::from_str(&text).unwrap();
    assert_eq!(plan.deployment.installation, "CRMSAGE");
    let prod = plan.environments.get(EnvKind::Production).unwrap();
    let sql = prod.sql.as_ref().unwrap();
    assert_eq!(sql.server, "localhost,1433");
    assert_eq!((sql.auth, sql.login.as_deref()), (SqlAuth::Sql, Some("sa")));
    assert_eq!(
        sql.password,
        Some(SecretRef::Env {
            env: "DRESS_SQL_PASSWORD".into()
        })
    );
    assert_eq!(sql.encryption, Encryption::Required);
    assert!(!sql.trust_server_certificate);
    let web = prod.servers.iter().filter(|s| s.role != Role::Sql).count();
    assert_eq!(web, 3);
    assert_eq!(
        prod.servers.iter().filter(|s| s.role == Role::Sql).count(),
        1
    );
    assert!(plan.environments.get(EnvKind::Test).is_some());
    assert_eq!(plan.integration.companies[0].title, "Sage100");
    assert!(plan.recipe.setup.is_some());
    // The server form parses, and the database names are accepted.
    assert!(dress::engine::sql::connect::parse_server(&sql.server).is_ok());
    assert!(dress::model::step::sql_text::valid_database_name(&sql.database).is_ok());
}

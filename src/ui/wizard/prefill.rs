//! From a plan to the answers: the initial value of every field, and the
//! company editor's fields.

use super::fields::{F, Field, yes_no};
use super::state::Editor;
use crate::model::plan::{Company, Encryption, Environment, InstallKind, Plan, UpgradeMode};
use crate::model::secret::SecretRef;

pub(super) fn empty_plan() -> Plan {
    // Every default comes from the plan types themselves.
    toml::from_str("[deployment]\ncompany = \"\"\ninstallation = \"\"\n[recipe]\n")
        .unwrap_or_else(|e| unreachable!("built-in empty plan: {e}"))
}

fn from_of(r: Option<&SecretRef>) -> &'static str {
    match r {
        Some(SecretRef::Prompt { .. }) => "prompt",
        _ => "env",
    }
}

fn env_of(r: Option<&SecretRef>, default: &str) -> String {
    match r {
        Some(SecretRef::Env { env }) => env.clone(),
        _ => default.to_string(),
    }
}

fn encryption_name(e: Encryption) -> &'static str {
    match e {
        Encryption::Required => "required",
        Encryption::Off => "off",
        Encryption::NotSupported => "not-supported",
        Encryption::Strict => "strict",
    }
}

pub(super) fn mode_name(m: UpgradeMode) -> &'static str {
    match m {
        UpgradeMode::Install => "install",
        UpgradeMode::Upgrade => "upgrade",
        UpgradeMode::Reinstall => "reinstall",
    }
}

fn path_text(p: &std::path::Path) -> String {
    p.to_string_lossy().into_owned()
}

pub fn editor_company(e: &Editor) -> Company {
    let v = |id: F| {
        e.fields
            .iter()
            .find(|f| f.id == id)
            .map(|f| f.value().to_string())
            .unwrap_or_default()
    };
    Company {
        title: v(F::Title),
        sync_dormant: v(F::SyncDormant) == "yes",
        sync_contacts: v(F::SyncContacts) == "yes",
        sync_phones: v(F::SyncPhones) == "yes",
        sync_addresses: v(F::SyncAddresses) == "yes",
        accounting_file: Some(v(F::MaeFile)),
        commercial_file: Some(v(F::GcmFile)),
    }
}

pub fn editor_for(index: Option<usize>, c: Option<&Company>, first: bool) -> Editor {
    let title = match c {
        Some(c) => c.title.clone(),
        None if first => "Sage100".into(),
        None => String::new(),
    };
    let b = |f: fn(&Company) -> bool, d: bool| yes_no(c.map_or(d, f));
    let fields = vec![
        Field::new(F::Title, title),
        Field::new(F::SyncDormant, b(|c| c.sync_dormant, false)),
        Field::new(F::SyncContacts, b(|c| c.sync_contacts, true)),
        Field::new(F::SyncPhones, b(|c| c.sync_phones, true)),
        Field::new(F::SyncAddresses, b(|c| c.sync_addresses, true)),
        Field::new(
            F::MaeFile,
            c.and_then(|c| c.accounting_file.clone())
                .unwrap_or_default(),
        ),
        Field::new(
            F::GcmFile,
            c.and_then(|c| c.commercial_file.clone())
                .unwrap_or_default(),
        ),
    ];
    Editor {
        index,
        fields,
        focus: 0,
        touched: Vec::new(),
        attempted: index.is_some(),
    }
}

pub(super) fn initial_fields(p: &Plan) -> Vec<Field> {
    let d = &p.deployment;
    let prod = p.environments.production.as_ref();
    let test = p.environments.test.as_ref();
    let sql = prod
        .and_then(|e| e.sql.as_ref())
        .or(test.and_then(|e| e.sql.as_ref()));
    let tsql = test.and_then(|e| e.sql.as_ref());
    let proxy = d.proxy.as_ref();
    let setup = p.recipe.setup.as_ref();
    let dir = |e: Option<&Environment>, inst: bool| {
        e.map(|e| path_text(if inst { &e.install_dir } else { &e.backup_dir }))
            .unwrap_or_default()
    };
    let url = |e: Option<&Environment>| e.and_then(|e| e.url.clone()).unwrap_or_default();
    vec![
        Field::new(F::Company, d.company.clone()),
        Field::new(F::LicenceFrom, from_of(d.licence_key.as_ref())),
        Field::new(
            F::LicenceEnv,
            env_of(d.licence_key.as_ref(), "CRM_LICENCE_KEY"),
        ),
        Field::new(F::Mode, mode_name(p.recipe.mode)),
        Field::new(F::Installation, d.installation.clone()),
        Field::new(F::Version, d.version.clone().unwrap_or_default()),
        Field::new(
            F::SetupPackage,
            setup.map(|s| path_text(&s.package)).unwrap_or_default(),
        ),
        Field::new(
            F::SetupArgs,
            setup.map(|s| s.args.join(" ")).unwrap_or_default(),
        ),
        Field::new(
            F::SqlServer,
            sql.map(|s| s.server.clone()).unwrap_or_default(),
        ),
        Field::new(
            F::SqlLogin,
            sql.map_or(Some("sa".to_string()), |s| s.login.clone())
                .unwrap_or_default(),
        ),
        Field::new(
            F::SqlDatabase,
            prod.and_then(|e| e.sql.as_ref())
                .map(|s| s.database.clone())
                .unwrap_or_default(),
        ),
        Field::new(
            F::SqlTestDatabase,
            tsql.map(|s| s.database.clone()).unwrap_or_default(),
        ),
        Field::new(
            F::SqlPasswordFrom,
            from_of(sql.and_then(|s| s.password.as_ref())),
        ),
        Field::new(
            F::SqlPasswordEnv,
            env_of(sql.and_then(|s| s.password.as_ref()), "CRM_SQL_PASSWORD"),
        ),
        Field::new(F::SqlTestPassword, ""),
        Field::new(F::IntegrationService, yes_no(d.integration_service)),
        Field::new(
            F::IntegrationPackage,
            p.recipe
                .integration_setup
                .as_ref()
                .map(|s| path_text(&s.package))
                .unwrap_or_default(),
        ),
        Field::new(
            F::Kind,
            if d.kind == InstallKind::Demo {
                "demo"
            } else {
                "customer"
            },
        ),
        Field::new(F::DemoDatabase, yes_no(d.demo_database)),
        Field::new(
            F::Encryption,
            encryption_name(sql.map_or(Encryption::default(), |s| s.encryption)),
        ),
        Field::new(
            F::TrustCertificate,
            yes_no(sql.is_some_and(|s| s.trust_server_certificate)),
        ),
        Field::new(
            F::ProxyHost,
            proxy.map(|x| x.host.clone()).unwrap_or_default(),
        ),
        Field::new(
            F::ProxyPort,
            proxy.map(|x| x.port.to_string()).unwrap_or_default(),
        ),
        Field::new(
            F::ProxyLogin,
            proxy.and_then(|x| x.login.clone()).unwrap_or_default(),
        ),
        Field::new(
            F::ProxyPasswordFrom,
            from_of(proxy.and_then(|x| x.password.as_ref())),
        ),
        Field::new(
            F::ProxyPasswordEnv,
            env_of(
                proxy.and_then(|x| x.password.as_ref()),
                "CRM_PROXY_PASSWORD",
            ),
        ),
        Field::new(F::TestInstall, dir(test, true)),
        Field::new(F::TestBackup, dir(test, false)),
        Field::new(F::TestUrl, url(test)),
        Field::new(F::ProdInstall, dir(prod, true)),
        Field::new(F::ProdBackup, dir(prod, false)),
        Field::new(F::ProdUrl, url(prod)),
    ]
}

//! The wizard's state: the answers as form fields, and how they become a
//! plan. Errors come from `model::validate` on that plan, so the form and a
//! hand-written file get the same messages.

use std::path::PathBuf;

use secrecy::SecretString;

use super::fields::{F, Field, Page, SECRET_FROM, page_fields, yes_no};
use super::sqltest::TestLine;
use crate::model::naming::suggest_installation_name;
use crate::model::plan::{
    Company, Encryption, Environment, InstallKind, Plan, Proxy, Setup, SqlConnection,
};
use crate::model::secret::SecretRef;
use crate::model::validate::{Issue, validate};
use crate::ui::Theme;

/// The file the wizard opened, to edit it in place.
#[derive(Debug, Clone)]
pub struct Original {
    pub text: String,
    pub plan: Plan,
}

/// The integration company being added (`index` None) or modified.
#[derive(Debug, Clone)]
pub struct Editor {
    pub index: Option<usize>,
    pub fields: Vec<Field>,
    pub focus: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirm {
    DeleteCompany(usize),
    Quit,
}

#[derive(Debug, Clone, Default)]
pub enum SqlTest {
    #[default]
    NotRun,
    Running,
    Done(Vec<TestLine>),
}

pub struct Wizard {
    pub path: PathBuf,
    pub original: Option<Original>,
    base: Plan,
    pub fields: Vec<Field>,
    pub page: Page,
    pub focus: usize,
    pub companies: Vec<Company>,
    initial_companies: Vec<Company>,
    pub selected: usize,
    pub editor: Option<Editor>,
    pub confirm: Option<Confirm>,
    pub notice: Option<String>,
    pub sql_test: SqlTest,
    /// The SQL password typed for the connection test: memory only.
    pub test_password: SecretString,
    pub test_password_len: usize,
    /// The installation name follows the company until it is typed.
    pub installation_auto: bool,
    pub saved: bool,
    pub theme: Theme,
    pub ascii: bool,
}

fn empty_plan() -> Plan {
    // Every default comes from the plan types themselves.
    toml::from_str("[deployment]\ncompany = \"\"\ninstallation = \"\"\n[recipe]\n")
        .unwrap_or_else(|e| unreachable!("built-in empty plan: {e}"))
}

fn empty_env() -> Environment {
    toml::from_str("install_dir = \"\"\nbackup_dir = \"\"\n")
        .unwrap_or_else(|e| unreachable!("built-in empty environment: {e}"))
}

fn empty_setup() -> Setup {
    toml::from_str("package = \"\"\n").unwrap_or_else(|e| unreachable!("built-in empty setup: {e}"))
}

fn empty_sql() -> SqlConnection {
    toml::from_str("server = \"\"\ndatabase = \"\"\n")
        .unwrap_or_else(|e| unreachable!("built-in empty connection: {e}"))
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

fn secret(from: &str, env: &str) -> SecretRef {
    if from == SECRET_FROM[1] {
        SecretRef::Prompt { prompt: true }
    } else {
        SecretRef::Env {
            env: env.to_string(),
        }
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

fn encryption_of(s: &str) -> Encryption {
    match s {
        "off" => Encryption::Off,
        "not-supported" => Encryption::NotSupported,
        "strict" => Encryption::Strict,
        _ => Encryption::Required,
    }
}

fn path_text(p: &std::path::Path) -> String {
    p.to_string_lossy().into_owned()
}

impl Wizard {
    /// A wizard on `path`; `existing` is the file's text when it exists.
    pub fn open(
        path: PathBuf,
        existing: Option<String>,
        theme: Theme,
        ascii: bool,
    ) -> Result<Wizard, String> {
        let original = match existing {
            Some(text) => {
                let plan: Plan = toml::from_str(&text).map_err(|e| {
                    format!(
                        "{}: cannot be opened in the wizard: {} — fix it with `dress plan validate`",
                        path.display(),
                        e.message()
                    )
                })?;
                Some(Original { text, plan })
            }
            None => None,
        };
        let base = original
            .as_ref()
            .map_or_else(empty_plan, |o| o.plan.clone());
        let fields = initial_fields(&base);
        let companies = base.integration.companies.clone();
        Ok(Wizard {
            path,
            installation_auto: original.is_none(),
            original,
            base,
            fields,
            page: Page::Company,
            focus: 0,
            initial_companies: companies.clone(),
            companies,
            selected: 0,
            editor: None,
            confirm: None,
            notice: None,
            sql_test: SqlTest::NotRun,
            test_password: SecretString::from(String::new()),
            test_password_len: 0,
            saved: false,
            theme,
            ascii,
        })
    }

    pub fn f(&self, id: F) -> &Field {
        self.fields
            .iter()
            .find(|f| f.id == id)
            .unwrap_or_else(|| unreachable!("every form field is created in initial_fields"))
    }

    pub fn fm(&mut self, id: F) -> &mut Field {
        self.fields
            .iter_mut()
            .find(|f| f.id == id)
            .unwrap_or_else(|| unreachable!("every form field is created in initial_fields"))
    }

    fn v(&self, id: F) -> &str {
        self.f(id).value()
    }

    /// Whether anything differs from what was opened.
    pub fn changed(&self) -> bool {
        self.fields.iter().any(Field::changed)
            || self.companies != self.initial_companies
            || self.test_password_len > 0
    }

    /// The plan the answers give, and the form's own issues (values that
    /// cannot even be put into the plan, such as a port that is not a
    /// number). Values of an opened file change only where a field changed.
    pub fn to_plan(&self) -> (Plan, Vec<Issue>) {
        let new = self.original.is_none();
        let ch = |ids: &[F]| new || ids.iter().any(|i| self.f(*i).changed());
        let mut extra = Vec::new();
        let mut p = self.base.clone();
        let d = &mut p.deployment;
        if ch(&[F::Company]) {
            d.company = self.v(F::Company).to_string();
        }
        if ch(&[F::Installation]) {
            d.installation = self.v(F::Installation).to_string();
        }
        if ch(&[F::Version]) {
            let v = self.v(F::Version).trim();
            d.version = (!v.is_empty()).then(|| v.to_string());
        }
        if ch(&[F::LicenceFrom, F::LicenceEnv]) {
            d.licence_key = Some(secret(self.v(F::LicenceFrom), self.v(F::LicenceEnv)));
        }
        if ch(&[F::IntegrationService]) {
            d.integration_service = self.f(F::IntegrationService).yes();
        }
        if ch(&[F::Kind]) {
            d.kind = if self.v(F::Kind) == "demo" {
                InstallKind::Demo
            } else {
                InstallKind::Customer
            };
        }
        if ch(&[F::DemoDatabase]) {
            d.demo_database = self.f(F::DemoDatabase).yes();
        }
        let proxy = [
            F::ProxyHost,
            F::ProxyPort,
            F::ProxyLogin,
            F::ProxyPasswordFrom,
            F::ProxyPasswordEnv,
        ];
        if ch(&proxy) {
            d.proxy = self.proxy(&mut extra);
        }
        if ch(&[F::SetupPackage, F::SetupArgs]) {
            let setup = p.recipe.setup.get_or_insert_with(empty_setup);
            if ch(&[F::SetupPackage]) {
                setup.package = self.v(F::SetupPackage).trim().into();
            }
            if ch(&[F::SetupArgs]) {
                setup.args = self
                    .v(F::SetupArgs)
                    .split_whitespace()
                    .map(str::to_string)
                    .collect();
            }
        }
        for test in [true, false] {
            self.apply_env(&mut p, test, new);
        }
        if new || self.companies != self.initial_companies {
            p.integration.companies = self.companies.clone();
        }
        (p, extra)
    }

    fn proxy(&self, extra: &mut Vec<Issue>) -> Option<Proxy> {
        let host = self.v(F::ProxyHost).trim();
        let port = self.v(F::ProxyPort).trim();
        let login = self.v(F::ProxyLogin).trim();
        if host.is_empty() && port.is_empty() && login.is_empty() {
            return None;
        }
        let port = match port.parse::<u16>() {
            Ok(p) => p,
            Err(_) => {
                extra.push(Issue::new(
                    "deployment.proxy.port",
                    format!(
                        "\"{}\" is not a port number",
                        crate::model::naming::shown(port)
                    ),
                    "write the proxy's port, from 1 to 65535 (often 3128 or 8080)",
                ));
                1
            }
        };
        let login = (!login.is_empty()).then(|| login.to_string());
        Some(Proxy {
            host: host.to_string(),
            port,
            password: login
                .as_ref()
                .map(|_| secret(self.v(F::ProxyPasswordFrom), self.v(F::ProxyPasswordEnv))),
            login,
        })
    }

    fn apply_env(&self, p: &mut Plan, test: bool, new: bool) {
        let ch = |ids: &[F]| new || ids.iter().any(|i| self.f(*i).changed());
        let (inst, back, db) = if test {
            (F::TestInstall, F::TestBackup, F::SqlTestDatabase)
        } else {
            (F::ProdInstall, F::ProdBackup, F::SqlDatabase)
        };
        let sql_fields = [
            F::SqlServer,
            F::SqlLogin,
            db,
            F::SqlPasswordFrom,
            F::SqlPasswordEnv,
            F::Encryption,
            F::TrustCertificate,
        ];
        if !ch(&[inst, back]) && !ch(&sql_fields) {
            return;
        }
        let slot = if test {
            &mut p.environments.test
        } else {
            &mut p.environments.production
        };
        let env = slot.get_or_insert_with(empty_env);
        if ch(&[inst]) {
            env.install_dir = self.v(inst).into();
        }
        if ch(&[back]) {
            env.backup_dir = self.v(back).into();
        }
        if !ch(&sql_fields) {
            return;
        }
        let sql = env.sql.get_or_insert_with(empty_sql);
        if ch(&[F::SqlServer]) {
            sql.server = self.v(F::SqlServer).trim().to_string();
        }
        if ch(&[F::SqlLogin]) {
            let l = self.v(F::SqlLogin);
            sql.login = (!l.is_empty()).then(|| l.to_string());
        }
        if ch(&[db]) {
            sql.database = self.v(db).to_string();
        }
        if ch(&[F::SqlPasswordFrom, F::SqlPasswordEnv]) {
            sql.password = Some(secret(
                self.v(F::SqlPasswordFrom),
                self.v(F::SqlPasswordEnv),
            ));
        }
        if ch(&[F::Encryption]) {
            sql.encryption = encryption_of(self.v(F::Encryption));
        }
        if ch(&[F::TrustCertificate]) {
            sql.trust_server_certificate = self.f(F::TrustCertificate).yes();
        }
    }

    /// Every issue of the plan the answers give.
    pub fn issues(&self) -> Vec<Issue> {
        let (p, mut out) = self.to_plan();
        out.extend(validate(&p));
        out
    }

    /// Issues that belong to the given page.
    pub fn page_issues(&self, page: Page, all: &[Issue]) -> Vec<Issue> {
        match page {
            Page::Companies => all
                .iter()
                .filter(|i| i.field.starts_with("integration.companies"))
                .cloned()
                .collect(),
            Page::Summary => all.to_vec(),
            _ => page_fields(page)
                .iter()
                .flat_map(|f| field_issues(all, *f, None))
                .collect(),
        }
    }

    /// Fill what can be deduced when a page opens: database names from the
    /// installation name.
    pub fn prefill(&mut self) {
        if self.page == Page::Sql {
            let inst = self.v(F::Installation).to_string();
            if self.v(F::SqlDatabase).is_empty() {
                self.fm(F::SqlDatabase).set(&inst);
            }
            if self.v(F::SqlTestDatabase).is_empty() {
                self.fm(F::SqlTestDatabase).set(&format!("{inst}_TEST"));
            }
        }
    }

    /// The company changed: follow it with the suggested installation name.
    pub fn company_changed(&mut self) {
        if self.installation_auto {
            let s = suggest_installation_name(self.v(F::Company));
            self.fm(F::Installation).set(&s);
        }
    }

    /// The SQL connection of production as the answers give it.
    pub fn sql_connection(&self) -> Option<SqlConnection> {
        let (p, _) = self.to_plan();
        p.environments.production.and_then(|e| e.sql)
    }

    /// The plan as given to a company editor: the edited company at its
    /// place (or appended).
    pub fn plan_with(&self, e: &Editor) -> (Plan, usize) {
        let (mut p, _) = self.to_plan();
        let c = editor_company(e);
        let list = &mut p.integration.companies;
        let at = match e.index {
            Some(i) if i < list.len() => {
                list[i] = c;
                i
            }
            _ => {
                list.push(c);
                list.len() - 1
            }
        };
        (p, at)
    }

    /// Number of servers each environment lists (edited in the topology
    /// editor, kept as they are here).
    pub fn servers(&self) -> (usize, usize) {
        let e = &self.base.environments;
        (
            e.test.as_ref().map_or(0, |x| x.servers.len()),
            e.production.as_ref().map_or(0, |x| x.servers.len()),
        )
    }
}

/// Issues shown under field `f`; `company` is the index of the edited
/// integration company. The same message from test and production shows once.
pub fn field_issues(all: &[Issue], f: F, company: Option<usize>) -> Vec<Issue> {
    let idx = company.map(|i| i.to_string()).unwrap_or_default();
    let mut out: Vec<Issue> = Vec::new();
    for path in f.issue_paths() {
        let path = path.replace("{i}", &idx);
        for i in all.iter().filter(|i| i.field == path) {
            if !out.iter().any(|o| o.what == i.what) {
                out.push(i.clone());
            }
        }
    }
    out
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
    }
}

fn initial_fields(p: &Plan) -> Vec<Field> {
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
    vec![
        Field::new(F::Company, d.company.clone()),
        Field::new(F::LicenceFrom, from_of(d.licence_key.as_ref())),
        Field::new(
            F::LicenceEnv,
            env_of(d.licence_key.as_ref(), "CRM_LICENCE_KEY"),
        ),
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
        Field::new(F::ProdInstall, dir(prod, true)),
        Field::new(F::ProdBackup, dir(prod, false)),
    ]
}

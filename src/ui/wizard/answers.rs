//! From the answers to the plan: a new plan takes every answer; an opened
//! plan changes only where a field changed, so what the wizard does not
//! show (servers, recipe steps, tuning values) stays as it was.

use super::fields::{F, SECRET_FROM};
use super::state::Wizard;
use crate::model::plan::{
    Encryption, Environment, InstallKind, IntegrationSetup, Plan, Proxy, Setup, SqlConnection,
    UpgradeMode,
};
use crate::model::secret::SecretRef;
use crate::model::validate::Issue;

fn empty_env() -> Environment {
    toml::from_str("install_dir = \"\"\nbackup_dir = \"\"\n")
        .unwrap_or_else(|e| unreachable!("built-in empty environment: {e}"))
}

fn empty_setup() -> Setup {
    toml::from_str("package = \"\"\n").unwrap_or_else(|e| unreachable!("built-in empty setup: {e}"))
}

fn empty_integration_setup() -> IntegrationSetup {
    toml::from_str("package = \"\"\nversion = \"\"\n")
        .unwrap_or_else(|e| unreachable!("built-in empty integration setup: {e}"))
}

fn empty_sql() -> SqlConnection {
    toml::from_str("server = \"\"\ndatabase = \"\"\n")
        .unwrap_or_else(|e| unreachable!("built-in empty connection: {e}"))
}

fn secret(from: &str, env: &str) -> SecretRef {
    if from == SECRET_FROM[1] {
        SecretRef::Prompt {
            prompt: true,
            field: String::new(),
        }
    } else {
        SecretRef::Env {
            env: env.to_string(),
        }
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

impl Wizard {
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
        if ch(&[F::Mode]) {
            p.recipe.mode = match self.v(F::Mode) {
                "install" => UpgradeMode::Install,
                "reinstall" => UpgradeMode::Reinstall,
                _ => UpgradeMode::Upgrade,
            };
        }
        if ch(&[F::IntegrationService, F::IntegrationPackage, F::Version]) {
            if self.f(F::IntegrationService).yes() {
                // The installer must be the version of the CRM.
                let version = p.deployment.version.clone().unwrap_or_default();
                let s = p
                    .recipe
                    .integration_setup
                    .get_or_insert_with(empty_integration_setup);
                if ch(&[F::IntegrationPackage]) {
                    s.package = self.v(F::IntegrationPackage).trim().into();
                }
                s.version = version;
            } else if ch(&[F::IntegrationService]) {
                p.recipe.integration_setup = None;
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
                    crate::ui::strings::fill(
                        crate::ui::strings::w().proxy_port_bad,
                        &[&crate::model::naming::shown(port)],
                    ),
                    crate::ui::strings::w().proxy_port_fix,
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
        let (inst, back, url, db) = if test {
            (
                F::TestInstall,
                F::TestBackup,
                F::TestUrl,
                F::SqlTestDatabase,
            )
        } else {
            (F::ProdInstall, F::ProdBackup, F::ProdUrl, F::SqlDatabase)
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
        if !ch(&[inst, back, url]) && !ch(&sql_fields) {
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
        if ch(&[url]) {
            let u = self.v(url).trim();
            env.url = (!u.is_empty()).then(|| u.to_string());
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
}

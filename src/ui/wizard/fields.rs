//! The fields of the wizard's form pages: what each holds, how it is
//! edited, and which plan fields its errors come from.

use tui_input::Input;

/// One wizard page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Company,
    Installation,
    Sql,
    Options,
    Environments,
    Companies,
    Summary,
}

impl Page {
    pub const ALL: [Page; 7] = [
        Page::Company,
        Page::Installation,
        Page::Sql,
        Page::Options,
        Page::Environments,
        Page::Companies,
        Page::Summary,
    ];

    pub fn index(self) -> usize {
        Page::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }
}

/// Every form field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum F {
    Company,
    LicenceFrom,
    LicenceEnv,
    /// Installation, upgrade or full reinstall (`recipe.mode`).
    Mode,
    Installation,
    Version,
    SetupPackage,
    SetupArgs,
    SqlServer,
    SqlLogin,
    SqlDatabase,
    SqlTestDatabase,
    SqlPasswordFrom,
    SqlPasswordEnv,
    /// Typed only to test the connection; kept in memory, never saved.
    SqlTestPassword,
    IntegrationService,
    /// The integration service installer, asked when it is installed.
    IntegrationPackage,
    Kind,
    DemoDatabase,
    Encryption,
    TrustCertificate,
    ProxyHost,
    ProxyPort,
    ProxyLogin,
    ProxyPasswordFrom,
    ProxyPasswordEnv,
    TestInstall,
    TestBackup,
    TestUrl,
    ProdInstall,
    ProdBackup,
    ProdUrl,
    // Integration company editor.
    Title,
    SyncDormant,
    SyncContacts,
    SyncPhones,
    SyncAddresses,
    MaeFile,
    GcmFile,
}

/// How a field is edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// Typed text shown as `*`.
    Masked,
    /// `yes` / `no`, switched with Space.
    Toggle,
    /// One of a fixed list, cycled with Space or Left/Right.
    Choice(&'static [&'static str]),
}

pub const SECRET_FROM: &[&str] = &["env", "prompt"];
pub const KINDS: &[&str] = &["customer", "demo"];
pub const ENCRYPTIONS: &[&str] = &["required", "off", "not-supported", "strict"];
pub const MODES: &[&str] = &["install", "upgrade", "reinstall"];

impl F {
    pub fn kind(self) -> Kind {
        match self {
            F::LicenceFrom | F::SqlPasswordFrom | F::ProxyPasswordFrom => Kind::Choice(SECRET_FROM),
            F::Kind => Kind::Choice(KINDS),
            F::Mode => Kind::Choice(MODES),
            F::Encryption => Kind::Choice(ENCRYPTIONS),
            F::IntegrationService
            | F::DemoDatabase
            | F::TrustCertificate
            | F::SyncDormant
            | F::SyncContacts
            | F::SyncPhones
            | F::SyncAddresses => Kind::Toggle,
            F::SqlTestPassword => Kind::Masked,
            _ => Kind::Text,
        }
    }

    /// Plan fields whose issues are shown under this field (`{i}` stands
    /// for the index of the edited integration company).
    pub fn issue_paths(self) -> &'static [&'static str] {
        use F::*;
        match self {
            Company => &["deployment.company"],
            LicenceFrom | LicenceEnv => &["deployment.licence_key"],
            Installation => &["deployment.installation"],
            Mode => &["recipe.mode"],
            Version => &["deployment.version"],
            IntegrationPackage => &[
                "recipe.integration_setup.package",
                "recipe.integration_setup.version",
            ],
            TestUrl => &["environments.test.url"],
            ProdUrl => &["environments.production.url"],
            SetupPackage => &["recipe.setup.package", "recipe.steps"],
            SqlServer => &[
                "environments.production.sql.server",
                "environments.test.sql.server",
            ],
            SqlLogin => &[
                "environments.production.sql.login",
                "environments.test.sql.login",
            ],
            SqlDatabase => &["environments.production.sql.database"],
            SqlTestDatabase => &["environments.test.sql.database"],
            SqlPasswordEnv => &[
                "environments.production.sql.password",
                "environments.test.sql.password",
            ],
            IntegrationService => &["integration.companies"],
            DemoDatabase => &["deployment.demo_database"],
            ProxyHost => &["deployment.proxy.host", "wizard.proxy"],
            ProxyPort => &["deployment.proxy.port"],
            ProxyLogin => &["deployment.proxy.login"],
            ProxyPasswordEnv => &["deployment.proxy.password"],
            TestInstall => &["environments.test.install_dir"],
            TestBackup => &["environments.test.backup_dir"],
            ProdInstall => &["environments.production.install_dir"],
            ProdBackup => &["environments.production.backup_dir"],
            Title => &["integration.companies[{i}].title"],
            MaeFile => &[
                "integration.companies[{i}].accounting_file",
                "integration.companies[{i}]",
            ],
            GcmFile => &["integration.companies[{i}].commercial_file"],
            _ => &[],
        }
    }
}

/// The fields of a form page, in order.
pub fn page_fields(p: Page) -> &'static [F] {
    use F::*;
    match p {
        Page::Company => &[Company, LicenceFrom, LicenceEnv],
        Page::Installation => &[Mode, Installation, Version, SetupPackage, SetupArgs],
        Page::Sql => &[
            SqlServer,
            SqlLogin,
            SqlDatabase,
            SqlTestDatabase,
            SqlPasswordFrom,
            SqlPasswordEnv,
            SqlTestPassword,
        ],
        Page::Options => &[
            IntegrationService,
            IntegrationPackage,
            Kind,
            DemoDatabase,
            Encryption,
            TrustCertificate,
            ProxyHost,
            ProxyPort,
            ProxyLogin,
            ProxyPasswordFrom,
            ProxyPasswordEnv,
        ],
        Page::Environments => &[
            TestInstall,
            TestBackup,
            TestUrl,
            ProdInstall,
            ProdBackup,
            ProdUrl,
        ],
        Page::Companies | Page::Summary => &[],
    }
}

pub const COMPANY_FIELDS: &[F] = &[
    F::Title,
    F::SyncDormant,
    F::SyncContacts,
    F::SyncPhones,
    F::SyncAddresses,
    F::MaeFile,
    F::GcmFile,
];

/// A field's value: text in a `tui-input`, and what it held when the
/// wizard opened (to write back only what changed).
#[derive(Debug, Clone)]
pub struct Field {
    pub id: F,
    pub input: Input,
    pub initial: String,
}

impl Field {
    pub fn new(id: F, value: impl Into<String>) -> Self {
        let value = value.into();
        Field {
            id,
            input: Input::new(value.clone()),
            initial: value,
        }
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    pub fn changed(&self) -> bool {
        self.input.value() != self.initial
    }

    pub fn set(&mut self, v: &str) {
        self.input = Input::new(v.to_string());
    }

    pub fn yes(&self) -> bool {
        self.value() == "yes"
    }

    /// Next (`step` = 1) or previous (`step` = -1) value of a choice or toggle.
    pub fn cycle(&mut self, step: isize) {
        let opts: &[&str] = match self.id.kind() {
            Kind::Toggle => &["no", "yes"],
            Kind::Choice(o) => o,
            _ => return,
        };
        let i = opts.iter().position(|o| *o == self.value()).unwrap_or(0) as isize;
        let n = opts.len() as isize;
        let v = opts[((i + step).rem_euclid(n)) as usize];
        self.set(v);
    }
}

pub fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

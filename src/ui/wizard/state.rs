//! The wizard's state: the answers as form fields, and how they become a
//! plan. Errors come from `model::validate` on that plan, so the form and a
//! hand-written file get the same messages.

use std::path::PathBuf;

use secrecy::SecretString;

use super::fields::{F, Field, Page, page_fields};
use super::prefill::{editor_company, empty_plan, initial_fields};
use super::sqltest::TestLine;
use crate::model::naming::suggest_installation_name;
use crate::model::plan::{Company, Plan, SqlConnection};
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
    /// Fields typed in, and whether keeping the company was tried: their
    /// errors show; untouched empty fields stay quiet until then.
    pub touched: Vec<F>,
    pub attempted: bool,
}

impl Editor {
    pub fn shows(&self, f: F) -> bool {
        self.attempted || self.touched.contains(&f)
    }
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
    pub(super) base: Plan,
    pub fields: Vec<Field>,
    pub page: Page,
    pub focus: usize,
    pub companies: Vec<Company>,
    pub(super) initial_companies: Vec<Company>,
    pub selected: usize,
    pub editor: Option<Editor>,
    pub confirm: Option<Confirm>,
    /// The highlighted answer of the question: No when it opens.
    pub confirm_yes: bool,
    pub notice: Option<String>,
    pub sql_test: SqlTest,
    /// The SQL password typed for the connection test: memory only.
    pub test_password: SecretString,
    pub test_password_len: usize,
    /// The installation name follows the company until it is typed.
    pub installation_auto: bool,
    pub saved: bool,
    /// Fields typed in, and pages where Next was tried: their errors show.
    /// A new form does not greet the user with a page of errors.
    pub touched: Vec<F>,
    pub attempted: Vec<Page>,
    pub theme: Theme,
    pub ascii: bool,
    /// Lines of the summary's answers scrolled away.
    pub summary_scroll: usize,
    /// The list of keys is open, scrolled by this many lines.
    pub help: Option<usize>,
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
                // A plan that breaks rules opens (the wizard shows them); one
                // that is not even a plan is refused, with its line.
                let plan: Plan = toml::from_str(&text).map_err(|e| {
                    let name = path.display().to_string();
                    let at = match crate::model::load::parse_plan(&name, &text) {
                        Err(d) if !d.is_empty() => d[0].to_string(),
                        _ => format!("{name}: {}", e.message()),
                    };
                    crate::ui::strings::fill(crate::ui::strings::w().open_refused, &[&at])
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
            confirm_yes: false,
            notice: None,
            sql_test: SqlTest::NotRun,
            test_password: SecretString::from(String::new()),
            test_password_len: 0,
            saved: false,
            touched: Vec::new(),
            attempted: Vec::new(),
            theme,
            ascii,
            summary_scroll: 0,
            help: None,
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

    /// Whether the errors of field `f` (on the current page) are shown.
    pub fn shows(&self, f: F) -> bool {
        self.original.is_some() || self.attempted.contains(&self.page) || self.touched.contains(&f)
    }

    /// Ask `c`, its highlighted answer on No.
    pub fn ask(&mut self, c: Confirm) {
        self.confirm = Some(c);
        self.confirm_yes = false;
    }

    pub fn touch(&mut self, f: F) {
        if !self.touched.contains(&f) {
            self.touched.push(f);
        }
    }

    /// The fields of `page` shown now: a variable name only when the
    /// secret comes from the environment, the proxy password only with a
    /// proxy login, the integration package only when the service is
    /// installed.
    pub fn shown_fields(&self, page: Page) -> Vec<F> {
        let from_env = |f: F| self.v(f) == super::fields::SECRET_FROM[0];
        let proxy_login = !self.v(F::ProxyLogin).trim().is_empty();
        page_fields(page)
            .iter()
            .copied()
            .filter(|f| match f {
                F::LicenceEnv => from_env(F::LicenceFrom),
                F::SqlPasswordEnv => from_env(F::SqlPasswordFrom),
                F::ProxyPasswordFrom => proxy_login,
                F::ProxyPasswordEnv => proxy_login && from_env(F::ProxyPasswordFrom),
                F::IntegrationPackage => self.f(F::IntegrationService).yes(),
                _ => true,
            })
            .collect()
    }

    pub(super) fn v(&self, id: F) -> &str {
        self.f(id).value()
    }

    /// Whether anything differs from what was opened.
    pub fn changed(&self) -> bool {
        self.fields.iter().any(Field::changed)
            || self.companies != self.initial_companies
            || self.test_password_len > 0
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

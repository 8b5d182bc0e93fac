//! The install, licence and multiserver fields: the registered company, the
//! integration service installer, the licence tool and the customised files
//! kept alike on every web server.

use super::Issue;
use super::paths::is_absolute_any;
use crate::model::naming::shown;
use crate::model::plan::{EnvKind, Plan};

/// A product version is written `YEAR.RELEASE`, as on the setup package
/// (`2026.1`): a typo such as `v2026` would name a package that does not
/// exist.
pub fn check_version(field: &str, v: &str, out: &mut Vec<Issue>) {
    if !is_version(v) {
        out.push(Issue::new(
            field,
            crate::tr_fmt!(
                "\"{}\" is not a version of the product",
                "« {} » n'est pas une version du produit",
                shown(v)
            ),
            crate::tr_fmt!(
                "write the year and the release as on the setup package, e.g. 2026.1",
                "écrivez l'année et la version comme sur le programme d'installation, par exemple 2026.1"
            ),
        ));
    }
}

/// `YEAR.RELEASE`: four digits from 2000, a dot, one or two digits.
fn is_version(v: &str) -> bool {
    v.split_once('.').is_some_and(|(y, r)| {
        y.len() == 4
            && y.bytes().all(|b| b.is_ascii_digit())
            && y.starts_with('2')
            && (1..=2).contains(&r.len())
            && r.bytes().all(|b| b.is_ascii_digit())
    })
}

pub(super) fn check_setup_fields(plan: &Plan, out: &mut Vec<Issue>) {
    let d = &plan.deployment;
    if let Some(installed) = &d.installed_company
        && installed.trim() != d.company.trim()
    {
        out.push(Issue::new(
            "deployment.installed_company",
            crate::tr_fmt!(
                "the installation was registered as \"{}\" but company is \"{}\"",
                "l'installation a été enregistrée sous « {} » mais company vaut « {} »",
                shown(installed),
                shown(&d.company)
            ),
            crate::tr_fmt!(
                "the company name never changes and the licence update tool refuses another one: write the registered name in company",
                "la raison sociale ne change jamais et l'outil de mise à jour de la licence en refuse une autre : écrivez dans company le nom enregistré"
            ),
        ));
    }
    if let Some(v) = &d.version {
        check_version("deployment.version", v, out);
    }
    if let Some(s) = &plan.recipe.integration_setup {
        if s.package.as_os_str().to_string_lossy().trim().is_empty() {
            out.push(Issue::new(
                "recipe.integration_setup.package",
                crate::tr_fmt!(
                    "the integration service package is empty",
                    "le programme d'installation du service d'intégration est vide"
                ),
                crate::tr_fmt!(
                    "write the path of the integration service installer, of the same version as the CRM",
                    "écrivez le chemin du programme d'installation du service d'intégration, de la même version que le CRM"
                ),
            ));
        }
        if s.version.trim().is_empty() {
            out.push(Issue::new(
                "recipe.integration_setup.version",
                crate::tr_fmt!(
                    "the expected version of the integration service is empty",
                    "la version attendue du service d'intégration est vide"
                ),
                crate::tr_fmt!(
                    "write the version of the CRM and the back office, e.g. version = \"2026.1\"",
                    "écrivez la version du CRM et de la gestion commerciale, par exemple version = \"2026.1\""
                ),
            ));
        } else if !is_version(&s.version) {
            check_version("recipe.integration_setup.version", &s.version, out);
        } else if let Some(v) = &d.version
            && v.trim() != s.version.trim()
        {
            out.push(Issue::new(
                "recipe.integration_setup.version",
                crate::tr_fmt!(
                    "the integration service is version {} but the CRM is {}",
                    "le service d'intégration est en version {} mais le CRM en {}",
                    shown(&s.version),
                    shown(v)
                ),
                crate::tr_fmt!(
                    "the integration service must match the CRM and the back office: use the package of the same version",
                    "le service d'intégration doit correspondre au CRM et à la gestion commerciale : utilisez le programme d'installation de la même version"
                ),
            ));
        }
    }
    if plan.recipe.licence_tool.is_some() && d.licence_key.is_none() {
        out.push(Issue::new(
            "recipe.licence_tool",
            crate::tr_fmt!(
                "the licence tool is given but the plan has no licence key",
                "l'outil de licence est donné mais le plan n'a pas de clé de licence"
            ),
            crate::tr_fmt!(
                "add licence_key = {{ prompt = true }} (or {{ env = \"NAME\" }}) to [deployment]",
                "ajoutez licence_key = {{ prompt = true }} (ou {{ env = \"NOM\" }}) dans [deployment]"
            ),
        ));
    }
    for kind in [EnvKind::Test, EnvKind::Production] {
        let Some(env) = plan.environments.get(kind) else {
            continue;
        };
        for (i, p) in env.custom_files.iter().enumerate() {
            let text = p.to_string_lossy();
            let field = format!("environments.{kind}.custom_files[{i}]");
            if text.trim().is_empty() {
                out.push(Issue::new(
                    field,
                    crate::tr_fmt!("the path is empty", "le chemin est vide"),
                    crate::tr_fmt!(
                        "write a path relative to the install folder, e.g. WWWRoot/eware.ini",
                        "écrivez un chemin relatif au dossier d'installation, par exemple WWWRoot/eware.ini"
                    ),
                ));
            } else if is_absolute_any(&text) {
                out.push(Issue::new(
                    field,
                    crate::tr_fmt!(
                        "\"{}\" is absolute",
                        "« {} » est un chemin absolu",
                        shown(&text)
                    ),
                    crate::tr_fmt!(
                        "write it relative to the install folder of every web server, e.g. WWWRoot/eware.ini",
                        "écrivez-le relatif au dossier d'installation de chaque serveur web, par exemple WWWRoot/eware.ini"
                    ),
                ));
            } else if text.split(['/', '\\']).any(|c| c == "..") {
                out.push(Issue::new(
                    field,
                    crate::tr_fmt!(
                        "\"{}\" leaves the install folder (..)",
                        "« {} » sort du dossier d'installation (..)",
                        shown(&text)
                    ),
                    crate::tr_fmt!(
                        "name a file or folder inside the install folder",
                        "désignez un fichier ou un dossier dans le dossier d'installation"
                    ),
                ));
            }
        }
    }
}

//! Integration companies and the recipe's extra steps.

use std::collections::HashMap;

use super::Issue;
use crate::model::naming::shown;
use crate::model::plan::{ExtraStep, Plan};
use crate::model::step_kind::ExtraKind;

/// Longest company title the integration record accepts (the guide: 50
/// characters, any characters).
pub const TITLE_MAX: usize = 50;

pub(super) fn check_integration(plan: &Plan, out: &mut Vec<Issue>) {
    let companies = &plan.integration.companies;
    if !companies.is_empty() && !plan.deployment.integration_service {
        out.push(Issue::new(
            "integration.companies",
            crate::tr_fmt!(
                "integration companies are listed but the integration service is not installed",
                "des sociétés d'intégration sont listées mais le service d'intégration n'est pas installé"
            ),
            crate::tr_fmt!(
                "set integration_service = true in [deployment], or remove the companies",
                "mettez integration_service = true dans [deployment], ou supprimez les sociétés"
            ),
        ));
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, c) in companies.iter().enumerate() {
        let base = format!("integration.companies[{i}]");
        let n = c.title.chars().count();
        if c.title.trim().is_empty() {
            out.push(Issue::new(
                format!("{base}.title"),
                crate::tr_fmt!(
                    "the company title is empty",
                    "le titre de la société est vide"
                ),
                crate::tr_fmt!(
                    "write the company code, e.g. Sage100 (the recommended default)",
                    "écrivez le code de la société, par exemple Sage100 (la valeur conseillée)"
                ),
            ));
        } else if n > TITLE_MAX {
            out.push(Issue::new(
                format!("{base}.title"),
                crate::tr_fmt!(
                    "the title has {n} characters, {TITLE_MAX} at most",
                    "le titre a {n} caractères, {TITLE_MAX} au plus"
                ),
                crate::tr_fmt!(
                    "shorten it: the integration record keeps 50 characters",
                    "raccourcissez-le : la fiche d'intégration garde 50 caractères"
                ),
            ));
        } else if let Some(&j) = seen.get(&c.title.to_lowercase()) {
            out.push(Issue::new(
                format!("{base}.title"),
                crate::tr_fmt!(
                    "the title \"{}\" is already used by \"{}\" (titles are compared without case)",
                    "le titre « {} » est déjà pris par « {} » (les titres sont comparés sans tenir compte des majuscules)",
                    shown(&c.title),
                    shown(&companies[j].title)
                ),
                crate::tr_fmt!(
                    "titles identify companies: give each one its own title",
                    "le titre identifie la société : donnez à chacune son propre titre"
                ),
            ));
        } else {
            seen.insert(c.title.to_lowercase(), i);
        }
        check_file(
            &base,
            "accounting_file",
            c.accounting_file.as_deref(),
            ".mae",
            ("accounting", "comptable"),
            out,
        );
        check_file(
            &base,
            "commercial_file",
            c.commercial_file.as_deref(),
            ".gcm",
            ("commercial", "commercial"),
            out,
        );
    }
}

fn check_file(
    base: &str,
    key: &str,
    value: Option<&str>,
    ext: &str,
    which: (&str, &str),
    out: &mut Vec<Issue>,
) {
    let field = format!("{base}.{key}");
    let (which, which_fr) = which;
    let upper = ext.to_uppercase();
    match value {
        None => out.push(Issue::new(
            base,
            crate::tr_fmt!(
                "the {which} file ({ext}) is missing",
                "le fichier {which_fr} ({ext}) manque"
            ),
            crate::tr_fmt!(
                "add {key} = \"C:\\\\...\\\\FILE{upper}\"",
                "ajoutez {key} = \"C:\\\\...\\\\FICHIER{upper}\""
            ),
        )),
        Some(v) if v.trim().is_empty() => out.push(Issue::new(
            field,
            crate::tr_fmt!(
                "the {which} file path is empty",
                "le chemin du fichier {which_fr} est vide"
            ),
            crate::tr_fmt!(
                "write the path of the back office's {ext} file",
                "écrivez le chemin du fichier {ext} de la gestion"
            ),
        )),
        Some(v) if !v.to_lowercase().ends_with(ext) => out.push(Issue::new(
            field,
            crate::tr_fmt!(
                "\"{}\" is not a {ext} file",
                "« {} » n'est pas un fichier {ext}",
                shown(v)
            ),
            crate::tr_fmt!(
                "point to the back office's {which} file, the one ending in {ext}",
                "désignez le fichier {which_fr} de la gestion, celui qui finit par {ext}"
            ),
        )),
        Some(v) if !super::paths::is_absolute_any(v) => out.push(Issue::new(
            field,
            crate::tr_fmt!(
                "\"{}\" is a relative path, and the integration service opens it on its own server",
                "« {} » est un chemin relatif, et le service d'intégration l'ouvre sur son propre serveur",
                shown(v)
            ),
            crate::tr_fmt!(
                "write the full path from the drive or the share, e.g. \\\\COMPTA\\Sage\\FILE{upper}",
                "écrivez le chemin complet depuis le lecteur ou le partage, par exemple \\\\COMPTA\\Sage\\FICHIER{upper}"
            ),
        )),
        Some(_) => {}
    }
}

/// Where each extra step asks to be inserted: (index in `recipe.steps`, the
/// `before` or `after` step id). Whether that id names a built-in step is
/// checked by the stage builder, which knows the generated steps.
pub fn extra_step_anchors(plan: &Plan) -> Vec<(usize, String)> {
    plan.recipe
        .steps
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            s.before
                .as_ref()
                .or(s.after.as_ref())
                .map(|a| (i, a.clone()))
        })
        .collect()
}

pub(super) fn check_recipe(plan: &Plan, out: &mut Vec<Issue>) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let vars = super::secrets::secret_vars(plan);
    for (i, s) in plan.recipe.steps.iter().enumerate() {
        let base = format!("recipe.steps[{i}]");
        super::secrets::check_step_secrets(&base, &s.kind, &s.secrets, &vars, out);
        let id_ok = !s.id.is_empty()
            && s.id.len() <= 64
            && s.id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !id_ok {
            out.push(Issue::new(
                format!("{base}.id"),
                crate::tr_fmt!(
                    "\"{}\" is not a valid step id",
                    "« {} » n'est pas un identifiant d'étape valide",
                    shown(&s.id)
                ),
                crate::tr_fmt!(
                    "use 1-64 letters, digits, - or _ (e.g. stop-antivirus)",
                    "utilisez de 1 à 64 lettres, chiffres, - ou _ (par exemple stop-antivirus)"
                ),
            ));
        } else if let Some(&j) = seen.get(s.id.as_str()) {
            out.push(Issue::new(
                format!("{base}.id"),
                crate::tr_fmt!(
                    "the step id \"{}\" is already used by recipe.steps[{j}]",
                    "l'identifiant d'étape « {} » est déjà pris par recipe.steps[{j}]",
                    s.id
                ),
                crate::tr_fmt!(
                    "give each extra step its own id",
                    "donnez à chaque étape ajoutée son propre identifiant"
                ),
            ));
        } else {
            seen.insert(&s.id, i);
        }
        match (&s.before, &s.after) {
            (None, None) => out.push(Issue::new(
                base.clone(),
                crate::tr_fmt!(
                    "the step says neither before nor after which step it runs",
                    "l'étape ne dit ni avant (before) ni après (after) quelle étape elle s'exécute"
                ),
                crate::tr_fmt!(
                    "add before = \"step-id\" or after = \"step-id\"",
                    "ajoutez before = \"id-etape\" ou after = \"id-etape\""
                ),
            )),
            (Some(_), Some(_)) => out.push(Issue::new(
                format!("{base}.after"),
                crate::tr_fmt!(
                    "the step has both before and after",
                    "l'étape a à la fois before et after"
                ),
                crate::tr_fmt!("keep only one of them", "n'en gardez qu'un"),
            )),
            _ => {}
        }
        check_kind(&base, s, out);
    }
}

fn check_kind(base: &str, s: &ExtraStep, out: &mut Vec<Issue>) {
    let need = |present: bool, key: &str, example: (&str, &str), out: &mut Vec<Issue>| {
        if !present {
            let kind = &s.kind;
            let (example, example_fr) = example;
            out.push(Issue::new(
                base,
                crate::tr_fmt!(
                    "kind = \"{kind}\" needs {key}",
                    "kind = \"{kind}\" demande {key}"
                ),
                crate::tr_fmt!("add {key} = {example}", "ajoutez {key} = {example_fr}"),
            ));
        }
    };
    let nonempty =
        |p: &Option<std::path::PathBuf>| p.as_ref().is_some_and(|p| !p.as_os_str().is_empty());
    let kind = match ExtraKind::try_from(s.kind.as_str()) {
        Ok(k) => k,
        Err(fix) => {
            out.push(Issue::new(
                format!("{base}.kind"),
                crate::tr_fmt!(
                    "\"{}\" is not a known step kind",
                    "« {} » n'est pas une sorte d'étape connue",
                    shown(&s.kind)
                ),
                fix,
            ));
            return;
        }
    };
    match kind {
        ExtraKind::Exec => need(
            nonempty(&s.program),
            "program",
            (
                "\"C:\\\\Tools\\\\tool.exe\"",
                "\"C:\\\\Outils\\\\outil.exe\"",
            ),
            out,
        ),
        ExtraKind::Manual => need(
            s.prompt.as_ref().is_some_and(|p| !p.trim().is_empty()),
            "prompt",
            (
                "\"what the operator must do\"",
                "\"ce que l'opérateur doit faire\"",
            ),
            out,
        ),
        ExtraKind::HttpWait | ExtraKind::CheckTcp => {
            need(
                s.url.is_some(),
                "url",
                ("\"http://web1/CRMSAGE\"", "\"http://web1/CRMSAGE\""),
                out,
            );
            if let Some(u) = &s.url {
                let ok = if kind == ExtraKind::HttpWait {
                    u.starts_with("http://") || u.starts_with("https://")
                } else {
                    u.rsplit_once(':').is_some_and(|(h, p)| {
                        !h.is_empty() && p.parse::<u16>().is_ok_and(|p| p > 0)
                    })
                };
                if !ok {
                    let fix = if kind == ExtraKind::HttpWait {
                        crate::tr_fmt!(
                            "write a full http:// or https:// URL",
                            "écrivez une URL complète en http:// ou https://"
                        )
                    } else {
                        crate::tr_fmt!(
                            "write host:port, e.g. sql1:1433",
                            "écrivez hôte:port, par exemple sql1:1433"
                        )
                    };
                    out.push(Issue::new(
                        format!("{base}.url"),
                        crate::tr_fmt!(
                            "\"{}\" is not usable by a {} step",
                            "« {} » n'est pas utilisable par une étape {}",
                            shown(u),
                            s.kind
                        ),
                        fix,
                    ));
                }
            }
        }
        ExtraKind::CheckPathExists => need(
            nonempty(&s.path),
            "path",
            ("\"C:\\\\...\"", "\"C:\\\\...\""),
            out,
        ),
        ExtraKind::SqlScript => need(
            nonempty(&s.script),
            "script",
            ("\"scripts\\\\fix.sql\"", "\"scripts\\\\correctif.sql\""),
            out,
        ),
        ExtraKind::ServiceStop | ExtraKind::ServiceStart => need(
            s.service
                .as_ref()
                .is_some_and(|n| !n.trim().is_empty() && !n.chars().any(char::is_control)),
            "service",
            (
                "\"W3SVC\" (the service name, as sc.exe query shows it)",
                "\"W3SVC\" (le nom du service, tel que sc.exe query l'affiche)",
            ),
            out,
        ),
        ExtraKind::IisReset => {}
    }
}

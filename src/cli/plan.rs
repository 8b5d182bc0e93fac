//! `dress plan validate` and `dress plan show` (the dry run).

use std::io::Write;
use std::path::Path;

use crate::error::Error::{self, BadInput};
use crate::model::EnvKind;
use crate::model::lang::tr;
use crate::recipe as stages;

pub fn validate(file: &Path) -> i32 {
    crate::cli::adopt_plan_language(file);
    match crate::model::load::load_plan(file) {
        Ok(loaded) => {
            if let Err(e) = crate::cli::session::nothing_to_run(file, &loaded.plan) {
                eprintln!("{e}");
                return 2;
            }
            // Stage generation checks what the file alone cannot: that the
            // recipe steps name existing built-in steps.
            let name = file.display().to_string();
            let diags =
                crate::engine::plan_check::build_diagnostics(&name, &loaded.source, &loaded.plan);
            if !diags.is_empty() {
                for d in diags {
                    eprintln!("{d}");
                }
                return 2;
            }
            for w in crate::engine::sql::preflight::clear_text_warnings(&loaded.plan) {
                eprintln!("{}: warning: {w}", file.display());
            }
            println!(
                "{}",
                crate::tr_fmt!(
                    "{}: the plan is valid",
                    "{} : le plan est valide",
                    file.display()
                )
            );
            0
        }
        Err(diags) => {
            for d in diags {
                eprintln!("{d}");
            }
            2
        }
    }
}

/// Print the stages and steps a run would go through, with the exact command
/// lines and SQL, secrets masked. Changes nothing.
pub fn show(file: &Path, env: EnvKind, only: Option<&str>) -> Result<i32, Error> {
    crate::cli::adopt_plan_language(file);
    let text =
        std::fs::read_to_string(file).map_err(|e| BadInput(format!("{}: {e}", file.display())))?;
    let base = crate::model::paths::plan_folder(file);
    let plan = crate::model::runplan::parse_for_run(&file.to_string_lossy(), &text, &base)
        .map_err(BadInput)?;
    let all = stages::build(&plan, env).map_err(BadInput)?;
    if let Some(s) = only
        && !all.iter().any(|x| x.id == s)
    {
        return Err(BadInput(crate::tr_fmt!(
            "--stage {s}: no such stage in this plan for {env}; the stages are {}",
            "--stage {s} : pas de phase de ce nom dans ce plan pour {env} ; les phases sont {}",
            all.iter()
                .map(|x| x.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "{}",
        crate::tr_fmt!(
            "plan {} — {} ({}), installation {}, run on {env}",
            "plan {} — {} ({}), installation {}, exécution sur {env}",
            file.display(),
            plan.deployment.company,
            plan.deployment.product,
            plan.deployment.installation
        )
    );
    match crate::engine::gate::fingerprint_parts(&plan) {
        Ok(Some(f)) => {
            let _ = writeln!(
                out,
                "{}",
                crate::tr_fmt!(
                    "recipe fingerprint {}",
                    "empreinte de la recette {}",
                    f.value
                )
            );
            for p in &f.parts {
                let _ = writeln!(
                    out,
                    "  {} {}  {}",
                    tr("part", "partie"),
                    p.hash,
                    part_name(&p.what)
                );
            }
        }
        Ok(None) => {}
        Err(e) => {
            let _ = writeln!(
                out,
                "{}",
                crate::tr_fmt!(
                    "recipe fingerprint unavailable: {e}",
                    "empreinte de la recette indisponible : {e}"
                )
            );
        }
    }
    for st in all.iter().filter(|s| only.is_none_or(|o| o == s.id)) {
        let _ = writeln!(
            out,
            "\n[{}] {} — {} {}",
            st.id,
            st.title,
            tr("on", "sur"),
            st.env
        );
        for s in &st.steps {
            let flags = format!(
                "{}{}",
                if s.required {
                    tr("required", "obligatoire")
                } else {
                    tr("optional", "facultative")
                },
                if s.changes {
                    tr(", changes", ", modifie")
                } else {
                    tr(", read-only", ", lecture seule")
                }
            );
            let _ = writeln!(
                out,
                "  {}/{}  {}  ({}; {})",
                st.id,
                s.id,
                s.title,
                s.action.kind(),
                flags
            );
            for l in s.action.describe() {
                let _ = writeln!(out, "      {l}");
            }
        }
    }
    Ok(0)
}

/// A fingerprint part's name for the reader. The names are hashed into
/// the fingerprint, so they stay English in the fingerprint itself and
/// are put into French only here.
fn part_name(what: &str) -> String {
    if crate::model::lang::current() == crate::model::lang::Lang::En {
        return what.to_string();
    }
    const WORDS: [(&str, &str); 9] = [
        ("recipe", "recette"),
        ("deployment", "déploiement"),
        ("production", "production"),
        ("setup package ", "programme d'installation "),
        ("setup program ", "exécutable d'installation "),
        (
            "integration installer ",
            "installation du service d'intégration ",
        ),
        (
            "integration program ",
            "exécutable du service d'intégration ",
        ),
        ("licence tool file ", "fichier de l'outil de licence "),
        ("licence tool ", "outil de licence "),
    ];
    for (en, fr) in WORDS {
        if what == en.trim_end() {
            return fr.trim_end().to_string();
        }
        if let Some(rest) = what.strip_prefix(en) {
            return format!("{fr}{rest}");
        }
    }
    // `step ID program|script|file PATH`
    if let Some(rest) = what.strip_prefix("step ")
        && let Some((id, rest)) = rest.split_once(' ')
    {
        for (en, fr) in [
            ("program ", "programme "),
            ("script ", "script "),
            ("file ", "fichier "),
        ] {
            if let Some(path) = rest.strip_prefix(en) {
                return format!("étape {id} : {fr}{path}");
            }
        }
    }
    what.to_string()
}

//! What only building the stages finds in a plan (an extra step's anchor
//! that names no step, a missing `[recipe.setup]` the upgrade stages need),
//! located in the file like every other plan error: `FILE:LINE:COL`.

use crate::model::load::Diagnostic;
use crate::model::locate::{LineIndex, SpanIndex};
use crate::model::{EnvKind, Plan};
use crate::recipe::{BuildIssue, build_checked};

/// The stage-building problems of `plan` (for runs on either environment),
/// each at the place of its field in `text`.
pub fn build_diagnostics(file: &str, text: &str, plan: &Plan) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::new();
    let mut index: Option<(SpanIndex, LineIndex)> = None;
    for env in [EnvKind::Test, EnvKind::Production] {
        let Err(issue) = build_checked(plan, env) else {
            continue;
        };
        let (spans, lines) =
            index.get_or_insert_with(|| (SpanIndex::new(text), LineIndex::new(text)));
        let d = locate(file, spans, lines, issue);
        if !out.contains(&d) {
            out.push(d);
        }
    }
    for issue in crate::recipe::prompts::issues(plan) {
        let (spans, lines) =
            index.get_or_insert_with(|| (SpanIndex::new(text), LineIndex::new(text)));
        out.push(locate(file, spans, lines, issue));
    }
    out
}

/// One stage-building problem at the place of its field in `text` (for
/// `dress run`, which builds the stages of one environment).
pub fn located(file: &str, text: &str, issue: BuildIssue) -> Diagnostic {
    locate(file, &SpanIndex::new(text), &LineIndex::new(text), issue)
}

fn locate(file: &str, spans: &SpanIndex, lines: &LineIndex, issue: BuildIssue) -> Diagnostic {
    // A missing table is located at its nearest parent (`[recipe]`).
    let (line, col) = spans
        .span_of(&issue.field)
        .map_or((1, 1), |s| lines.line_col(s.start));
    let fix = if issue.field == "recipe.setup" {
        crate::tr_fmt!(
            "add [recipe.setup] with package = \"...\" and args = [...] (the vendor setup the upgrade runs)",
            "ajoutez [recipe.setup] avec package = \"...\" et args = [...] (le programme d'installation de l'éditeur que la mise à jour lance)"
        )
    } else if issue.field.ends_with(".before") || issue.field.ends_with(".after") {
        crate::tr_fmt!(
            "name a step that `dress plan show` lists, as stage/step",
            "désignez une étape que `dress plan show` liste, sous la forme phase/étape"
        )
    } else if issue.field.starts_with("recipe.prompts.")
        && (issue.field.ends_with(".en") || issue.field.ends_with(".fr"))
    {
        crate::tr_fmt!(
            "write the text the operator signs, or remove the line to keep the built-in one",
            "écrivez le texte que l'opérateur valide, ou retirez la ligne pour garder celui d'origine"
        )
    } else if issue.field.starts_with("recipe.prompts.") {
        crate::tr_fmt!(
            "name a manual step of the list, as stage/step, and give it a text in en and/or fr",
            "désignez une étape manuelle de la liste, sous la forme phase/étape, et donnez-lui un texte en en et/ou fr"
        )
    } else {
        crate::tr_fmt!("correct this field", "corrigez ce champ")
    };
    Diagnostic {
        file: file.to_string(),
        line,
        col,
        field: issue.field,
        what: issue.what,
        fix,
    }
}

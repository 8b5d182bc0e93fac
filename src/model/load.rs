//! Loading a plan file: TOML syntax, serde types, then every semantic rule,
//! all reported as [`Diagnostic`]s with a line and a column.
//!
//! Syntax and type errors stop at the first one (the TOML parser and serde
//! cannot go on); semantic rules are all checked and all reported.

use std::fmt;
use std::path::{Path, PathBuf};

use super::load_words::{explain_serde, explain_syntax, syntax_fix};
use super::locate::{LineIndex, SpanIndex};
use super::plan::Plan;
use super::validate::{Issue, validate};

/// One problem in a plan file, printed as
/// `FILE:LINE:COL: field: what is wrong — how to fix it`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub col: usize,
    /// Dotted path of the field, e.g. `environments.test.servers[1].ipv6`.
    pub field: String,
    pub what: String,
    pub fix: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {} — {}",
            self.file, self.line, self.col, self.field, self.what, self.fix
        )
    }
}

/// A plan that passed every rule, with where it came from.
#[derive(Debug, Clone)]
pub struct LoadedPlan {
    pub plan: Plan,
    pub path: PathBuf,
    pub source: String,
}

/// Read and check a plan file.
pub fn load_plan(path: impl AsRef<Path>) -> Result<LoadedPlan, Vec<Diagnostic>> {
    let path = path.as_ref();
    let name = path.display().to_string();
    let text = read_plan_text(path).map_err(|d| vec![*d])?;
    let base = super::paths::plan_folder(path);
    let plan = parse_plan_at(&name, &text, Some(&base))?;
    Ok(LoadedPlan {
        plan,
        path: path.to_path_buf(),
        source: text,
    })
}

/// A plan file's text; a byte that is not UTF-8 is pointed at.
pub fn read_plan_text(path: &Path) -> Result<String, Box<Diagnostic>> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        Box::new(Diagnostic {
            file: name.clone(),
            line: 1,
            col: 1,
            field: "plan".into(),
            what: crate::tr_fmt!(
                "the file cannot be read ({})",
                "le fichier ne peut pas être lu ({})",
                super::lang_fmt::io_error(&e)
            ),
            fix: crate::tr_fmt!(
                "check the path and the permissions",
                "vérifiez le chemin et les droits d'accès"
            ),
        })
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        // The valid text before the bad byte gives its line and column.
        let before = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
        let (line, col) = LineIndex::new(before).line_col(at);
        Box::new(Diagnostic {
            file: name.clone(),
            line,
            col,
            field: "plan".into(),
            what: crate::tr_fmt!(
                "byte {at} (0x{:02X}) is not UTF-8 text",
                "l'octet {at} (0x{:02X}) n'est pas du texte UTF-8",
                bytes.get(at).copied().unwrap_or_default()
            ),
            fix: crate::tr_fmt!(
                "save the plan as UTF-8 (an editor's \"UTF-8\" encoding), or retype the \
                 characters at this place",
                "enregistrez le plan en UTF-8 (l'encodage « UTF-8 » de l'éditeur), ou \
                 retapez les caractères à cet endroit"
            ),
        })
    })
}

/// Parse and check plan text; `file_name` is only used in the diagnostics.
/// The plan's `[deployment] language`, read even from a plan with errors
/// elsewhere, so its messages are given in the customer's language.
pub fn language_hint(text: &str) -> Option<super::lang::Lang> {
    let doc: toml::Table = text.parse().ok()?;
    let tag = doc.get("deployment")?.get("language")?.as_str()?;
    tag.parse().ok()
}

pub fn parse_plan(file_name: &str, text: &str) -> Result<Plan, Vec<Diagnostic>> {
    parse_plan_at(file_name, text, None)
}

/// Parse and check plan text; with `base` (the plan file's folder), the
/// folders are also resolved on disk and compared (see
/// `validate::check_overlap`). The plan returned keeps its paths as written.
pub fn parse_plan_at(
    file_name: &str,
    text: &str,
    base: Option<&Path>,
) -> Result<Plan, Vec<Diagnostic>> {
    let lines = LineIndex::new(text);
    let at = |offset: Option<usize>, field: String, what: String, fix: String| {
        let (line, col) = offset.map_or((1, 1), |o| lines.line_col(o));
        Diagnostic {
            file: file_name.to_string(),
            line,
            col,
            field,
            what,
            fix,
        }
    };
    // One parse when the plan is well formed (a large plan is parsed once);
    // on an error, every misspelt key and wrong type is found in one pass.
    let mut plan: Plan = match toml::from_str(text) {
        Ok(p) => p,
        Err(_) => {
            if let Err(e) = toml_edit::Document::parse(text) {
                let what = explain_syntax(e.message());
                let field = "syntax".to_string();
                let fix = syntax_fix(true);
                return Err(vec![at(e.span().map(|s| s.start), field, what, fix)]);
            }
            let index = SpanIndex::new(text);
            // Every unknown key and every value of the wrong type, in one pass: the
            // item serde stopped at is reported and taken out of a copy of the
            // document, and the copy is read again, until it reads.
            let mut doc: toml_edit::DocumentMut = match text.parse() {
                Ok(d) => d,
                Err(e) => {
                    let what = explain_syntax(e.message());
                    return Err(vec![at(
                        e.span().map(|s| s.start),
                        "syntax".into(),
                        what,
                        syntax_fix(false),
                    )]);
                }
            };
            // Each diagnostic with whether it says a required field is missing.
            let mut errors: Vec<(Diagnostic, bool)> = Vec::new();
            let mut removed: Vec<String> = Vec::new();
            let mut placeholders: std::collections::HashMap<String, usize> = Default::default();
            let mut plan: Option<Plan> = None;
            for round in 0..256 {
                let current = if round == 0 {
                    text.to_string()
                } else {
                    doc.to_string()
                };
                match toml::from_str::<Plan>(&current) {
                    Ok(p) => {
                        plan = Some(p);
                        break;
                    }
                    Err(e) => {
                        let cur_index = SpanIndex::new(&current);
                        let offset = e.span().map(|s| s.start);
                        let explained =
                            explain_serde(e.message(), offset.and_then(|o| cur_index.path_at(o)));
                        let missing = explained.missing;
                        let last = missing || explained.no_plan;
                        let (mut field, what, fix) =
                            (explained.field, explained.what, explained.fix);
                        if field.is_empty() {
                            field = "plan".into();
                        }
                        // A required key taken out for its wrong type is not missing
                        // as well.
                        let bare = |p: &str| {
                            let mut out = String::new();
                            let mut skip = false;
                            for c in p.chars() {
                                match c {
                                    '[' => skip = true,
                                    ']' => skip = false,
                                    _ if !skip => out.push(c),
                                    _ => {}
                                }
                            }
                            out
                        };
                        let consequence = missing
                            && removed.iter().any(|r| {
                                let (r, f) = (bare(r), bare(&field));
                                f == r || f.starts_with(&format!("{r}."))
                            });
                        if !consequence {
                            let at_offset = if round == 0 {
                                offset
                            } else {
                                index
                                    .span_of(&field)
                                    .map(|s| s.start)
                                    .or_else(|| parent_span(&index, &field))
                            };
                            errors.push((at(at_offset, field.clone(), what, fix), last));
                        }
                        if field == "plan" {
                            break;
                        }
                        if missing {
                            // Put a stand-in of each likely type in its place, so the
                            // rest of the plan is read too; it is never used.
                            let tries = placeholders.entry(field.clone()).or_insert(0usize);
                            if *tries >= PLACEHOLDERS.len()
                                || !insert_path(&mut doc, &field, *tries)
                            {
                                break;
                            }
                            *tries += 1;
                            removed.push(field);
                            continue;
                        }
                        if let Some(tries) = placeholders.get_mut(&field) {
                            // The stand-in had the wrong type: the next one.
                            if *tries >= PLACEHOLDERS.len()
                                || !insert_path(&mut doc, &field, *tries)
                            {
                                break;
                            }
                            *tries += 1;
                            errors.pop();
                            continue;
                        }
                        if !remove_path(&mut doc, &field) {
                            break;
                        }
                        removed.push(field);
                    }
                }
            }
            if !errors.is_empty() {
                // A missing key is often the consequence of a misspelt one: the
                // misspelling first.
                errors.sort_by_key(|(a, last)| (*last, a.line, a.col));
                let mut errors: Vec<Diagnostic> = errors.into_iter().map(|(d, _)| d).collect();
                errors.dedup_by(|a, b| a.to_string() == b.to_string());
                return Err(errors);
            }

            match plan {
                Some(p) => p,
                None => {
                    return Err(vec![at(
                        None,
                        "plan".into(),
                        crate::tr_fmt!("the plan cannot be read", "le plan ne peut pas être lu"),
                        crate::tr_fmt!("check the file", "vérifiez le fichier"),
                    )]);
                }
            }
        }
    };
    plan.name_prompts();
    let mut issues = validate(&plan);
    if let Some(base) = base {
        let mut resolved = plan.clone();
        super::paths::resolve_paths(&mut resolved, base);
        issues.extend(super::validate::check_overlap(&resolved, None));
    }
    if issues.is_empty() {
        return Ok(plan);
    }
    let index = SpanIndex::new(text);
    let mut diags: Vec<Diagnostic> = issues
        .into_iter()
        .map(|Issue { field, what, fix }| {
            let offset = index.span_of(&field).map(|s| s.start);
            at(offset, field, what, fix)
        })
        .collect();
    if diags.is_empty() {
        return Ok(plan);
    }
    diags.sort_by_key(|a| (a.line, a.col));
    Err(diags)
}

/// The span of the nearest enclosing table of `field` that the text has.
fn parent_span(index: &SpanIndex, field: &str) -> Option<usize> {
    let mut f = field;
    while let Some((parent, _)) = f.rsplit_once('.') {
        if let Some(s) = index.span_of(parent) {
            return Some(s.start);
        }
        f = parent;
    }
    None
}

/// Take the item at a dotted path (`a.b[2].c`) out of the document; false
/// when the path names nothing that can be removed.
fn remove_path(doc: &mut toml_edit::DocumentMut, path: &str) -> bool {
    let parts: Vec<&str> = path.split('.').collect();
    remove_in(doc.as_item_mut(), &parts)
}

fn seg(s: &str) -> (&str, Option<usize>) {
    match s.split_once('[') {
        Some((name, rest)) => (name, rest.trim_end_matches(']').parse().ok()),
        None => (s, None),
    }
}

fn remove_in(item: &mut toml_edit::Item, parts: &[&str]) -> bool {
    use toml_edit::{Item, Value};
    let Some((first, rest)) = parts.split_first() else {
        return false;
    };
    let (name, idx) = seg(first);
    if rest.is_empty() && idx.is_none() {
        return match item {
            Item::Table(t) => t.remove(name).is_some(),
            Item::Value(Value::InlineTable(t)) => t.remove(name).is_some(),
            _ => false,
        };
    }
    let Some(child) = item.get_mut(name) else {
        return false;
    };
    match idx {
        None => remove_in(child, rest),
        Some(i) => match child {
            Item::ArrayOfTables(a) if rest.is_empty() && i < a.len() => {
                a.remove(i);
                true
            }
            Item::ArrayOfTables(_) if rest.is_empty() => false,
            Item::ArrayOfTables(a) => match a.get_mut(i) {
                Some(t) => {
                    let mut inner = Item::Table(std::mem::take(t));
                    let done = remove_in(&mut inner, rest);
                    if let Item::Table(back) = inner {
                        *t = back;
                    }
                    done
                }
                None => false,
            },
            Item::Value(Value::Array(a)) if rest.is_empty() && i < a.len() => {
                a.remove(i);
                true
            }
            Item::Value(Value::Array(_)) if rest.is_empty() => false,
            Item::Value(Value::Array(a)) => match a.get_mut(i) {
                Some(Value::InlineTable(t)) => match rest {
                    [one] => t.remove(one).is_some(),
                    _ => false,
                },
                _ => false,
            },
            _ => false,
        },
    }
}

/// Stand-ins for a missing key, tried in turn until one has the right type.
const PLACEHOLDERS: [&str; 4] = ["string", "integer", "boolean", "table"];

/// Put the `n`th stand-in at a dotted path whose parents exist.
fn insert_path(doc: &mut toml_edit::DocumentMut, path: &str, n: usize) -> bool {
    use toml_edit::{Item, Value};
    let parts: Vec<&str> = path.split('.').collect();
    let Some((last, parents)) = parts.split_last() else {
        return false;
    };
    let mut item: &mut Item = doc.as_item_mut();
    for p in parents {
        let (name, idx) = seg(p);
        let Some(next) = item.get_mut(name) else {
            return false;
        };
        item = next;
        if let Some(i) = idx {
            let Some(t) = item.as_array_of_tables_mut().and_then(|a| a.get_mut(i)) else {
                return false;
            };
            // SAFETY-free re-borrow: continue inside the table of the array.
            let table: &mut toml_edit::Table = t;
            return insert_in_table(
                table,
                &parts[parents.iter().position(|x| x == p).map_or(0, |i| i + 1)..],
                n,
            );
        }
    }
    let value: Item = match n {
        0 => toml_edit::value(""),
        1 => toml_edit::value(0),
        2 => toml_edit::value(false),
        _ => Item::Value(Value::InlineTable(Default::default())),
    };
    match item {
        Item::Table(t) => {
            t.insert(last, value);
            true
        }
        Item::Value(Value::InlineTable(t)) => match value {
            Item::Value(v) => {
                t.insert(*last, v);
                true
            }
            _ => false,
        },
        _ => false,
    }
}

fn insert_in_table(t: &mut toml_edit::Table, rest: &[&str], n: usize) -> bool {
    let mut doc = toml_edit::DocumentMut::new();
    for (k, v) in t.iter() {
        doc.insert(k, v.clone());
    }
    if !insert_path(&mut doc, &rest.join("."), n) {
        return false;
    }
    *t = doc.as_table().clone();
    true
}

//! The TOML parser's and serde's errors in our own words, in the language in
//! use. The library's message is read for its parts (the field's name, the
//! expected names and type, the value found); its English never reaches a
//! French reader.

use super::lang::{Lang, current};
use super::naming::{shown, shown_max};

/// A serde error explained: the field it is about, what is wrong, how to fix
/// it; `missing` when a required field is absent, `no_plan` when the text
/// is not a plan at all (no `[deployment]`).
pub(super) struct Explained {
    pub field: String,
    pub what: String,
    pub fix: String,
    pub missing: bool,
    pub no_plan: bool,
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").trim().to_string()
}

/// The names between backticks: "expected one of `a`, `b`" gives a, b.
fn quoted_names(s: &str) -> Vec<&str> {
    s.split('`').skip(1).step_by(2).collect()
}

/// A list of keys or values for a French reader: « a », « b ».
fn listed_fr(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("« {n} »"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Turn a serde message into (field, what, fix).
pub(super) fn explain_serde(message: &str, path: Option<String>) -> Explained {
    let msg = first_line(message);
    let path = path.unwrap_or_default();
    let fr = current() == Lang::Fr;
    let named = |base: &str, name: &str| {
        if base.is_empty() {
            name.to_string()
        } else {
            format!("{base}.{name}")
        }
    };
    let done = |field: String, what: String, fix: String| Explained {
        field,
        what,
        fix,
        missing: false,
        no_plan: false,
    };
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let (name, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let field = if path == name || path.ends_with(&format!(".{name}")) {
            path.clone()
        } else {
            named(&path, name)
        };
        if fr {
            let names = quoted_names(expected);
            let fix = if names.is_empty() {
                "supprimez-le : cette table n'a pas de champ".to_string()
            } else {
                format!(
                    "vérifiez l'orthographe ou supprimez-le ; champs possibles : {}",
                    listed_fr(&names)
                )
            };
            return done(field, format!("champ inconnu « {} »", shown(name)), fix);
        }
        let expected = expected
            .trim_start_matches(", ")
            .trim_start_matches("expected ");
        return done(
            field,
            format!("unknown field `{}`", shown(name)),
            format!("check the spelling or remove it; expected {expected}"),
        );
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or(rest);
        if path.is_empty() && name == "deployment" {
            // An empty file, or one that is not a plan.
            return Explained {
                no_plan: true,
                ..done(
                    "deployment".into(),
                    crate::tr_fmt!(
                        "the plan has no [deployment] table",
                        "le plan n'a pas de table [deployment]"
                    ),
                    crate::tr_fmt!(
                        "start the plan with [deployment] and its company and installation (see examples/sandbox.toml), or write one with `dress new`",
                        "commencez le plan par [deployment] avec company et installation (voir examples/sandbox.toml), ou créez-en un avec `dress new`"
                    ),
                )
            };
        }
        let table = if path.is_empty() {
            crate::tr_fmt!("the top of the plan", "en tête du plan")
        } else {
            crate::tr_fmt!("[{path}]", "dans [{path}]")
        };
        return Explained {
            missing: true,
            ..done(
                named(&path, name),
                crate::tr_fmt!(
                    "the field `{name}` is missing",
                    "le champ « {name} » manque"
                ),
                crate::tr_fmt!(
                    "add {name} = ... to {table}",
                    "ajoutez {name} = ... {table}"
                ),
            )
        };
    }
    if msg.contains("untagged enum SecretRef") {
        return done(
            path,
            crate::tr_fmt!(
                "this secret reference has an unknown form",
                "cette référence de secret a une forme inconnue"
            ),
            crate::tr_fmt!(
                "use {{ env = \"NAME\" }} or {{ prompt = true }}",
                "utilisez {{ env = \"NOM\" }} ou {{ prompt = true }}"
            ),
        );
    }
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        let (name, expected) = rest.split_once('`').unwrap_or((rest, ""));
        if fr {
            let names = quoted_names(expected);
            let fix = if names.is_empty() {
                "supprimez cette valeur : aucune n'est possible ici".to_string()
            } else {
                format!("utilisez l'une de ces valeurs : {}", listed_fr(&names))
            };
            return done(
                path,
                format!("« {} » n'est pas une valeur connue", shown(name)),
                fix,
            );
        }
        let expected = expected.trim_start_matches(", ");
        return done(
            path,
            format!("`{}` is not a known value", shown(name)),
            format!(
                "use one of: {}",
                expected.trim_start_matches("expected one of ")
            ),
        );
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        let (found, expected) = rest
            .split_once(", expected ")
            .unwrap_or((rest, "another type"));
        if fr {
            return done(
                path,
                format!("type incorrect : {}", found_fr(found)),
                format!("écrivez {}", type_hint_fr(expected)),
            );
        }
        return done(
            path,
            format!("wrong type: {}", shown(found)),
            format!("write {}", type_hint(expected)),
        );
    }
    let field = if path.is_empty() {
        "plan".to_string()
    } else {
        path
    };
    let expected = msg.rsplit_once(", expected ").map(|(_, e)| e);
    let fix = match expected {
        Some("u16") => crate::tr_fmt!(
            "write a whole number from 0 to 65535",
            "écrivez un nombre entier de 0 à 65535"
        ),
        Some("u32") => crate::tr_fmt!(
            "write a whole number from 0 to 4294967295",
            "écrivez un nombre entier de 0 à 4294967295"
        ),
        Some("u64") => crate::tr_fmt!(
            "write a whole number, 0 or more",
            "écrivez un nombre entier, 0 ou plus"
        ),
        _ => crate::tr_fmt!(
            "correct the value to the form the field expects",
            "corrigez la valeur selon la forme attendue par le champ"
        ),
    };
    if fr {
        let what = if let Some(rest) = msg.strip_prefix("invalid value: ") {
            let found = rest.split_once(", expected ").map_or(rest, |(f, _)| f);
            format!("valeur incorrecte : {}", found_fr(found))
        } else if let Some(rest) = msg.strip_prefix("duplicate field `") {
            let name = rest.split('`').next().unwrap_or(rest);
            format!("le champ « {} » est écrit deux fois", shown(name))
        } else if msg.starts_with("invalid length") {
            "nombre d'éléments incorrect".to_string()
        } else {
            "valeur incorrecte".to_string()
        };
        return done(field, what, fix);
    }
    done(field, shown_max(&msg, 160), fix)
}

/// Serde's description of the value found, for a French reader:
/// `string "lots"` is « le texte « lots » ».
fn found_fr(found: &str) -> String {
    let inner = |s: &str| {
        let s = s.trim();
        let s = s
            .strip_prefix('`')
            .and_then(|s| s.strip_suffix('`'))
            .or_else(|| s.strip_prefix('"').and_then(|s| s.strip_suffix('"')))
            .unwrap_or(s);
        shown(s)
    };
    if let Some(v) = found.strip_prefix("string ") {
        format!("le texte « {} »", inner(v))
    } else if let Some(v) = found.strip_prefix("integer ") {
        format!("le nombre entier {}", inner(v))
    } else if let Some(v) = found.strip_prefix("floating point ") {
        format!("le nombre décimal {}", inner(v))
    } else if let Some(v) = found.strip_prefix("boolean ") {
        format!("le booléen {}", inner(v))
    } else if let Some(v) = found.strip_prefix("character ") {
        format!("le caractère « {} »", inner(v))
    } else if found.starts_with("sequence") {
        "une liste".to_string()
    } else if found.starts_with("map") || found.contains("table") {
        "une table".to_string()
    } else if found.contains("datetime") || found.contains("date") {
        "une date".to_string()
    } else {
        "une valeur d'une autre sorte".to_string()
    }
}

/// Serde's expected type in words a person writing TOML understands.
fn type_hint(expected: &str) -> String {
    match expected {
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number without quotes, e.g. 1024".into(),
        "i8" | "i16" | "i32" | "i64" => "a whole number without quotes, e.g. 0".into(),
        "a boolean" => "true or false, without quotes".into(),
        "a string" => "text in quotes".into(),
        "a sequence" => "a list in brackets, e.g. [\"a\", \"b\"]".into(),
        other => other.to_string(),
    }
}

/// [`type_hint`] for a French reader; a type it does not know is described
/// by its form, never by the library's English.
fn type_hint_fr(expected: &str) -> &'static str {
    match expected {
        "u8" | "u16" | "u32" | "u64" | "usize" => {
            "un nombre entier sans guillemets, par exemple 1024"
        }
        "i8" | "i16" | "i32" | "i64" => "un nombre entier sans guillemets, par exemple 0",
        "a boolean" => "true ou false, sans guillemets",
        "a sequence" => "une liste entre crochets, par exemple [\"a\", \"b\"]",
        e if e.contains("string") || e.contains("path") => "du texte entre guillemets",
        e if e.starts_with("struct") || e.contains("map") || e.contains("table") => {
            "une table : [nom] sur sa ligne, ou { clé = valeur }"
        }
        e if e.contains("sequence") => "une liste entre crochets, par exemple [\"a\", \"b\"]",
        e if e.contains("bool") => "true ou false, sans guillemets",
        e if e.contains("integer") || e.starts_with('u') || e.starts_with('i') => {
            "un nombre entier sans guillemets"
        }
        _ => "une valeur de la forme attendue par le champ",
    }
}

/// The TOML parser's complaint for a French reader; English keeps the
/// parser's own first line.
pub(super) fn explain_syntax(message: &str) -> String {
    let msg = first_line(message);
    if current() == Lang::En {
        return msg;
    }
    let (desc, expected) = match msg.split_once(", expected ") {
        Some((d, e)) => (d, Some(e)),
        None => (msg.as_str(), None),
    };
    let what = match desc {
        "`_` may only go between digits" => "« _ » ne peut être qu'entre deux chiffres",
        "cannot recurse further; max recursion depth met" | "recursion limit" => {
            "trop de niveaux imbriqués"
        }
        "carriage return must be followed by newline" => {
            "un retour chariot doit être suivi d'un saut de ligne"
        }
        "duplicate key" => "clé écrite deux fois",
        "extra `=`" | "extra assignment between key-value pairs" => "« = » en trop",
        "extra comma in array" => "virgule en trop dans la liste",
        "extra comma in inline table" => "virgule en trop dans la table { }",
        "floating-point number overflowed" => "nombre décimal trop grand",
        "integer number overflowed" => "nombre entier trop grand",
        "integers with a radix cannot be signed" => {
            "un nombre en hexadécimal, octal ou binaire ne prend pas de signe"
        }
        "invalid basic string" => "texte entre guillemets incorrect",
        "invalid multi-line basic string" => "texte sur plusieurs lignes incorrect",
        "invalid comment character" => "caractère interdit dans un commentaire",
        "invalid inline table element" => "élément incorrect dans la table { }",
        "invalid key-value pair" => "ligne clé = valeur incorrecte",
        "invalid unquoted key" => {
            "clé incorrecte (sans guillemets, seuls lettres, chiffres, - et _)"
        }
        "invalid value" => "valeur incorrecte",
        "key with no value" | "missing value for key" => "clé sans valeur",
        "missing value" => "valeur manquante",
        "keys cannot be multi-line basic strings" | "keys cannot be multi-line literal strings" => {
            "une clé ne peut pas être un texte sur plusieurs lignes"
        }
        "missing array opening" => "« [ » manquant en début de liste",
        "missing assignment between key-value pairs" => "« = » manquant entre la clé et la valeur",
        "missing comma between array elements" => {
            "virgule manquante entre deux éléments de la liste"
        }
        "missing comma between key-value pairs" => {
            "virgule manquante entre deux clés de la table { }"
        }
        "missing comment start" => "« # » manquant en début de commentaire",
        "missing escaped value" => "rien après la barre oblique inverse « \\ »",
        "missing inline table opening" => "« { » manquant en début de table",
        "missing key for inline table element" => "clé manquante dans la table { }",
        "missing opening quote" => "guillemet ouvrant manquant",
        "missing table open" => "« [ » manquant en début d'en-tête de table",
        "radix must be lowercase" => "le préfixe 0x, 0o ou 0b s'écrit en minuscules",
        "redundant integer number prefix" | "redundant numeric sign" => {
            "préfixe ou signe en double"
        }
        "string values must be quoted" => "le texte doit être entre guillemets",
        "too few unicode value digits" => "pas assez de chiffres dans le code Unicode",
        "unclosed array table" => "en-tête [[...]] non fermé",
        "unclosed array" => "liste non fermée : « ] » manquant",
        "unclosed inline table" => "table { } non fermée : « } » manquant",
        "unclosed table" => "en-tête de table non fermé : « ] » manquant",
        "unexpected `=` in array" => "« = » inattendu dans une liste",
        "unexpected content between comment and newline" | "unexpected content" => {
            "contenu inattendu"
        }
        "unexpected key or value" => "clé ou valeur inattendue",
        "unexpected leading zero" => "zéro en tête d'un nombre",
        "unexpected sign" => "signe inattendu",
        "unquoted keys cannot be empty" => "clé vide",
        d if d.starts_with("cannot extend value") => {
            "cette clé pointée prolonge une valeur qui n'est pas une table"
        }
        _ => "TOML incorrect",
    };
    match expected {
        Some(e) if e != "nothing" => format!("{what}, attendu : {}", expected_fr(e)),
        _ => what.to_string(),
    }
}

/// The parser's list of expected tokens, for a French reader.
fn expected_fr(list: &str) -> String {
    list.split(", ")
        .map(|t| match t {
            "newline" => "un saut de ligne".to_string(),
            "basic string" => "un texte entre guillemets".to_string(),
            "literal string" => "un texte entre apostrophes".to_string(),
            "multi-line basic string" => "un texte sur plusieurs lignes".to_string(),
            "key" => "une clé".to_string(),
            "value" => "une valeur".to_string(),
            "digits" | "numbers" => "des chiffres".to_string(),
            "letters" => "des lettres".to_string(),
            "unicode hexadecimal value" => "un code Unicode hexadécimal".to_string(),
            t if t.starts_with('`') && t.ends_with('`') && t.len() >= 2 => {
                format!("« {} »", &t[1..t.len() - 1])
            }
            t if t.starts_with('\'') && t.ends_with('\'') && t.len() >= 2 => {
                format!("« {} »", &t[1..t.len() - 1])
            }
            _ => "des caractères visibles".to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The fix of a TOML syntax error.
pub(super) fn syntax_fix(long: bool) -> String {
    if long {
        crate::tr_fmt!(
            "correct the TOML at this place (strings in \"quotes\", one key = value per line)",
            "corrigez le TOML à cet endroit (le texte entre \"guillemets\", une clé = valeur par ligne)"
        )
    } else {
        crate::tr_fmt!(
            "correct the TOML at this place",
            "corrigez le TOML à cet endroit"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::lang::scoped;

    #[test]
    fn serde_messages_are_read_for_their_parts_in_french() {
        let e = scoped(Lang::Fr, || {
            explain_serde(
                "unknown field `colour`, expected one of `install_dir`, `backup_dir`",
                Some("environments.test".into()),
            )
        });
        assert_eq!(e.field, "environments.test.colour");
        assert_eq!(e.what, "champ inconnu « colour »");
        assert!(
            e.fix.contains("« install_dir », « backup_dir »"),
            "{}",
            e.fix
        );
        let e = scoped(Lang::Fr, || {
            explain_serde(
                "invalid type: string \"lots\", expected u64",
                Some("environments.test.min_free_mib".into()),
            )
        });
        assert_eq!(e.what, "type incorrect : le texte « lots »");
        assert!(e.fix.starts_with("écrivez un nombre entier"), "{}", e.fix);
        let e = scoped(Lang::Fr, || {
            explain_serde(
                "unknown variant `master`, expected one of `sql`, `web-master`",
                Some("x.role".into()),
            )
        });
        assert_eq!(e.what, "« master » n'est pas une valeur connue");
        assert_eq!(
            e.fix,
            "utilisez l'une de ces valeurs : « sql », « web-master »"
        );
        let e = scoped(Lang::Fr, || {
            explain_serde("missing field `installation`", Some("deployment".into()))
        });
        assert!(e.missing);
        assert_eq!(e.what, "le champ « installation » manque");
        assert_eq!(e.fix, "ajoutez installation = ... dans [deployment]");
        let e = scoped(Lang::Fr, || {
            explain_serde(
                "invalid value: integer `70000`, expected u16",
                Some("a.port".into()),
            )
        });
        assert_eq!(e.what, "valeur incorrecte : le nombre entier 70000");
        assert_eq!(e.fix, "écrivez un nombre entier de 0 à 65535");
    }

    #[test]
    fn english_keeps_its_words() {
        let e = scoped(Lang::En, || {
            explain_serde("missing field `installation`", Some("deployment".into()))
        });
        assert!(e.missing);
        assert_eq!(e.what, "the field `installation` is missing");
        assert_eq!(e.fix, "add installation = ... to [deployment]");
    }

    #[test]
    fn toml_syntax_errors_in_french() {
        let m = "invalid basic string, expected `\"`\n";
        assert_eq!(
            scoped(Lang::En, || explain_syntax(m)),
            "invalid basic string, expected `\"`"
        );
        assert_eq!(
            scoped(Lang::Fr, || explain_syntax(m)),
            "texte entre guillemets incorrect, attendu : « \" »"
        );
        assert_eq!(
            scoped(Lang::Fr, || explain_syntax(
                "key with no value, expected `=`"
            )),
            "clé sans valeur, attendu : « = »"
        );
        assert_eq!(
            scoped(Lang::Fr, || explain_syntax("something new")),
            "TOML incorrect"
        );
    }
}

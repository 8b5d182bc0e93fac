//! Rules for the installation name and the company name, and the
//! suggestion of an installation name from the company name.
//!
//! The guide: the installation name names the IIS web site, the database and
//! the install folder; it should be `CRM` followed by the company name,
//! without space or separator, ten characters at most (example `CRMSAGE`).

/// Longest installation name the guide advises.
pub const INSTALLATION_MAX: usize = 10;

/// Longest company name accepted.
///
/// The guide sets no length for the company name (raison sociale); it only
/// says it comes from the order form and must never change, because the
/// licence update tool compares it exactly. 100 characters is a generous
/// bound for a legal name that still catches pasted garbage. Leading and
/// trailing spaces are refused because they are invisible on the order form
/// and would make the later exact comparison fail.
pub const COMPANY_MAX: usize = 100;

/// Why a name is refused: what is wrong and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameProblem {
    pub what: String,
    pub fix: String,
}

fn problem(what: impl Into<String>, fix: impl Into<String>) -> NameProblem {
    NameProblem {
        what: what.into(),
        fix: fix.into(),
    }
}

/// Check an installation name. `company` is used only to suggest a better one.
pub fn check_installation_name(name: &str, company: &str) -> Result<(), NameProblem> {
    let suggestion = suggest_installation_name(company);
    let hint = crate::tr_fmt!(
        "write for example \"{suggestion}\" (CRM + the company name, 10 characters at most)",
        "écrivez par exemple « {suggestion} » (CRM + le nom de la société, 10 caractères au plus)"
    );
    if name.is_empty() {
        return Err(problem(
            crate::tr_fmt!(
                "the installation name is empty",
                "le nom d'installation est vide"
            ),
            hint,
        ));
    }
    let s = shown(name);
    if !name.starts_with("CRM") {
        return Err(problem(
            crate::tr_fmt!(
                "\"{s}\" does not start with CRM",
                "« {s} » ne commence pas par CRM"
            ),
            hint,
        ));
    }
    if let Some(c) = name.chars().find(|c| !c.is_ascii_alphanumeric()) {
        let c = match (c, crate::model::lang::current()) {
            (' ', crate::model::lang::Lang::Fr) => "espace".to_string(),
            _ => c.escape_debug().to_string(),
        };
        return Err(problem(
            crate::tr_fmt!(
                "\"{s}\" contains '{c}': only letters A-Z and digits are allowed (it names the web site, the database and the folder)",
                "« {s} » contient « {c} » : seuls les lettres A-Z et les chiffres sont permis (il nomme le site web, la base de données et le dossier)"
            ),
            hint,
        ));
    }
    let n = name.chars().count();
    if n > INSTALLATION_MAX {
        return Err(problem(
            crate::tr_fmt!(
                "\"{s}\" has {n} characters, 10 at most",
                "« {s} » a {n} caractères, 10 au plus"
            ),
            hint,
        ));
    }
    Ok(())
}

/// Check the company name (raison sociale); see [`COMPANY_MAX`].
pub fn check_company(company: &str) -> Result<(), NameProblem> {
    let from_form = crate::tr_fmt!(
        "copy it exactly as printed on the order form",
        "recopiez-la exactement comme sur le bon de référencement"
    );
    if company.trim().is_empty() {
        return Err(problem(
            crate::tr_fmt!("the company name is empty", "la raison sociale est vide"),
            from_form,
        ));
    }
    if company.trim() != company {
        return Err(problem(
            crate::tr_fmt!(
                "the company name starts or ends with spaces",
                "la raison sociale commence ou finit par des espaces"
            ),
            crate::tr_fmt!(
                "remove them: the licence tool compares the name exactly",
                "supprimez-les : l'outil de licence compare la raison sociale exactement"
            ),
        ));
    }
    if let Some(c) = company.chars().find(|c| c.is_control()) {
        let c = c.escape_debug();
        return Err(problem(
            crate::tr_fmt!(
                "the company name contains the control character '{c}'",
                "la raison sociale contient le caractère de contrôle « {c} »"
            ),
            from_form,
        ));
    }
    let n = company.chars().count();
    if n > COMPANY_MAX {
        return Err(problem(
            crate::tr_fmt!(
                "the company name has {n} characters, {COMPANY_MAX} at most",
                "la raison sociale a {n} caractères, {COMPANY_MAX} au plus"
            ),
            from_form,
        ));
    }
    Ok(())
}

/// `CRM` + the company's letters and digits, accents folded (é -> E, œ -> OE),
/// upper case, truncated to 10 characters. Characters with no ASCII letter
/// form (symbols, non-Latin scripts) are dropped.
pub fn suggest_installation_name(company: &str) -> String {
    let mut out = String::from("CRM");
    for c in company.chars() {
        for f in fold(c).chars() {
            if out.len() >= INSTALLATION_MAX {
                return out;
            }
            if f.is_ascii_alphanumeric() {
                out.push(f.to_ascii_uppercase());
            }
        }
    }
    out
}

/// ASCII form of a Latin letter with a diacritic; other characters as they are.
fn fold(c: char) -> String {
    let s = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' => {
            "A"
        }
        'æ' | 'Æ' => "AE",
        'ç' | 'Ç' | 'ć' | 'č' | 'Ć' | 'Č' => "C",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' | 'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ę' | 'Ě' => {
            "E"
        }
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "I",
        'ñ' | 'ń' | 'ň' | 'Ñ' | 'Ń' | 'Ň' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => "O",
        'œ' | 'Œ' => "OE",
        'ß' => "SS",
        'š' | 'ś' | 'Š' | 'Ś' => "S",
        'ù' | 'ú' | 'û' | 'ü' | 'ů' | 'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ů' => "U",
        'ý' | 'ÿ' | 'Ý' | 'Ÿ' => "Y",
        'ž' | 'ź' | 'ż' | 'Ž' | 'Ź' | 'Ż' => "Z",
        _ => return c.to_string(),
    };
    s.to_string()
}

/// A user value made safe to quote in a message: control characters escaped
/// (nothing else, so Windows paths keep single backslashes), at most 40
/// characters.
pub fn shown(s: &str) -> String {
    shown_max(s, 40)
}

/// [`shown`] with another length limit, in characters.
pub fn shown_max(s: &str, max: usize) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i == max {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestion_folds_accents_and_truncates() {
        assert_eq!(suggest_installation_name("Sage"), "CRMSAGE");
        assert_eq!(suggest_installation_name("Société Générale"), "CRMSOCIETE");
        assert_eq!(suggest_installation_name("Œuvres & Cie"), "CRMOEUVRES");
        assert_eq!(suggest_installation_name("A.B-C 12"), "CRMABC12");
        assert_eq!(suggest_installation_name("東京"), "CRM");
        assert_eq!(suggest_installation_name("éé"), "CRMEE");
        // The suggestion always satisfies the rule.
        for c in [
            "Sage",
            "Société Générale",
            "x".repeat(10_000).as_str(),
            "",
            "ß",
        ] {
            assert_eq!(
                check_installation_name(&suggest_installation_name(c), c),
                Ok(())
            );
        }
    }

    #[test]
    fn installation_name_rules() {
        assert!(check_installation_name("CRMSAGE", "Sage").is_ok());
        assert!(check_installation_name("CRM1234567", "").is_ok());
        let e = check_installation_name("CRMSAGE2026", "Sage").unwrap_err();
        assert!(e.what.contains("11 characters"), "{e:?}");
        assert!(e.fix.contains("CRMSAGE"), "{e:?}");
        assert!(check_installation_name("SAGECRM", "Sage").is_err());
        assert!(check_installation_name("CRM SAGE", "Sage").is_err());
        assert!(check_installation_name("CRMÉTÉ", "Sage").is_err());
        assert!(check_installation_name("", "Sage").is_err());
        assert!(check_installation_name("crmsage", "Sage").is_err());
    }

    #[test]
    fn company_rules() {
        assert!(check_company("Bijou SA").is_ok());
        assert!(check_company(&"é".repeat(100)).is_ok());
        assert!(check_company(&"é".repeat(101)).is_err());
        assert!(check_company(" Bijou").is_err());
        assert!(check_company("   ").is_err());
        assert!(check_company("Bi\u{7}jou").is_err());
    }

    #[test]
    fn shown_escapes_and_truncates() {
        assert_eq!(shown("a\nb"), "a\\nb");
        assert_eq!(shown("C:\\x \"y\""), "C:\\x \"y\"");
        assert_eq!(shown(&"x".repeat(10_000)).chars().count(), 41);
    }
}

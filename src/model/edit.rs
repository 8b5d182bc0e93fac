//! Writing a plan back to TOML.
//!
//! A new plan is serialized whole, secret references as inline tables
//! (`password = { env = "NAME" }`). An existing file is edited in place with
//! `toml_edit`: the old and the new plan are serialized the same way, and
//! only the values that differ between the two are written into the
//! original document, so its comments, blank lines, key order and the
//! defaults it leaves out all stay as they were.

use toml_edit::{DocumentMut, InlineTable, Item, Table, Value};

use super::plan::Plan;

/// The text of a new plan file.
pub fn new_text(plan: &Plan) -> Result<String, String> {
    Ok(serialize(plan)?.to_string())
}

/// `original` (the text `old` was read from) with the changes from `old` to
/// `new` applied, and nothing else touched.
pub fn updated_text(original: &str, old: &Plan, new: &Plan) -> Result<String, String> {
    let mut doc: DocumentMut = original.parse().map_err(|e| {
        crate::tr_fmt!(
            "the plan file is no longer valid TOML: {e}",
            "le fichier du plan n'est plus du TOML correct : {e}"
        )
    })?;
    let (a, b) = (serialize(old)?, serialize(new)?);
    merge(doc.as_item_mut(), a.as_item(), b.as_item());
    Ok(doc.to_string())
}

fn serialize(plan: &Plan) -> Result<DocumentMut, String> {
    let cannot = |e: &dyn std::fmt::Display| {
        crate::tr_fmt!(
            "cannot write the plan: {e}",
            "impossible d'écrire le plan : {e}"
        )
    };
    let text = toml::to_string(plan).map_err(|e| cannot(&e))?;
    let mut doc: DocumentMut = text.parse().map_err(|e| cannot(&e))?;
    inline_secrets(doc.as_table_mut());
    Ok(doc)
}

/// A secret reference is a one-key table `env` or `prompt`: write it inline.
fn inline_secrets(t: &mut Table) {
    let keys: Vec<String> = t.iter().map(|(k, _)| k.to_string()).collect();
    for k in keys {
        let Some(item) = t.get_mut(&k) else { continue };
        match item {
            Item::Table(sub) if is_secret(sub) => {
                let mut inline = InlineTable::new();
                for (sk, sv) in sub.iter() {
                    if let Some(v) = sv.as_value() {
                        inline.insert(sk, v.clone());
                    }
                }
                inline.fmt();
                *item = Item::Value(Value::InlineTable(inline));
                if let Some(mut key) = t.key_mut(&k) {
                    *key.leaf_decor_mut() = toml_edit::Decor::default();
                }
            }
            Item::Table(sub) => inline_secrets(sub),
            Item::ArrayOfTables(a) => a.iter_mut().for_each(inline_secrets),
            _ => {}
        }
    }
    if SECRET_AFTER.iter().any(|(k, _)| t.contains_key(k)) {
        reorder_secrets(t);
    }
}

/// Where an inlined secret goes back in its table: after the key it
/// follows in the plan types (the serializer wrote it last, as a table).
const SECRET_AFTER: &[(&str, &str)] = &[("licence_key", "installation"), ("password", "login")];

fn reorder_secrets(t: &mut Table) {
    let mut pairs: Vec<(String, Item)> =
        t.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
    for (secret, after) in SECRET_AFTER {
        let (Some(from), Some(_)) = (
            pairs.iter().position(|(k, _)| k == secret),
            pairs.iter().position(|(k, _)| k == after),
        ) else {
            continue;
        };
        let pair = pairs.remove(from);
        let to = pairs
            .iter()
            .position(|(k, _)| k == after)
            .map_or(pairs.len(), |i| i + 1);
        pairs.insert(to, pair);
    }
    t.clear();
    for (k, v) in pairs {
        t.insert(&k, v);
    }
}

fn is_secret(t: &Table) -> bool {
    t.len() == 1 && (t.contains_key("env") || t.contains_key("prompt"))
}

/// Apply to `target` what changed from `old` to `new`.
fn merge(target: &mut Item, old: &Item, new: &Item) {
    if same(old, new) {
        return;
    }
    if let (Some(o), Some(n)) = (old.as_table_like(), new.as_table_like())
        && let Some(t) = target.as_table_like_mut()
    {
        for (k, nv) in n.iter() {
            match (o.get(k), t.get_mut(k)) {
                (Some(ov), Some(tv)) => merge(tv, ov, nv),
                (Some(ov), None) if same(ov, nv) => {}
                _ => {
                    t.insert(k, nv.clone());
                }
            }
        }
        for (k, _) in o.iter() {
            if !n.contains_key(k) {
                t.remove(k);
            }
        }
        return;
    }
    if let (Item::ArrayOfTables(o), Item::ArrayOfTables(n), Item::ArrayOfTables(t)) =
        (old, new, &mut *target)
    {
        let common = o.len().min(n.len()).min(t.len());
        for i in 0..common {
            if let (Some(ot), Some(nt), Some(tt)) = (o.get(i), n.get(i), t.get_mut(i)) {
                let mut item = Item::Table(std::mem::take(tt));
                merge(
                    &mut item,
                    &Item::Table(ot.clone()),
                    &Item::Table(nt.clone()),
                );
                if let Item::Table(back) = item {
                    *tt = back;
                }
            }
        }
        while t.len() > n.len() {
            t.remove(t.len() - 1);
        }
        for nt in n.iter().skip(t.len()) {
            t.push(nt.clone());
        }
        return;
    }
    match (&mut *target, new) {
        (Item::Value(tv), Item::Value(nv)) => {
            let decor = tv.decor().clone();
            *tv = nv.clone();
            *tv.decor_mut() = decor;
        }
        _ => *target = new.clone(),
    }
}

/// Both sides come from [`serialize`], so equal text means equal values.
fn same(a: &Item, b: &Item) -> bool {
    render(a) == render(b)
}

/// The whole text of an item, sub-tables included.
fn render(item: &Item) -> String {
    let mut t = Table::new();
    t.insert("x", item.clone());
    DocumentMut::from(t).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMMENTED: &str = r#"# Plan of the Bijou installation
[deployment]
company = "Bijou SA"   # as on the order form
installation = "CRMBIJOU"
licence_key = { env = "CRM_LICENCE" }

# The test machine
[environments.test]
install_dir = 'C:\CRM\Test'
backup_dir = 'D:\Backup\Test'
"#;

    #[test]
    fn one_changed_value_keeps_everything_else() {
        let old = crate::model::load::parse_plan("p.toml", COMMENTED).unwrap();
        let mut new = old.clone();
        new.deployment.installation = "CRMBIJ2".into();
        let text = updated_text(COMMENTED, &old, &new).unwrap();
        assert_eq!(text, COMMENTED.replace("CRMBIJOU", "CRMBIJ2"));
    }

    #[test]
    fn secret_change_and_added_table() {
        let old = crate::model::load::parse_plan("p.toml", COMMENTED).unwrap();
        let mut new = old.clone();
        new.deployment.licence_key = Some(crate::model::SecretRef::Prompt {
            prompt: true,
            field: String::new(),
        });
        new.deployment.integration_service = true;
        let text = updated_text(COMMENTED, &old, &new).unwrap();
        assert!(text.contains("licence_key = { prompt = true }"), "{text}");
        assert!(text.contains("integration_service = true"), "{text}");
        assert!(text.contains("# as on the order form"), "{text}");
        let back = crate::model::load::parse_plan("p.toml", &text).unwrap();
        assert_eq!(back, new);
    }

    #[test]
    fn new_text_reads_back_the_same() {
        let plan = crate::model::load::parse_plan("p.toml", COMMENTED).unwrap();
        let text = new_text(&plan).unwrap();
        assert!(
            text.contains("licence_key = { env = \"CRM_LICENCE\" }"),
            "{text}"
        );
        assert_eq!(
            crate::model::load::parse_plan("p.toml", &text).unwrap(),
            plan
        );
    }
}

//! Writing an edited worksheet back into the plan file text, with
//! `toml_edit`: comments, blank lines and key order of everything else stay
//! as they were. A server keeps its table (and the comments around it) when
//! a row of the same name, else at the same place, is saved.

use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, Value, value};

use super::plan::{EnvKind, Role, Server};

/// The plan text with the servers of `env` replaced by `servers` and the
/// "perform load balancing" choice set (`None` removes it). Errors say what
/// is wrong with the file and how to fix it.
pub fn save_servers(
    text: &str,
    env: EnvKind,
    servers: &[Server],
    perform_lb: Option<bool>,
) -> Result<String, String> {
    let mut doc: DocumentMut = text.parse().map_err(|e| {
        crate::tr_fmt!(
            "the plan is not valid TOML, so it cannot be edited: {e}",
            "le plan n'est pas du TOML correct, il ne peut donc pas être modifié : {e}"
        )
    })?;
    let name = env.as_str();
    let envt = doc
        .get_mut("environments")
        .and_then(|e| e.as_table_mut())
        .and_then(|e| e.get_mut(name))
        .and_then(|e| e.as_table_mut())
        .ok_or_else(|| {
            crate::tr_fmt!(
                "the plan has no [environments.{name}] table: add it (install_dir, backup_dir) before saving its servers",
                "le plan n'a pas de table [environments.{name}] : ajoutez-la (install_dir, backup_dir) avant d'enregistrer ses serveurs"
            )
        })?;
    let mut old: Vec<Option<Table>> = match envt.remove("servers") {
        None => Vec::new(),
        Some(Item::ArrayOfTables(a)) => a.into_iter().map(Some).collect(),
        Some(_) => {
            return Err(crate::tr_fmt!(
                "environments.{name}.servers is not a list of [[environments.{name}.servers]] tables: rewrite it as such tables",
                "environments.{name}.servers n'est pas une liste de tables [[environments.{name}.servers]] : réécrivez-la sous cette forme"
            ));
        }
    };
    let first_pos = old.iter().flatten().filter_map(Table::position).min();
    let mut out = ArrayOfTables::new();
    for (i, s) in servers.iter().enumerate() {
        let by_name = old.iter().position(|t| {
            t.as_ref()
                .and_then(|t| t.get("name"))
                .and_then(Item::as_str)
                .is_some_and(|n| n.eq_ignore_ascii_case(&s.name) && !s.name.is_empty())
        });
        let unnamed_here = old.get(i).and_then(|t| t.as_ref()).is_some_and(|t| {
            !servers.iter().any(|o| {
                t.get("name")
                    .and_then(Item::as_str)
                    .is_some_and(|n| n.eq_ignore_ascii_case(&o.name))
            })
        });
        let taken = by_name
            .or(unnamed_here.then_some(i))
            .and_then(|j| old.get_mut(j).and_then(Option::take));
        let mut t = taken.unwrap_or_default();
        fill(&mut t, s);
        // Order follows the rows: the first table takes the earliest place
        // of the old ones, the others follow it.
        t.set_position(if out.is_empty() { first_pos } else { None });
        out.push(t);
    }
    if !out.is_empty() {
        envt.insert("servers", Item::ArrayOfTables(out));
    }
    match perform_lb {
        Some(p) => set(envt, "perform_load_balancing", Value::from(p)),
        None => {
            envt.remove("perform_load_balancing");
        }
    }
    Ok(doc.to_string())
}

fn role_str(r: Role) -> &'static str {
    match r {
        Role::Sql => "sql",
        Role::WebMaster => "web-master",
        Role::WebSecondary => "web-secondary",
    }
}

/// Set the fields of one server table; optional fields that are empty are
/// removed.
fn fill(t: &mut Table, s: &Server) {
    set(t, "name", Value::from(s.name.as_str()));
    set(t, "role", Value::from(role_str(s.role)));
    for (key, v) in [("address", &s.address), ("ipv6", &s.ipv6)] {
        if v.is_empty() {
            t.remove(key);
        } else {
            set(t, key, Value::from(v.as_str()));
        }
    }
    if s.services.is_empty() {
        t.remove("services");
    } else {
        let a: Array = s.services.iter().map(|x| x.as_str()).collect();
        set(t, "services", Value::Array(a));
    }
    match &s.install_path {
        Some(p) => set(t, "install_path", Value::from(p.display().to_string())),
        None => {
            t.remove("install_path");
        }
    }
}

/// Set `key` to `v`, keeping the comments and spacing around an existing
/// value (a trailing `# comment` stays).
fn set(t: &mut Table, key: &str, mut v: Value) {
    if let Some(old) = t.get_mut(key).and_then(Item::as_value_mut) {
        if old.to_string().trim() == v.to_string().trim() {
            return;
        }
        *v.decor_mut() = old.decor().clone();
        *old = v;
    } else {
        t.insert(key, value(v));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::plan::Service;

    const PLAN: &str = r#"# the plan
[deployment]
company = "ACME"
installation = "CRM"

[environments.test]
install_dir = 'C:\CRM'   # program files
backup_dir = 'E:\Backup'

# the master, installed first
[[environments.test.servers]]
name = "WEB1"   # keep me
role = "web-master"
services = ["email-manager"]

[[environments.test.servers]]
name = "WEB2"
role = "web-secondary"
install_path = '\\WEB2\c$\CRM'

# production comes next
[environments.production]
install_dir = 'C:\CRM'
backup_dir = 'E:\Backup'
"#;

    fn srv(name: &str, role: Role) -> Server {
        Server {
            name: name.into(),
            role,
            address: String::new(),
            ipv6: String::new(),
            services: vec![],
            install_path: None,
        }
    }

    #[test]
    fn reordering_keeps_comments_and_tables() {
        let mut web2 = srv("WEB2", Role::WebMaster);
        web2.install_path = Some(r"\\WEB2\c$\CRM".into());
        web2.services = vec![Service::Indexer];
        let web1 = srv("WEB1", Role::WebSecondary);
        let out = save_servers(PLAN, EnvKind::Test, &[web2, web1], Some(false)).unwrap();
        assert!(out.starts_with("# the plan\n"), "{out}");
        assert!(out.contains("install_dir = 'C:\\CRM'   # program files"));
        assert!(out.contains("name = \"WEB1\"   # keep me"), "{out}");
        assert!(out.contains("# the master, installed first"));
        let w2 = out.find("name = \"WEB2\"").unwrap();
        let w1 = out.find("name = \"WEB1\"").unwrap();
        let prod = out.find("# production comes next").unwrap();
        assert!(w2 < w1 && w1 < prod, "{out}");
        assert!(out.contains("perform_load_balancing = false"));
        let plan: crate::model::Plan = toml::from_str(&out).unwrap();
        let s = &plan.environments.test.unwrap().servers;
        assert_eq!(s[0].name, "WEB2");
        assert_eq!(s[0].services, vec![Service::Indexer]);
        assert_eq!(s[1].role, Role::WebSecondary);
        assert!(s[1].services.is_empty());
    }

    #[test]
    fn missing_environment_is_explained() {
        let e = save_servers("[deployment]\n", EnvKind::Production, &[], None).unwrap_err();
        assert!(e.contains("[environments.production]"), "{e}");
        assert!(save_servers("x = [", EnvKind::Test, &[], None).is_err());
    }

    #[test]
    fn unchanged_rows_give_the_same_text() {
        let plan: crate::model::Plan = toml::from_str(PLAN).unwrap();
        let rows = plan.environments.test.unwrap().servers;
        let out = save_servers(PLAN, EnvKind::Test, &rows, None).unwrap();
        assert_eq!(out, PLAN);
    }
}

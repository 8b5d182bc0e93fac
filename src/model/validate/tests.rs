use super::paths::is_absolute_any;
use super::sql::{check_database, check_server};
use super::*;
use crate::model::load::parse_plan;

const BASE: &str = "[deployment]\ncompany = \"Bijou SA\"\ninstallation = \"CRMBIJOU\"\n";

fn fields(text: &str) -> Vec<String> {
    match parse_plan("p.toml", text) {
        Ok(_) => vec![],
        Err(d) => d.into_iter().map(|d| d.field).collect(),
    }
}

#[test]
fn absolute_paths_of_both_worlds() {
    for p in [
        "C:\\Program Files (x86)\\Sage",
        "c:/x",
        "\\\\server\\share\\dir",
        "\\\\server\\share",
        "/opt/crm",
    ] {
        assert!(is_absolute_any(p), "{p}");
    }
    for p in [
        "",
        "C:",
        "C:x",
        "x\\y",
        "\\\\server",
        "\\\\",
        "//x",
        "CRM",
        ":\\x",
        "é:\\x",
    ] {
        assert!(!is_absolute_any(p), "{p}");
    }
}

#[test]
fn sql_server_forms() {
    for s in [
        "sql1",
        "sql1.bijou.local",
        "10.0.0.5",
        "sql1,1433",
        "sql1,65535",
        "sql1\\CRM",
        "sql1\\_A$1",
        "localhost\\SQLEXPRESS",
    ] {
        assert!(check_server(s).is_ok(), "{s}: {:?}", check_server(s));
    }
    for s in [
        "",
        " ",
        ".",
        ".\\SQLEXPRESS",
        "(local)",
        "sql1,0",
        "sql1,65536",
        "sql1,",
        "sql1,+80",
        "sql1,1433x",
        "sql1\\",
        "sql1\\1CRM",
        "sql1\\ABCDEFGHIJKLMNOPQ",
        "sql1\\MSSQLSERVER",
        "sql1\\CRM,1433",
        "sql 1",
        "010.0.0.5",
        "sql1\\CR M",
        "sql1\\CRMÉ",
    ] {
        assert!(check_server(s).is_err(), "{s}");
    }
    assert!(check_server(&"a".repeat(10_000)).is_err());
}

#[test]
fn database_names() {
    let max = "D".repeat(128);
    for d in ["CRMBIJOU", "crm_test", "_x", max.as_str()] {
        assert!(check_database(d).is_ok(), "{d}");
    }
    let over = "D".repeat(129);
    for d in [
        "",
        "1CRM",
        "CRM-TEST",
        "CRM TEST",
        "CRMÉTÉ",
        "CRM;DROP",
        over.as_str(),
    ] {
        assert!(check_database(d).is_err(), "{d}");
    }
}

#[test]
fn secrets_never_in_clear() {
    let t = format!("{BASE}licence_key = \"SECRET-KEY-123\"\n");
    let d = parse_plan("p.toml", &t).unwrap_err();
    assert_eq!(d.len(), 1);
    let text = d[0].to_string();
    assert_eq!(
        text,
        "p.toml:4:15: deployment.licence_key: a secret cannot be written in the plan — use { env = \"NAME\" } or { prompt = true }"
    );
    assert!(!text.contains("SECRET-KEY"));
    assert!(fields(&format!("{BASE}licence_key = {{ env = \"_OK_1\" }}\n")).is_empty());
    assert!(fields(&format!("{BASE}licence_key = {{ prompt = true }}\n")).is_empty());
    assert_eq!(
        fields(&format!("{BASE}licence_key = {{ env = \"\" }}\n")),
        ["deployment.licence_key"]
    );
    assert_eq!(
        fields(&format!("{BASE}licence_key = {{ env = \"A B\" }}\n")),
        ["deployment.licence_key"]
    );
}

#[test]
fn windows_auth_with_login_needs_password() {
    let env = "[environments.production]\ninstall_dir = 'C:\\CRM'\nbackup_dir = 'D:\\B'\n[environments.production.sql]\nserver = \"sql1\"\ndatabase = \"CRMBIJOU\"\nauth = \"windows\"\n";
    assert!(fields(&format!("{BASE}{env}")).is_empty());
    assert_eq!(
        fields(&format!("{BASE}{env}login = 'DOM\\crm'\n")),
        ["environments.production.sql.password"]
    );
    assert!(
        fields(&format!(
            "{BASE}{env}login = 'DOM\\crm'\npassword = {{ prompt = true }}\n"
        ))
        .is_empty()
    );
}

#[test]
fn backup_inside_install_is_by_component() {
    let env = |b: &str| {
        format!(
            "{BASE}[environments.production]\ninstall_dir = 'C:\\Sage\\CRM'\nbackup_dir = '{b}'\n"
        )
    };
    assert!(fields(&env("C:\\Sage\\CRM-backups")).is_empty());
    assert_eq!(
        fields(&env("c:/sage/crm/bak")),
        ["environments.production.backup_dir"]
    );
    assert_eq!(
        fields(&env("C:\\Sage\\CRM")),
        ["environments.production.backup_dir"]
    );
}

#[test]
fn anchors_for_the_stage_builder() {
    let t = format!(
        "{BASE}[[recipe.steps]]\nid = \"a\"\nbefore = \"backup/registry\"\nkind = \"manual\"\nprompt = \"x\"\n\
         [[recipe.steps]]\nid = \"b\"\nafter = \"verify\"\nkind = \"manual\"\nprompt = \"y\"\n"
    );
    let plan = parse_plan("p.toml", &t).unwrap();
    assert_eq!(
        extra_step_anchors(&plan),
        vec![
            (0, "backup/registry".to_string()),
            (1, "verify".to_string())
        ]
    );
}

#[test]
fn columns_count_characters_not_bytes() {
    // "é" and "€" are several bytes: the column must still point at the value.
    let t = "deployment = { company = \"Société €\", installation = \"CRM-É\" }\n";
    let d = parse_plan("p.toml", t).unwrap_err();
    assert_eq!((d[0].line, d[0].col), (1, 54));
    let t = "deployment = { company = \"Société €\", installation = \"CRMX\", kind = 3 }\n";
    let d = parse_plan("p.toml", t).unwrap_err();
    assert_eq!(
        (d[0].line, d[0].col, d[0].field.as_str()),
        (1, 69, "deployment.kind")
    );
}

#[test]
fn all_errors_reported_sorted_by_line() {
    let t = "[[integration.companies]]\ntitle = \"\"\n\n[deployment]\ncompany = \" x\"\ninstallation = \"y\"\n";
    let d = parse_plan("p.toml", t).unwrap_err();
    let lines: Vec<usize> = d.iter().map(|d| d.line).collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted);
    assert!(d.len() >= 5, "{d:?}");
}

/// Random byte edits of a full plan: the loader may refuse, never panic, and
/// every diagnostic points inside the text.
#[test]
fn mutated_plans_never_panic() {
    let full = include_str!("../../../tests/fixtures/plans/valid/full-three-web-servers.toml");
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let pool = b"\"'[]{}=.,\\\n#%:-_ 0aZ\x00\x7f\xc3\xa9";
    for _ in 0..3_000 {
        let mut bytes = full.as_bytes().to_vec();
        for _ in 0..(next() % 4 + 1) {
            let at = (next() as usize) % bytes.len();
            let b = pool[(next() as usize) % pool.len()];
            match next() % 3 {
                0 => bytes[at] = b,
                1 => bytes.insert(at, b),
                _ => {
                    bytes.remove(at);
                }
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        let lines = text.lines().count() + 1;
        if let Err(d) = parse_plan("m.toml", &text) {
            assert!(!d.is_empty());
            for x in d {
                assert!(x.line >= 1 && x.line <= lines && x.col >= 1, "{x}");
                assert!(
                    !x.field.is_empty() && !x.what.is_empty() && !x.fix.is_empty(),
                    "{x}"
                );
            }
        }
    }
}

#[test]
fn odd_files_give_pointed_diagnostics() {
    let cases: &[(&str, &str)] = &[
        (
            "",
            "p.toml:1:1: deployment: the plan has no [deployment] table",
        ),
        (
            "[deploymnt]\n",
            "p.toml:1:2: deploymnt: unknown field `deploymnt`",
        ),
        (
            "\u{feff}[deployment]\ncompany = 1\n",
            "p.toml:2:11: deployment.company: wrong type: integer `1`",
        ),
        (
            "[deployment]\r\ncompany = \"a\"\r\ncompany = \"b\"\r\n",
            "p.toml:3:1: syntax: duplicate key",
        ),
        (
            "[deployment]\ncompany = \"a\"\ninstallation = \"CRMA\"\nkind = \"Demo\"\n",
            "p.toml:4:8: deployment.kind: `Demo` is not a known value",
        ),
    ];
    for (text, want) in cases {
        let got = parse_plan("p.toml", text).unwrap_err();
        let line = got[0].to_string();
        assert!(
            line.starts_with(want),
            "{text:?}\n got: {line}\nwant: {want}"
        );
    }
}

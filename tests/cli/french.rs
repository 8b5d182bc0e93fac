//! The command line in French: chosen by the system locale, by
//! `DRESS_LANG`, by `--lang` or by the plan; a run's report in the run's
//! language; identifiers, JSON and exit codes the same in both languages;
//! the production gate blind to the language.
#![cfg(unix)]

use std::process::Output;

use crate::common::{Sandbox, text};

fn french(sb: &Sandbox, args: &[&str]) -> Output {
    sb.cmd(args).env("LANG", "fr_FR.UTF-8").output().unwrap()
}

#[test]
fn a_french_locale_gives_a_french_rehearsal_and_report_and_the_gate_opens_in_english() {
    let sb = Sandbox::new();
    let o = french(
        &sb,
        &["run", "sandbox.toml", "--stage", "rehearsal", "--yes"],
    );
    assert_eq!(
        o.status.code(),
        Some(3),
        "waits for the sign-off: {}",
        text(&o)
    );
    let t = text(&o);
    assert!(t.contains("sur test :") && t.contains("étapes"), "{t}");
    assert!(t.contains("réussie"), "{t}");
    assert!(t.contains("attend l'opérateur"), "{t}");
    // The steps' own results are in French too: the backup's archive.
    assert!(t.contains("fichiers archivés ("), "{t}");
    for english in [
        "passed",
        "waiting for an operator",
        "logs and journal",
        "archived ",
    ] {
        assert!(
            !t.contains(english),
            "English {english:?} on a French run: {t}"
        );
    }
    let run = sb.runs().pop().unwrap();
    // Step ids and the --confirm syntax are the same in both languages.
    let o = french(
        &sb,
        &[
            "run",
            "--resume",
            &run,
            "--confirm",
            "sign-off=pages vérifiées",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("verify/sign-off"), "{}", text(&o));

    // The report is in the run's language, whatever the reader's locale.
    let md = sb.run(&["report", &run]);
    let md = text(&md);
    assert!(
        md.contains("# Exécution") && md.contains("| étape | état |"),
        "{md}"
    );
    assert!(md.contains("réussie"), "{md}");
    // Unless the reader asks for another one.
    let en = sb.run(&["--lang", "en", "report", &run]);
    assert!(text(&en).contains("# Run ") && text(&en).contains("| step | status |"));

    // JSON is for tools: the same keys and words in both languages.
    let fr_json = french(&sb, &["runs", "--json"]);
    let en_json = sb.run(&["runs", "--json"]);
    assert_eq!(fr_json.stdout, en_json.stdout);
    let j = french(&sb, &["report", &run, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&j.stdout).unwrap();
    assert_eq!(v["state"], "passed", "{v}");

    // The rehearsal in French opens production for an English operator: the
    // language is not part of the recipe.
    let o = sb.run(&[
        "run",
        "sandbox.toml",
        "--stage",
        "backup,production",
        "--env",
        "production",
        "--yes",
        "--confirm",
        "users-off=announced",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains(&format!("passed the rehearsal of run {run}")),
        "{}",
        text(&o)
    );
}

#[test]
fn the_choice_goes_flag_then_dress_lang_then_plan_then_system() {
    let sb = Sandbox::new();
    let show = |c: &mut std::process::Command| text(&c.output().unwrap());
    let args = ["plan", "show", "sandbox.toml", "--stage", "backup"];
    // System locale.
    assert!(show(sb.cmd(&args).env("LANG", "fr_FR.UTF-8")).contains("Sauvegarde"));
    assert!(show(sb.cmd(&args).env("LC_ALL", "fr_CA.UTF-8")).contains("Sauvegarde"));
    assert!(show(&mut sb.cmd(&args)).contains("[backup] Backup"));
    // DRESS_LANG beats the system; --lang beats both.
    assert!(
        show(
            sb.cmd(&args)
                .env("LANG", "fr_FR.UTF-8")
                .env("DRESS_LANG", "en")
        )
        .contains("[backup] Backup")
    );
    let mut flagged = sb.cmd(&[&["--lang", "en"][..], &args].concat());
    assert!(show(flagged.env("DRESS_LANG", "fr")).contains("[backup] Backup"));
    // The plan's language beats the system, not the operator's choice.
    let path = sb.dir.join("sandbox.toml");
    let plan = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        plan.replacen("[deployment]", "[deployment]\nlanguage = \"fr\"", 1),
    )
    .unwrap();
    assert!(show(&mut sb.cmd(&args)).contains("[backup] Sauvegarde"));
    assert!(show(sb.cmd(&args).env("DRESS_LANG", "en")).contains("[backup] Backup"));
    // An unknown --lang is refused with the choices.
    let o = sb.run(&[&["--lang", "de"][..], &args].concat());
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("en or fr"), "{}", text(&o));
}

#[test]
fn exit_codes_and_errors_keep_their_meaning_in_french() {
    let sb = Sandbox::new();
    let o = french(&sb, &["report", "20990101-000000-test-3f2a"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("introuvable"), "{}", text(&o));
    let o = french(&sb, &["run", "sandbox.toml", "--stage", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o).contains("cette phase n'existe pas"),
        "{}",
        text(&o)
    );
    let o = french(&sb, &["run", "absent.toml", "--stage", "backup"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o).contains("ce fichier de plan n'existe pas"),
        "{}",
        text(&o)
    );
}

#[test]
fn help_follows_the_locale_and_the_flag() {
    let sb = Sandbox::new();
    let fr = french(&sb, &["--help"]);
    assert!(fr.status.success());
    let t = String::from_utf8_lossy(&fr.stdout);
    assert!(
        t.contains("Utilisation : dress") && t.contains("Commandes :"),
        "{t}"
    );
    assert!(!t.contains("Run stages without"), "{t}");
    let en = sb.run(&["--help"]);
    assert!(String::from_utf8_lossy(&en.stdout).contains("Usage: dress"));
    let flagged = french(&sb, &["--lang", "en", "run", "--help"]);
    assert!(String::from_utf8_lossy(&flagged.stdout).contains("Usage: dress run"));
    // The man page too, from the same definitions.
    let man = french(&sb, &["man"]);
    assert!(String::from_utf8_lossy(&man.stdout).contains("Lancer des phases"));
}

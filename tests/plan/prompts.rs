//! `[recipe.prompts]`: a customer's wording of the built-in manual steps,
//! per language, checked like every other field of the plan.

use crate::common::Sandbox;

fn with_prompts(sb: &Sandbox, extra: &str) -> String {
    let path = sb.dir.join("sandbox.toml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(extra);
    std::fs::write(&path, &text).unwrap();
    text
}

/// `dress plan show` of the sandbox's test run, in `lang`.
fn show(sb: &Sandbox, lang: &str) -> std::process::Output {
    sb.run(&[
        "--lang",
        lang,
        "plan",
        "show",
        "sandbox.toml",
        "--env",
        "test",
    ])
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn the_plan_rewords_a_manual_step_in_each_language() {
    let sb = Sandbox::new();
    with_prompts(
        &sb,
        r#"
[recipe.prompts."verify/sign-off"]
en = "The customer's key user ran the 12 tests of procedure P-7"
fr = "Le référent du client a passé les 12 tests de la procédure P-7"
"#,
    );
    let en = show(&sb, "en");
    assert!(en.status.success(), "{}", stderr(&en));
    assert!(
        stdout(&en).contains(
            "operator confirms: The customer's key user ran the 12 tests of procedure P-7"
        ),
        "{}",
        stdout(&en)
    );
    assert!(!stdout(&en).contains("everyday and customised features work"));
    let fr = show(&sb, "fr");
    assert!(fr.status.success(), "{}", stderr(&fr));
    assert!(
        stdout(&fr).contains("Le référent du client a passé les 12 tests de la procédure P-7"),
        "{}",
        stdout(&fr)
    );
    let v = sb.run(&["plan", "validate", "sandbox.toml"]);
    assert!(v.status.success(), "{}", stderr(&v));
}

#[test]
fn a_language_left_out_keeps_the_built_in_text() {
    let sb = Sandbox::new();
    with_prompts(
        &sb,
        r#"
[recipe.prompts."control/checked"]
fr = "La production répond, le client a validé"
"#,
    );
    let en = show(&sb, "en");
    assert!(
        stdout(&en).contains("operator confirms: Production answers and the main features work"),
        "{}",
        stdout(&en)
    );
    let fr = show(&sb, "fr");
    assert!(
        stdout(&fr).contains("La production répond, le client a validé"),
        "{}",
        stdout(&fr)
    );
}

#[test]
fn a_prompt_for_no_manual_step_or_an_empty_one_is_refused_where_it_is_written() {
    let sb = Sandbox::new();
    let text = with_prompts(
        &sb,
        r#"
[recipe.prompts."verify/signoff"]
en = "typo in the step id"

[recipe.prompts."backup/database"]
en = "not a manual step"

[recipe.prompts."control/checked"]
fr = "   "
"#,
    );
    let v = sb.run(&["plan", "validate", "sandbox.toml"]);
    assert_eq!(v.status.code(), Some(2), "{}", stdout(&v));
    let err = stderr(&v);
    let line_of = |needle: &str| {
        text.lines()
            .position(|l| l.contains(needle))
            .map(|i| i + 1)
            .unwrap()
    };
    let signoff = line_of("\"verify/signoff\"");
    assert!(
        err.contains(&format!("sandbox.toml:{signoff}:")) && err.contains("verify/sign-off"),
        "the typo is located and the manual steps are listed: {err}"
    );
    assert!(
        err.contains("\"backup/database\" is not a manual step"),
        "{err}"
    );
    assert!(err.contains("recipe.prompts.control/checked.fr"), "{err}");
    // `dress run` refuses the same plan before anything runs.
    let r = sb.run(&["run", "sandbox.toml", "--env", "test", "--stage", "verify"]);
    assert_eq!(r.status.code(), Some(2), "{}", stderr(&r));
    assert!(stderr(&r).contains("verify/signoff"), "{}", stderr(&r));
    assert!(sb.runs().is_empty(), "no run was opened");
}

#[test]
fn an_unknown_language_in_a_prompt_is_refused() {
    let sb = Sandbox::new();
    with_prompts(
        &sb,
        r#"
[recipe.prompts."verify/sign-off"]
de = "Geprüft"
"#,
    );
    let v = sb.run(&["plan", "validate", "sandbox.toml"]);
    assert_eq!(v.status.code(), Some(2));
    assert!(stderr(&v).contains("de"), "{}", stderr(&v));
}

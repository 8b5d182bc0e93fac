//! Both languages complete, no English on a French screen, French layouts
//! that keep the stage titles, the environment and the run id whole.

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use unicode_width::UnicodeWidthStr;

use super::catalogue::{Text, texts};
use super::*;
use crate::model::lang::{self, Lang};
use crate::ui::fixture::{self, Phase};
use crate::ui::{App, Theme};

#[test]
fn fill_replaces_in_order() {
    assert_eq!(fill("{} of {}", &[&1, &"b"]), "1 of b");
    assert_eq!(fill("{} {}", &[&1]), "1 {}");
}

#[test]
fn durations_read_well() {
    assert_eq!(duration(4200), "4.2s");
    assert_eq!(duration(125_000), "2m05s");
    assert_eq!(duration(3_723_000), "1h02m03s");
}

#[test]
fn durations_in_french_take_a_decimal_comma_and_spaced_units() {
    lang::scoped(Lang::Fr, || {
        assert_eq!(duration(5000), "5,0 s");
        assert_eq!(duration(4200), "4,2 s");
        assert_eq!(duration(125_000), "2 min 05 s");
        assert_eq!(duration(3_723_000), "1 h 02 min 03 s");
    });
    lang::scoped(Lang::En, || assert_eq!(duration(5000), "5.0s"));
}

#[test]
fn counts_follow_the_plural_rule_of_each_language() {
    lang::scoped(Lang::En, || {
        assert_eq!(count(0, s().matches), "0 matches");
        assert_eq!(count(1, s().matches), "1 match");
    });
    lang::scoped(Lang::Fr, || {
        assert_eq!(count(0, s().matches), "0 occurrence");
        assert_eq!(count(1, s().manual_steps), "1 étape manuelle");
        assert_eq!(count(2, s().manual_steps), "2 étapes manuelles");
    });
}

fn by_key(l: Lang) -> BTreeMap<String, String> {
    texts(l).into_iter().map(|t| (t.key, t.text)).collect()
}

#[test]
fn the_catalogue_lists_fields_arrays_and_function_texts() {
    let en = by_key(Lang::En);
    assert_eq!(en["main.pane_stages"], "Stages");
    assert_eq!(en["main.help_sections[7]"], "Dialogs");
    assert_eq!(en["main.act.Quit.hint"], "quit");
    assert_eq!(en["topology.act.Export.hint"], "export");
    assert_eq!(en["wizard.field.GcmFile"], "Commercial (.gcm)");
    assert_eq!(
        en["wizard.act.Save.help"],
        (WIZARD_EN.act_help)(crate::ui::wizard::keys::Act::Save)
    );
    assert!(en.len() > 300, "{}", en.len());
}

/// Every text in both languages, non-empty, with as many `{}` in French as
/// in English.
#[test]
fn both_languages_are_complete() {
    let en = by_key(Lang::En);
    let fr = by_key(Lang::Fr);
    assert_eq!(
        en.keys().collect::<Vec<_>>(),
        fr.keys().collect::<Vec<_>>(),
        "the two languages list different texts"
    );
    let mut bad = Vec::new();
    for (k, e) in &en {
        let f = &fr[k];
        if e.trim().is_empty() || f.trim().is_empty() {
            bad.push(format!("{k}: empty"));
        }
        if e.matches("{}").count() != f.matches("{}").count() {
            bad.push(format!("{k}: {e:?} and {f:?} take different values"));
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

/// French words reach the reader: most texts differ from English (the
/// same words are allowed where French says the same: Options, Notes).
#[test]
fn the_french_tables_are_french() {
    let en = by_key(Lang::En);
    let fr = by_key(Lang::Fr);
    let same: Vec<_> = en
        .iter()
        .filter(|(k, e)| fr[*k] == **e && e.chars().filter(|c| c.is_alphabetic()).count() >= 5)
        .map(|(k, e)| format!("{k}: {e}"))
        .collect();
    let allowed = [
        "main.detail_notes: Notes",
        "main.help_action: Action",
        "main.status_production: PRODUCTION",
        "main.production_title: PRODUCTION",
        "topology.columns[1]: Services",
        "wizard.pages[1]: Installation",
        "wizard.pages[2]: SQL Server",
        "wizard.pages[3]: Options",
        "wizard.company_columns[2]: Contacts",
        "wizard.field.GcmFile: Commercial (.gcm)",
        "topology.help_sections[3]: Questions",
        "wizard.help_sections[5]: Questions",
    ];
    let unexpected: Vec<_> = same
        .iter()
        .filter(|s| !allowed.contains(&s.as_str()))
        .collect();
    assert!(
        unexpected.is_empty(),
        "still English in French: {unexpected:#?}"
    );
}

/// The shortest piece of an English text the leak check looks for.
const MIN_PIECE: usize = 5;
/// Long pieces are looked for by their start: a wrapped or clipped
/// sentence still shows its first words.
const PROBE: usize = 24;

/// Words of the plan that read like English but are identifiers, never
/// translated: a French message may quote them (`escalation`).
fn identifiers() -> Vec<String> {
    use crate::model::plan::Service;
    let mut v: Vec<String> = Service::ALL
        .iter()
        .map(|s| s.as_str().to_string())
        .collect();
    v.extend(["sql", "web-master", "web-secondary"].map(String::from));
    v.extend(
        crate::recipe::StageId::ALL
            .iter()
            .map(|s| s.as_str().to_string()),
    );
    // The values a wizard choice cycles through are the plan's own.
    use crate::ui::wizard::fields::{ENCRYPTIONS, KINDS, MODES, SECRET_FROM};
    for list in [ENCRYPTIONS, KINDS, MODES, SECRET_FROM] {
        v.extend(list.iter().map(|s| s.to_string()));
    }
    v
}

/// The start of `piece`: whole words, at most `PROBE` characters.
fn probe_of(piece: &str) -> String {
    let mut out = String::new();
    for word in piece.split(' ') {
        let next = if out.is_empty() {
            word.to_string()
        } else {
            format!("{out} {word}")
        };
        if !out.is_empty() && next.chars().count() > PROBE {
            break;
        }
        out = next;
    }
    out
}

/// The pieces of English texts that would betray a missed translation:
/// each text split on its `{}`, only texts that differ in French, only
/// pieces no French text contains and that are not plan identifiers.
fn english_probes() -> Vec<(String, String)> {
    let ids = identifiers();
    let en = texts(Lang::En);
    let fr = by_key(Lang::Fr);
    let fr_all: Vec<&String> = fr.values().collect();
    let mut out = Vec::new();
    for Text { key, text } in en {
        if fr.get(&key) == Some(&text) {
            continue;
        }
        for piece in text.split("{}") {
            let piece =
                piece.trim_matches(|c: char| c.is_whitespace() || "()\"':,.;-—".contains(c));
            if piece.chars().count() < MIN_PIECE || !piece.chars().any(char::is_alphabetic) {
                continue;
            }
            let probe = probe_of(piece);
            if fr_all.iter().any(|f| f.contains(&probe)) || ids.contains(&probe) {
                continue;
            }
            out.push((key.clone(), probe));
        }
    }
    out
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// True when `probe` is in `hay` as whole words.
fn has_words(hay: &str, probe: &str) -> bool {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    hay.match_indices(probe).any(|(i, _)| {
        !word(hay[..i].chars().next_back()) && !word(hay[i + probe.len()..].chars().next())
    })
}

/// English texts of the tables found on `screen`: (key, piece).
fn english_on(screen: &str, probes: &[(String, String)]) -> Vec<(String, String)> {
    english_besides(screen, probes, &[])
}

/// The same, except pieces that are part of `outside`: the messages of
/// the plan's validation drawn on that screen, which `src/model` writes
/// (in English for now) and the interface only shows.
fn english_besides(
    screen: &str,
    probes: &[(String, String)],
    outside: &[String],
) -> Vec<(String, String)> {
    // Each row, and the rows run together (a wrapped sentence).
    let rows: Vec<String> = screen.lines().map(collapse).collect();
    let joined = collapse(&screen.replace(['│', '|'], " "));
    probes
        .iter()
        .filter(|(_, p)| {
            let p = collapse(p);
            (rows.iter().any(|r| has_words(r, &p)) || has_words(&joined, &p))
                && !outside.iter().any(|o| has_words(o, &p))
        })
        .cloned()
        .collect()
}

#[test]
fn the_leak_check_finds_english_and_passes_french() {
    let probes = english_probes();
    let english = "┌Steps of Backup──────┐\n│Cancel the running step \"x\"? Its process│\n";
    let found = english_on(english, &probes);
    let keys: Vec<&str> = found.iter().map(|(k, _)| k.as_str()).collect();
    assert!(keys.contains(&"main.pane_steps"), "{found:?}");
    assert!(keys.contains(&"main.confirm_cancel"), "{found:?}");
    // A sentence wrapped over two rows is still found.
    let wrapped = "│The engine goes on without this│\n│screen: dress attach│\n";
    assert!(!english_on(wrapped, &probes).is_empty());
    let french = "┌Étapes : Sauvegarde──┐\n│Annuler l'étape en cours « x » ?│\n";
    assert_eq!(english_on(french, &probes), Vec::<(String, String)>::new());
}

fn draw_app(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("test backend");
    t.draw(|f| crate::ui::render(app, f)).expect("draw");
    buffer_text(t.backend())
}

fn buffer_text(b: &TestBackend) -> String {
    let buf = b.buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

fn press(app: &mut App, keys: &[KeyCode]) {
    for k in keys {
        crate::ui::update::update(
            app,
            crate::ui::update::Msg::Key(KeyEvent::new(*k, KeyModifiers::NONE)),
        );
    }
}

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 30)];

/// Every screen and dialog of the run view, in the language in use, at
/// both sizes: (name, screen).
fn run_view_screens() -> Vec<Shot> {
    use KeyCode::{Char, Down, Enter, PageDown, Tab};
    type Prep = fn(&mut App);
    let cases: Vec<(&str, Phase, bool, Prep)> = vec![
        ("main idle", Phase::Idle, false, |_| {}),
        ("main running", Phase::Running, false, |_| {}),
        ("log search", Phase::Running, false, |a| {
            press(a, &[Tab, Tab, Char('g'), Char('/')]);
            press(a, &"percent".chars().map(Char).collect::<Vec<_>>());
            press(a, &[Enter]);
        }),
        ("log search none", Phase::Running, false, |a| {
            press(a, &[Tab, Tab, Char('/')]);
            press(a, &"zzz".chars().map(Char).collect::<Vec<_>>());
            press(a, &[Enter]);
        }),
        ("search field", Phase::Running, false, |a| {
            press(a, &[Tab, Tab, Char('/'), Char('C')])
        }),
        ("steps pane", Phase::Running, false, |a| press(a, &[Tab])),
        ("detail", Phase::Running, false, |a| {
            press(a, &[Tab, Char('i')])
        }),
        ("detail failed", Phase::Failed, false, |a| {
            press(a, &[Tab, Down, Down, Char('i')]);
        }),
        ("help", Phase::Idle, false, |a| press(a, &[Char('?')])),
        ("help end", Phase::Idle, false, |a| {
            press(a, &[Char('?'), PageDown, PageDown, PageDown, PageDown])
        }),
        ("summary", Phase::Finished, false, |_| {}),
        ("summary asked", Phase::Running, false, |a| {
            press(a, &[Char('s')])
        }),
        ("confirm stage", Phase::Idle, false, |a| {
            a.stage_sel = 4;
            press(a, &[Enter]);
        }),
        ("choose again", Phase::Finished, false, |a| {
            press(a, &[KeyCode::Esc]);
            a.stage_sel = 0;
            press(a, &[Enter]);
        }),
        ("cancel", Phase::Running, false, |a| press(a, &[Char('c')])),
        ("quit", Phase::Running, false, |a| press(a, &[Char('q')])),
        ("failure", Phase::Failed, false, |_| {}),
        ("manual", Phase::Manual, false, |a| {
            press(a, &[Enter]);
        }),
        ("manual typed", Phase::Manual, false, |a| {
            press(a, &[Char(' '), Tab, Char('o'), Char('k')]);
        }),
        ("locked", Phase::Idle, false, |a| {
            a.stage_sel = 8;
            press(a, &[Enter]);
        }),
        ("busy", Phase::Running, false, |a| {
            a.stage_sel = 0;
            press(a, &[Enter]);
        }),
        ("production running", Phase::Running, true, |_| {}),
        ("production confirmation", Phase::Idle, true, |a| {
            a.stage_sel = 8;
            press(a, &[Enter]);
        }),
        ("production mismatch", Phase::Idle, true, |a| {
            a.stage_sel = 8;
            press(a, &[Enter, Char('X'), Enter]);
        }),
    ];
    let mut out = Vec::new();
    for (name, phase, production, prep) in cases {
        for (w, h) in SIZES {
            let mut app = if production {
                crate::ui::fixture_production::app(phase, "default", false, (w, h))
            } else {
                fixture::app(phase, "default", false, (w, h))
            };
            prep(&mut app);
            out.push(shot(
                format!("{name} {w}x{h}"),
                draw_app(&app, w, h),
                vec![],
            ));
        }
    }
    for (w, h) in SIZES {
        let app = fixture::app(Phase::Running, "default", false, (60, 20));
        out.push(shot(
            format!("too small {w}x{h}"),
            draw_app(&app, 60, 20),
            vec![],
        ));
        // The notices the engine causes.
        for text in [
            s().notice_engine_gone.to_string(),
            fill(s().notice_lagged, &[&3]),
        ] {
            let mut app = fixture::app(Phase::Running, "default", false, (w, h));
            app.dialog = Some(crate::ui::app::Dialog::Notice(text));
            out.push(shot(
                format!("notice {w}x{h}"),
                draw_app(&app, w, h),
                vec![],
            ));
        }
    }
    out
}

const PLAN: &str = r#"[deployment]
company = "ACME"
installation = "CRMSAGE"
licence_key = { env = "CRM_LICENCE_KEY" }

[environments.test]
install_dir = 'C:\CRM'
backup_dir = 'E:\Backup\CRMSAGE'

[environments.test.sql]
server = "sql1.example.local"
database = "CRMSAGE"
auth = "sql"
login = "sa"
password = { env = "DRESS_TOPOLOGY_TEST_PASSWORD" }
tomcat_pool = 20

[environments.production]
install_dir = 'C:\CRM'
backup_dir = 'E:\Backup\CRMSAGE'
"#;

/// The topology editor's screens: empty, valid, with problems, picker,
/// help, questions, editing.
fn topology_screens() -> Vec<Shot> {
    use crate::model::EnvKind;
    use crate::model::plan::{Role, Server, Service};
    use crate::ui::topology::state::Editor;
    use crate::ui::topology::update::{Msg, update};
    use KeyCode::{Char, Down, Enter, PageDown, Right};
    let server = |name: &str, role: Role, n: u8, services: &[Service]| Server {
        name: name.into(),
        role,
        address: format!("{}.example.local", name.to_lowercase()),
        ipv6: format!("fd00::{n}"),
        services: services.to_vec(),
        install_path: None,
    };
    let three = vec![
        server("SQL1", Role::Sql, 10, &[]),
        server("WEB1", Role::WebMaster, 11, &Service::ALL),
        server("WEB2", Role::WebSecondary, 12, &[]),
        server("WEB3", Role::WebSecondary, 13, &[]),
    ];
    let editor = |rows: Vec<Server>| {
        let mut ed = Editor::new(
            "plan.toml".into(),
            EnvKind::Test,
            PLAN.to_string(),
            Theme::builtin("default").expect("theme"),
            false,
        )
        .expect("editor");
        ed.rows = rows;
        ed.revalidate();
        ed
    };
    let press = |ed: &mut Editor, keys: &[KeyCode]| {
        for k in keys {
            update(ed, Msg::Key(KeyEvent::new(*k, KeyModifiers::NONE)));
        }
    };
    let mut bad = three.clone();
    bad[2].name = "WEB_2!".into();
    bad[3].ipv6 = "fe80::1%eth0".into();
    bad[1].services.clear();
    let mut cases: Vec<(&str, Editor)> = vec![
        ("empty", editor(vec![])),
        ("valid", editor(three.clone())),
        ("problems", editor(bad)),
    ];
    let mut ed = editor(three.clone());
    press(&mut ed, &[Down, Right, Enter, Down]);
    cases.push(("picker", ed));
    let mut ed = editor(three.clone());
    press(&mut ed, &[Char('?')]);
    cases.push(("help", ed));
    let mut ed = editor(three.clone());
    press(
        &mut ed,
        &[
            Char('?'),
            PageDown,
            Down,
            Down,
            Down,
            Down,
            Down,
            Down,
            Down,
            Down,
            Down,
            Down,
            Down,
            Down,
            Down,
            Down,
            Down,
            Down,
            Down,
            Down,
            Down,
            Down,
        ],
    );
    cases.push(("help end", ed));
    let mut ed = editor(three.clone());
    press(&mut ed, &[Down, Char('d')]);
    cases.push(("confirm delete", ed));
    let mut ed = editor(three.clone());
    press(&mut ed, &[Down, Right, Right, Enter, Char('X')]);
    cases.push(("editing", ed));
    let mut ed = editor(three.clone());
    press(&mut ed, &[Char('b'), Char('a'), Char('q')]);
    cases.push(("quit unsaved", ed));
    let mut ed = editor(three);
    ed.sql_check = crate::ui::topology::state::SqlCheck::Running;
    cases.push(("checking", ed));
    let mut out = Vec::new();
    for (name, ed) in cases {
        for (w, h) in SIZES {
            let mut t = Terminal::new(TestBackend::new(w, h)).expect("test backend");
            t.draw(|f| crate::ui::topology::render::render(&ed, f))
                .expect("draw");
            let outside = ed
                .errors
                .iter()
                .flat_map(|e| [e.what.clone(), e.fix.clone()])
                .collect();
            out.push(shot(
                format!("topology {name} {w}x{h}"),
                buffer_text(t.backend()),
                outside,
            ));
        }
    }
    out
}

/// The wizard's pages, empty and refused, its dialogs and its help.
fn wizard_screens() -> Vec<Shot> {
    use crate::ui::wizard::fields::Page;
    use crate::ui::wizard::{Msg, Wizard, update};
    use KeyCode::{Char, Esc, F, PageDown};
    let open = || {
        Wizard::open(
            "plans/bijou.toml".into(),
            None,
            Theme::builtin("default").expect("theme"),
            false,
        )
        .expect("wizard")
    };
    let press = |wz: &mut Wizard, keys: &[KeyCode]| {
        for k in keys {
            update(wz, Msg::Key(KeyEvent::new(*k, KeyModifiers::NONE)));
        }
    };
    let mut cases: Vec<(String, Wizard)> = Vec::new();
    for p in Page::ALL {
        let mut wz = open();
        wz.page = p;
        cases.push((format!("{p:?}"), wz));
        let mut wz = open();
        wz.page = p;
        press(&mut wz, &[PageDown]);
        cases.push((format!("{p:?} next"), wz));
    }
    let mut wz = open();
    wz.page = Page::Companies;
    press(&mut wz, &[Char('a')]);
    cases.push(("company editor".into(), wz));
    let mut wz = open();
    press(&mut wz, &[Char('A'), Esc]);
    cases.push(("quit".into(), wz));
    let mut wz = open();
    press(&mut wz, &[F(1)]);
    cases.push(("help".into(), wz));
    let mut wz = open();
    press(&mut wz, &[F(1)]);
    for _ in 0..40 {
        press(&mut wz, &[KeyCode::Down]);
    }
    cases.push(("help end".into(), wz));
    let mut out = Vec::new();
    for (name, wz) in cases {
        for (w, h) in SIZES {
            let mut t = Terminal::new(TestBackend::new(w, h)).expect("test backend");
            t.draw(|f| crate::ui::wizard::render(&wz, f)).expect("draw");
            let outside = wz
                .issues()
                .into_iter()
                .flat_map(|i| [i.what, i.fix])
                .collect();
            out.push(shot(
                format!("wizard {name} {w}x{h}"),
                buffer_text(t.backend()),
                outside,
            ));
        }
    }
    out
}

/// A drawn screen, with the validation messages of `src/model` it shows.
struct Shot {
    name: String,
    screen: String,
    outside: Vec<String>,
}

fn shot(name: String, screen: String, outside: Vec<String>) -> Shot {
    Shot {
        name,
        screen,
        outside,
    }
}

fn all_screens() -> Vec<Shot> {
    let mut v = run_view_screens();
    v.extend(topology_screens());
    v.extend(wizard_screens());
    v
}

/// No text of the English tables on any French screen.
#[test]
fn no_english_on_a_french_screen() {
    let probes = english_probes();
    let screens = lang::scoped(Lang::Fr, all_screens);
    assert!(screens.len() > 100, "{}", screens.len());
    let mut leaks = Vec::new();
    for Shot {
        name,
        screen,
        outside,
    } in &screens
    {
        for (key, piece) in english_besides(screen, &probes, outside) {
            leaks.push(format!("{name}: {key}: {piece:?}\n{screen}"));
        }
    }
    assert!(
        leaks.is_empty(),
        "English on French screens:\n{}",
        leaks.join("\n")
    );
}

/// The same screens in English do show English: the check looks at what
/// is drawn.
#[test]
fn the_english_screens_show_english() {
    let probes = english_probes();
    let screens = lang::scoped(Lang::En, all_screens);
    let found: usize = screens
        .iter()
        .map(|sh| english_besides(&sh.screen, &probes, &sh.outside).len())
        .sum();
    assert!(found > screens.len(), "{found}");
}

/// The stages of a plan of `mode`, with the stage table's titles.
fn plan_stages(mode: crate::model::UpgradeMode) -> Vec<crate::model::step::Stage> {
    crate::recipe::StageId::ALL
        .into_iter()
        .filter(|id| id.in_mode(mode))
        .map(|id| crate::model::step::Stage {
            id: id.as_str().into(),
            title: id.title().into(),
            env: crate::model::EnvKind::Test,
            steps: Vec::new(),
        })
        .collect()
}

/// At 80x24 and 120x30, in both languages, the main screen shows every
/// stage title of an upgrade and of an install plan, the environment and the
/// run id, each whole, whichever stage is selected.
#[test]
fn main_screen_keeps_titles_environment_and_run_id_whole() {
    for language in Lang::ALL {
        lang::scoped(language, each_layout_keeps_them_whole);
    }
}

fn each_layout_keeps_them_whole() {
    use crate::model::UpgradeMode;
    {
        for mode in [UpgradeMode::Upgrade, UpgradeMode::Install] {
            for production in [false, true] {
                for (w, h) in SIZES {
                    for sel in [0, 4, 8] {
                        let mut app = if production {
                            crate::ui::fixture_production::app(
                                Phase::Running,
                                "default",
                                false,
                                (w, h),
                            )
                        } else {
                            fixture::app(Phase::Running, "default", false, (w, h))
                        };
                        app.stages = plan_stages(mode);
                        app.stage_sel = sel.min(app.stages.len() - 1);
                        let screen = draw_app(&app, w, h);
                        let rows: Vec<&str> = screen.lines().collect();
                        let whole = |what: &str| {
                            rows.iter().any(|r| {
                                r.contains(what) && UnicodeWidthStr::width(*r) <= w as usize
                            })
                        };
                        for st in &app.stages {
                            assert!(
                                whole(&st.title),
                                "{mode:?} {w}x{h}: stage {:?} cut\n{screen}",
                                st.title
                            );
                        }
                        let env = if production {
                            "PRODUCTION".to_string()
                        } else {
                            app.env.clone()
                        };
                        let bar = rows[h as usize - 2];
                        assert!(bar.contains(&env), "{w}x{h}: environment cut: {bar}");
                        assert!(
                            bar.contains(&app.state.run_id),
                            "{w}x{h}: run id cut: {bar}"
                        );
                        assert!(UnicodeWidthStr::width(bar) <= w as usize);
                    }
                }
            }
        }
    }
}

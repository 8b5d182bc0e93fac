//! What the topology editor tests share: a plan on disk, key presses,
//! drawing into a test backend.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dress::model::EnvKind;
use dress::model::plan::{Role, Server, Service};
use dress::ui::Theme;
use dress::ui::topology::effects;
use dress::ui::topology::state::Editor;
use dress::ui::topology::update::{Msg, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// A plan with comments, a SQL section and no server in the test
/// environment yet.
pub const PLAN: &str = r#"# Deployment of ACME's CRM (kept by the editor)
[deployment]
company = "ACME"
installation = "CRMSAGE"
licence_key = { env = "CRM_LICENCE_KEY" }

# The test environment: a copy of production
[environments.test]
install_dir = '\\TESTWEB1\c$\Program Files (x86)\Sage\CRM\CRMSAGE'   # program files
backup_dir = 'E:\Backup\CRMSAGE'

[environments.test.sql]
server = "sql1.example.local"
database = "CRMSAGE"
auth = "sql"
login = "sa"
password = { env = "DRESS_TOPOLOGY_TEST_PASSWORD" }
tomcat_pool = 20

# Production comes after the test environment
[environments.production]
install_dir = 'C:\Program Files (x86)\Sage\CRM\CRMSAGE'
backup_dir = 'E:\Backup\CRMSAGE'

[recipe.setup]
package = 'E:\Setup\Sage100cCRM-2026.1-Setup.exe'
args = ["/S"]
"#;

pub fn write_plan(dir: &Path, text: &str) -> PathBuf {
    let p = dir.join("plan.toml");
    std::fs::write(&p, text).unwrap();
    p
}

pub fn editor(path: &Path) -> Editor {
    let text = std::fs::read_to_string(path).unwrap();
    Editor::new(
        path.to_path_buf(),
        EnvKind::Test,
        text,
        Theme::builtin("default").unwrap(),
        false,
    )
    .unwrap()
}

pub fn editor_with(rows: Vec<Server>) -> Editor {
    let mut ed = Editor::new(
        PathBuf::from("plan.toml"),
        EnvKind::Test,
        PLAN.to_string(),
        Theme::builtin("default").unwrap(),
        false,
    )
    .unwrap();
    ed.rows = rows;
    ed.revalidate();
    ed
}

pub fn key(ed: &mut Editor, code: KeyCode, mods: KeyModifiers) {
    let out = update(ed, Msg::Key(KeyEvent::new(code, mods)));
    if let Some(e) = out.effect {
        let (tx, _rx) = std::sync::mpsc::channel();
        effects::perform(ed, e, &tx);
    }
}

pub fn press(ed: &mut Editor, keys: &[KeyCode]) {
    for k in keys {
        key(ed, *k, KeyModifiers::NONE);
    }
}

pub fn typ(ed: &mut Editor, text: &str) {
    for c in text.chars() {
        key(ed, KeyCode::Char(c), KeyModifiers::NONE);
    }
}

pub fn server(name: &str, role: Role, n: u8, services: &[Service]) -> Server {
    Server {
        name: name.into(),
        role,
        address: format!("{}.example.local", name.to_lowercase()),
        ipv6: format!("fd00::{n}"),
        services: services.to_vec(),
        install_path: None,
    }
}

/// SQL server, master with every service, three web servers in all.
pub fn three_web() -> Vec<Server> {
    vec![
        server("SQL1", Role::Sql, 10, &[]),
        server("WEB1", Role::WebMaster, 11, &Service::ALL),
        server("WEB2", Role::WebSecondary, 12, &[]),
        server("WEB3", Role::WebSecondary, 13, &[]),
    ]
}

pub fn draw(ed: &Editor, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| dress::ui::topology::render::render(ed, f))
        .unwrap();
    t
}

pub fn screen(ed: &Editor, w: u16, h: u16) -> String {
    draw(ed, w, h).backend().to_string()
}

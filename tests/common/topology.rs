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

/// The guide's worksheet in production (SQL server, master, two
/// secondaries with their shares), and one web server in test.
pub const FOUR: &str = r#"# Deployment of ACME's CRM
[deployment]
company = "ACME"
installation = "CRMSAGE"
licence_key = { env = "CRM_LICENCE_KEY" }
version = "2026.1"

[environments.test]
install_dir = '\\TESTWEB1\c$\Program Files (x86)\Sage\CRM\CRMSAGE'
backup_dir = 'E:\Backup\CRMSAGE'

[[environments.test.servers]]
name = "TESTWEB1"
role = "web-master"
address = "testweb1.example.local"
ipv6 = "fd00::21"
services = ["email-manager", "escalation", "indexer"]

[environments.production]
install_dir = 'C:\Program Files (x86)\Sage\CRM\CRMSAGE'
backup_dir = 'E:\Backup\CRMSAGE'

[environments.production.sql]
server = "sql1.example.local"
database = "CRMSAGE"
login = "sa"
password = { env = "DRESS_TOPOLOGY_TEST_PASSWORD" }

[[environments.production.servers]]
name = "SQL1"
role = "sql"
address = "sql1.example.local"

[[environments.production.servers]]
name = "WEB1"   # the master
role = "web-master"
address = "web1.example.local"
ipv6 = "fd00::11"
services = ["email-manager", "escalation", "indexer"]

[[environments.production.servers]]
name = "WEB2"
role = "web-secondary"
address = "web2.example.local"
ipv6 = "fd00::12"
install_path = '\\WEB2\c$\Program Files (x86)\Sage\CRM\CRMSAGE'

# the last secondary
[[environments.production.servers]]
name = "WEB3"
role = "web-secondary"
address = "web3.example.local"
ipv6 = "fd00::13"
install_path = '\\WEB3\c$\Program Files (x86)\Sage\CRM\CRMSAGE'

[recipe.setup]
package = 'E:\Setup\Sage100cCRM-2026.1-Setup.exe'
args = ["/S"]
"#;

/// An editor on `env` of the plan at `path`.
pub fn editor_on(path: &Path, env: Option<EnvKind>) -> Editor {
    let text = std::fs::read_to_string(path).unwrap();
    Editor::open(
        path.to_path_buf(),
        env,
        text,
        Theme::builtin("default").unwrap(),
        false,
    )
    .unwrap()
}

/// The servers of `env` as saved in the plan at `path`.
pub fn saved_rows(path: &Path, env: EnvKind) -> Vec<Server> {
    let plan: dress::model::Plan = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    plan.environments.get(env).unwrap().servers.clone()
}

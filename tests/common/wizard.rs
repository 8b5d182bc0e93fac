//! Shared by the tests/wizard_*.rs files: drive the wizard with keys, draw
//! it on a test backend.
#![allow(dead_code)]

use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dress::ui::Theme;
use dress::ui::wizard::fields::{F, Page};
use dress::ui::wizard::{Msg, Out, Wizard, render, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

pub fn open(path: PathBuf, existing: Option<String>) -> Wizard {
    let theme = Theme::builtin("default").unwrap();
    Wizard::open(path, existing, theme, false).unwrap()
}

pub fn key(wz: &mut Wizard, code: KeyCode) -> Out {
    update(wz, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

pub fn ctrl(wz: &mut Wizard, c: char) -> Out {
    update(
        wz,
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
    )
}

pub fn typ(wz: &mut Wizard, text: &str) {
    for c in text.chars() {
        key(wz, KeyCode::Char(c));
    }
}

/// Empty the focused text field.
pub fn clear(wz: &mut Wizard) {
    key(wz, KeyCode::End);
    for _ in 0..200 {
        key(wz, KeyCode::Backspace);
    }
}

pub fn tab(wz: &mut Wizard, n: usize) {
    for _ in 0..n {
        key(wz, KeyCode::Tab);
    }
}

/// Tab to field `f` of the current page (it must be shown).
pub fn focus(wz: &mut Wizard, f: F) {
    for _ in 0..40 {
        if wz.shown_fields(wz.page).get(wz.focus) == Some(&f) {
            return;
        }
        key(wz, KeyCode::Tab);
    }
    panic!("{f:?} is not shown on {:?}", wz.page);
}

pub fn next(wz: &mut Wizard) {
    key(wz, KeyCode::PageDown);
}

/// The screen as text, one quoted line per row.
pub fn draw(wz: &Wizard, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| render(wz, f)).unwrap();
    t.backend().to_string()
}

/// The scripted answers of one page (the wizard must be on it).
pub fn answer(wz: &mut Wizard, page: Page) {
    match page {
        // The installation name follows the company.
        Page::Company => typ(wz, "Société Bijou & Fils"),
        // A new installation; keep the suggested name; the vendor setup.
        Page::Installation => {
            key(wz, KeyCode::Left);
            focus(wz, F::Version);
            typ(wz, "2026.1");
            tab(wz, 1);
            typ(wz, "E:\\Setup\\Sage100cCRM-2026.1-Setup.exe");
            tab(wz, 1);
            typ(wz, "/S /v/qn");
        }
        // The databases are prefilled from the installation name.
        Page::Sql => typ(wz, "sql1.example.local\\CRM"),
        // The integration service, a proxy with a login.
        Page::Options => {
            key(wz, KeyCode::Char(' '));
            focus(wz, F::IntegrationPackage);
            typ(wz, "E:\\Setup\\Sage100cCRM-Integration-2026.1-Setup.exe");
            focus(wz, F::ProxyHost);
            typ(wz, "proxy.example.local");
            tab(wz, 1);
            typ(wz, "3128");
            tab(wz, 1);
            typ(wz, "crm-proxy");
        }
        Page::Environments => {
            typ(wz, "C:\\CRM\\Test");
            tab(wz, 1);
            typ(wz, "D:\\Backup\\Test");
            tab(wz, 1);
            typ(wz, "http://crm-test/CRMSOCIETE");
            tab(wz, 1);
            typ(wz, "C:\\Program Files (x86)\\Sage\\CRMSOCIETE");
            tab(wz, 1);
            typ(wz, "D:\\Backup\\Prod");
            tab(wz, 1);
            typ(wz, "http://crm/CRMSOCIETE");
        }
        // The first company gets the recommended title.
        Page::Companies => {
            key(wz, KeyCode::Char('a'));
            tab(wz, 1);
            key(wz, KeyCode::Char(' ')); // sync dormant: yes
            tab(wz, 4);
            typ(wz, "C:\\Sage\\Compta\\BIJOU.MAE");
            tab(wz, 1);
            typ(wz, "C:\\Sage\\Gestion\\BIJOU.GCM");
            key(wz, KeyCode::Enter);
        }
        Page::Summary => {}
    }
}

/// Answer every page before `page` and move on to it.
pub fn reach(wz: &mut Wizard, page: Page) {
    for p in Page::ALL {
        if p == page {
            break;
        }
        assert_eq!(wz.page, p, "{}", draw(wz, 120, 30));
        answer(wz, p);
        next(wz);
    }
    assert_eq!(wz.page, page, "{}", draw(wz, 120, 30));
}

/// The whole scripted session, up to the summary (not saved).
pub fn scripted(wz: &mut Wizard) {
    reach(wz, Page::Summary);
}

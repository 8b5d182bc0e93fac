//! Asking a secret on the terminal, with nothing echoed: the characters
//! typed are neither shown nor kept anywhere but in the answer.

use std::io::{IsTerminal, Write};

use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers, read};
use crossterm::terminal::{disable_raw_mode, enable_raw_mode};
use secrecy::SecretString;

/// Ask for `label` on the terminal; `None` when there is no terminal to ask
/// on, or the operator gave up (Esc, Ctrl-C).
pub fn ask_hidden(label: &str) -> Option<SecretString> {
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return None;
    }
    eprint!("{label}{}", crate::model::lang::tr(": ", " : "));
    let _ = std::io::stderr().flush();
    enable_raw_mode().ok()?;
    let mut typed = String::new();
    let answer = loop {
        match read() {
            Ok(Event::Key(k)) if k.kind == KeyEventKind::Press => match k.code {
                KeyCode::Enter => break Some(std::mem::take(&mut typed)),
                KeyCode::Esc => break None,
                KeyCode::Char('c') if k.modifiers.contains(KeyModifiers::CONTROL) => break None,
                KeyCode::Backspace => {
                    typed.pop();
                }
                KeyCode::Char(c) if !c.is_control() => typed.push(c),
                _ => {}
            },
            Ok(_) => {}
            Err(_) => break None,
        }
    };
    let _ = disable_raw_mode();
    eprintln!();
    answer.map(SecretString::from)
}

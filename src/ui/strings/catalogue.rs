//! Every text of every table of one language, each with a key that names
//! it the same way in both languages (`main.pane_steps`,
//! `main.act.Quit.help`, `wizard.field.Company`, `topology.roles[1]`).
//!
//! The plain fields come from the tables' `Serialize` (so a new field is
//! listed without anyone remembering to); the texts given by functions
//! (`act`, `field`) are asked for every action bound in a key map and every
//! field of a page or of the company editor.

use crate::model::lang::{self, Lang};
use crate::ui::{keymap, topology, wizard};

use super::{s, topo, w};

/// One text of a table: its key and its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub key: String,
    pub text: String,
}

fn walk(prefix: &str, v: &serde_json::Value, out: &mut Vec<Text>) {
    match v {
        serde_json::Value::String(t) => out.push(Text {
            key: prefix.to_string(),
            text: t.clone(),
        }),
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                walk(&format!("{prefix}[{i}]"), x, out);
            }
        }
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                walk(&format!("{prefix}.{k}"), x, out);
            }
        }
        _ => {}
    }
}

fn table(prefix: &str, t: &impl serde::Serialize, out: &mut Vec<Text>) {
    // The tables hold only strings and arrays of strings: this cannot fail.
    if let Ok(v) = serde_json::to_value(t) {
        walk(prefix, &v, out);
    }
}

fn push(out: &mut Vec<Text>, key: String, text: &str) {
    if !out.iter().any(|t| t.key == key) {
        out.push(Text {
            key,
            text: text.to_string(),
        });
    }
}

/// Every text of the interface in `l`, in a stable order.
pub fn texts(l: Lang) -> Vec<Text> {
    lang::scoped(l, || {
        let mut out = Vec::new();
        table("main", s(), &mut out);
        table("topology", topo(), &mut out);
        table("wizard", w(), &mut out);
        for map in [
            keymap::GLOBAL,
            keymap::STAGES,
            keymap::STEPS,
            keymap::LOG,
            keymap::DETAIL,
            keymap::HELP,
            keymap::SUMMARY,
        ] {
            for b in map {
                let (hint, help) = (s().act)(b.act);
                push(&mut out, format!("main.act.{:?}.hint", b.act), hint);
                push(&mut out, format!("main.act.{:?}.help", b.act), help);
            }
        }
        use topology::keys as tk;
        for map in [
            tk::TABLE,
            tk::EDIT,
            tk::SERVICES,
            tk::CONFIRM,
            tk::CHOOSE,
            tk::HELP,
        ] {
            for b in map {
                let (hint, help) = (topo().act)(b.act);
                push(&mut out, format!("topology.act.{:?}.hint", b.act), hint);
                push(&mut out, format!("topology.act.{:?}.help", b.act), help);
            }
        }
        for map in wizard::keys::sections() {
            for b in map {
                push(
                    &mut out,
                    format!("wizard.act.{:?}.hint", b.act),
                    (w().act)(b.act),
                );
                push(
                    &mut out,
                    format!("wizard.act.{:?}.help", b.act),
                    (w().act_help)(b.act),
                );
            }
        }
        use wizard::fields::{COMPANY_FIELDS, Page, page_fields};
        let fields = Page::ALL
            .iter()
            .flat_map(|p| page_fields(*p).iter())
            .chain(COMPANY_FIELDS.iter());
        for f in fields {
            push(&mut out, format!("wizard.field.{f:?}"), (w().field)(*f));
        }
        out
    })
}

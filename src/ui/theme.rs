//! Themes are data: flat semantic keys (`stage.passed`, `log.stderr`, ...)
//! mapped to styles written as text (`"green"`, `"bold light-red"`,
//! `"black on white"`, `"#rrggbb"`, `"reversed"`). The built-in themes are
//! embedded; a user file overrides keys by name.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, bail};
use ratatui::style::{Color, Modifier, Style};

pub const DEFAULT: &str = include_str!("../../themes/default.toml");
pub const HIGH_CONTRAST: &str = include_str!("../../themes/high-contrast.toml");
pub const MONO: &str = include_str!("../../themes/mono.toml");

/// Every key a theme may set.
pub const KEYS: &[&str] = &[
    "base",
    "title",
    "border.normal",
    "border.focused",
    "stage.not-run",
    "stage.running",
    "stage.passed",
    "stage.failed",
    "stage.skipped",
    "stage.locked",
    "stage.selected",
    "step.pending",
    "step.running",
    "step.passed",
    "step.failed",
    "step.skipped",
    "step.selected",
    "log.stdout",
    "log.stderr",
    "log.info",
    "search.match",
    "status.bar",
    "status.key",
    "status.production",
    "dialog.border",
    "dialog.selected",
    "dialog.warning",
    "help.key",
    "heading",
    "dim",
];

#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub name: String,
    styles: BTreeMap<String, Style>,
}

impl Theme {
    /// The style of a key; unknown keys give the plain style.
    pub fn get(&self, key: &str) -> Style {
        self.styles.get(key).copied().unwrap_or_default()
    }

    pub fn builtin(name: &str) -> Option<Theme> {
        let text = match name {
            "default" => DEFAULT,
            "high-contrast" => HIGH_CONTRAST,
            "mono" => MONO,
            _ => return None,
        };
        // The built-in files are checked by the tests below.
        Theme::parse(name, text, None).ok()
    }

    /// Parse theme text, on top of `base` when given. `origin` names the file
    /// in errors.
    pub fn parse(origin: &str, text: &str, base: Option<&Theme>) -> anyhow::Result<Theme> {
        let table: toml::Table = text.parse().with_context(|| {
            crate::tr_fmt!(
                "theme {origin}: not valid TOML",
                "thème {origin} : pas du TOML valide"
            )
        })?;
        let mut flat = Vec::new();
        flatten("", &table, &mut flat);
        let mut styles = base.map(|b| b.styles.clone()).unwrap_or_default();
        for (key, value) in flat {
            let at = match line_of(text, &key) {
                Some(n) => crate::tr_fmt!("theme {origin} line {n}", "thème {origin} ligne {n}"),
                None => crate::tr_fmt!("theme {origin}", "thème {origin}"),
            };
            if !KEYS.contains(&key.as_str()) {
                bail!(
                    "{}",
                    crate::tr_fmt!(
                        "{at}: unknown key `{key}`; known keys: {}",
                        "{at} : clé `{key}` inconnue ; clés connues : {}",
                        KEYS.join(", ")
                    )
                );
            }
            let Some(v) = value.as_str() else {
                bail!(
                    "{}",
                    crate::tr_fmt!(
                        "{at}: key `{key}` must be a string such as \"bold green\"",
                        "{at} : la clé `{key}` doit être un texte comme \"bold green\""
                    )
                );
            };
            let style = parse_style(v)
                .with_context(|| crate::tr_fmt!("{at}: key `{key}`", "{at} : clé `{key}`"))?;
            styles.insert(key, style);
        }
        Ok(Theme {
            name: origin.to_string(),
            styles,
        })
    }

    /// Resolve `--theme NAME|PATH` and `NO_COLOR`. Without `--theme`, a set,
    /// non-empty `NO_COLOR` selects `mono`. A path overrides the keys it names
    /// on top of the default (or mono) theme.
    pub fn resolve(
        spec: Option<&str>,
        no_color: Option<&std::ffi::OsStr>,
    ) -> anyhow::Result<Theme> {
        let no_color = no_color.is_some_and(|v| !v.is_empty());
        let base_name = if no_color { "mono" } else { "default" };
        let base = Theme::parse(base_name, if no_color { MONO } else { DEFAULT }, None)?;
        let Some(spec) = spec else {
            return Ok(base);
        };
        if let Some(t) = Theme::builtin(spec) {
            return Ok(t);
        }
        let path = Path::new(spec);
        let text = std::fs::read_to_string(path).with_context(|| {
            crate::tr_fmt!(
                "theme `{spec}`: not a built-in theme (default, high-contrast, mono) and the file cannot be read", "thème `{spec}` : pas un thème fourni (default, high-contrast, mono) et le fichier ne peut pas être lu"
            )
        })?;
        Theme::parse(&path.display().to_string(), &text, Some(&base))
    }
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut Vec<(String, toml::Value)>) {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::Table(t) => flatten(&key, t, out),
            other => out.push((key, other.clone())),
        }
    }
}

/// The 1-based line where `key` is set, written as a dotted or quoted key,
/// or as the last part of a key inside its `[section]`.
fn line_of(text: &str, key: &str) -> Option<usize> {
    let (section, last) = key.rsplit_once('.').unwrap_or(("", key));
    let mut current = String::new();
    for (i, raw) in text.lines().enumerate() {
        let l = raw.trim();
        if let Some(s) = l.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            current = s.trim().to_string();
            continue;
        }
        let Some((lhs, _)) = l.split_once('=') else {
            continue;
        };
        let lhs = lhs.trim().trim_matches('"');
        let full = if current.is_empty() {
            lhs.to_string()
        } else {
            format!("{current}.{lhs}")
        };
        if full == key || (current == section && lhs == last) {
            return Some(i + 1);
        }
    }
    None
}

/// `"bold light-red on black"`, `"#1e90ff"`, `"reversed"`, `"default"`.
pub fn parse_style(text: &str) -> anyhow::Result<Style> {
    let mut style = Style::default();
    let mut on = false;
    let mut fg_set = false;
    for word in text.split_whitespace() {
        let w = word.to_ascii_lowercase();
        if w == "on" {
            on = true;
            continue;
        }
        if let Some(m) = modifier(&w) {
            if on {
                bail!(
                    "{}",
                    crate::tr_fmt!(
                        "`{word}` is a modifier, not a background colour",
                        "`{word}` est un effet, pas une couleur de fond"
                    )
                );
            }
            style = style.add_modifier(m);
            continue;
        }
        let c = color(&w).with_context(|| {
            crate::tr_fmt!(
                "unknown colour or modifier `{word}` (use a named colour like light-red, #rrggbb, or bold/dim/italic/underlined/reversed)", "couleur ou effet `{word}` inconnu (utilisez une couleur nommée comme light-red, #rrggbb, ou bold/dim/italic/underlined/reversed)"
            )
        })?;
        if on {
            style = style.bg(c);
            on = false;
        } else if fg_set {
            bail!(crate::model::lang::tr(
                "two foreground colours; write `FG on BG` for a background",
                "deux couleurs de texte ; écrivez `TEXTE on FOND` pour un fond"
            ));
        } else {
            style = style.fg(c);
            fg_set = true;
        }
    }
    if on {
        bail!(crate::model::lang::tr(
            "`on` must be followed by a background colour",
            "`on` doit être suivi d'une couleur de fond"
        ));
    }
    Ok(style)
}

fn modifier(w: &str) -> Option<Modifier> {
    Some(match w {
        "bold" => Modifier::BOLD,
        "dim" => Modifier::DIM,
        "italic" => Modifier::ITALIC,
        "underlined" | "underline" => Modifier::UNDERLINED,
        "reversed" | "reverse" => Modifier::REVERSED,
        "crossed-out" => Modifier::CROSSED_OUT,
        "plain" => Modifier::empty(),
        _ => return None,
    })
}

fn color(w: &str) -> Option<Color> {
    if let Some(hex) = w.strip_prefix('#') {
        if hex.len() != 6 {
            return None;
        }
        let v = u32::from_str_radix(hex, 16).ok()?;
        return Some(Color::Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8));
    }
    Some(match w {
        "default" | "reset" => Color::Reset,
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" | "grey" => Color::Gray,
        "dark-gray" | "dark-grey" => Color::DarkGray,
        "light-red" => Color::LightRed,
        "light-green" => Color::LightGreen,
        "light-yellow" => Color::LightYellow,
        "light-blue" => Color::LightBlue,
        "light-magenta" => Color::LightMagenta,
        "light-cyan" => Color::LightCyan,
        "white" => Color::White,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_themes_parse_and_set_every_key() {
        for (name, text) in [
            ("default", DEFAULT),
            ("high-contrast", HIGH_CONTRAST),
            ("mono", MONO),
        ] {
            let t = Theme::parse(name, text, None).unwrap();
            for k in KEYS {
                assert!(t.styles.contains_key(*k), "{name} misses {k}");
            }
        }
    }

    #[test]
    fn mono_has_no_colour() {
        let t = Theme::builtin("mono").unwrap();
        for (k, s) in &t.styles {
            assert!(
                s.fg.is_none() && s.bg.is_none(),
                "mono sets a colour on {k}"
            );
        }
    }

    #[test]
    fn styles_parse() {
        let s = parse_style("bold light-red on black").unwrap();
        assert_eq!(
            s,
            Style::new()
                .fg(Color::LightRed)
                .bg(Color::Black)
                .add_modifier(Modifier::BOLD)
        );
        assert_eq!(
            parse_style("#ff8000").unwrap().fg,
            Some(Color::Rgb(255, 128, 0))
        );
    }

    #[test]
    fn a_bad_value_names_its_key_and_line() {
        let text = "[stage]\npassed = \"green\"\nfailed = \"grean\"\n";
        let e = format!("{:#}", Theme::parse("mine.toml", text, None).unwrap_err());
        assert!(e.contains("`stage.failed`"), "{e}");
        assert!(e.contains("line 3"), "{e}");
        assert!(e.contains("grean"), "{e}");
    }

    #[test]
    fn an_unknown_key_is_named() {
        let e = format!(
            "{:#}",
            Theme::parse("t", "\"stage.pased\" = \"green\"\n", None).unwrap_err()
        );
        assert!(e.contains("`stage.pased`") && e.contains("line 1"), "{e}");
    }

    #[test]
    fn no_color_selects_mono_and_a_file_overrides_by_name() {
        let t = Theme::resolve(None, Some(std::ffi::OsStr::new("1"))).unwrap();
        assert_eq!(t, Theme::builtin("mono").unwrap());
        let t = Theme::resolve(None, Some(std::ffi::OsStr::new(""))).unwrap();
        assert_eq!(t.name, "default");
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("mine.toml");
        std::fs::write(&p, "\"log.stderr\" = \"magenta\"\n").unwrap();
        let t = Theme::resolve(Some(p.to_str().unwrap()), None).unwrap();
        assert_eq!(t.get("log.stderr").fg, Some(Color::Magenta));
        assert_eq!(
            t.get("stage.passed"),
            Theme::builtin("default").unwrap().get("stage.passed")
        );
    }
}

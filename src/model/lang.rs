//! The language a person reads: English or French.
//!
//! Chosen once per process, strongest first:
//! 1. `--lang fr|en` on the command line;
//! 2. the `DRESS_LANG` environment variable;
//! 3. the run's own language when a command reads a finished run (`dress
//!    report`, `dress attach`), or the plan's `[deployment] language`, so
//!    every operator of a customer sees the same words;
//! 4. the system: `LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG` on Unix and the
//!    user's interface language on Windows (read by `sys-locale`);
//! 5. English.
//!
//! Texts are typed tables (a struct filled once per language, see
//! `ui::strings`) or pairs written side by side with [`tr`]; either way a
//! text missing in one language does not compile. Identifiers (step and
//! stage ids, JSON keys, exit codes) never change with the language.
//!
//! The choice is process-wide ([`set`]); a thread may borrow another
//! language for a while with [`scoped`] (tests render both languages side by
//! side this way).

use std::cell::Cell;
use std::sync::atomic::{AtomicU8, Ordering};

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Fr,
}

/// Where the language in use came from, weakest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    Default = 0,
    System = 1,
    Plan = 2,
    Env = 3,
    Flag = 4,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// `en`, `fr`: the code the plan, `--lang` and the journal use.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// Reads a language tag or a POSIX locale: `fr`, `FR`, `fr-CA`,
    /// `fr_FR.UTF-8`, `fr_BE@euro`, `en_GB`. `C`, `POSIX` and any other
    /// language are not one of ours: `None`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let t = tag.trim();
        let lang = t
            .split(['-', '_', '.', '@'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match lang.as_str() {
            "en" => Some(Lang::En),
            "fr" => Some(Lang::Fr),
            _ => None,
        }
    }

    /// True when `n` takes the singular: English says "1 step, 0 steps",
    /// French « 0 étape, 1 étape, 2 étapes ».
    pub fn singular(self, n: u64) -> bool {
        match self {
            Lang::En => n == 1,
            Lang::Fr => n <= 1,
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" => Ok(Lang::En),
            "fr" => Ok(Lang::Fr),
            other => Err(crate::tr_fmt!(
                "unknown language {other:?}: use en or fr",
                "langue inconnue « {other} » : utilisez en ou fr"
            )),
        }
    }
}

static LANG: AtomicU8 = AtomicU8::new(0);
static SOURCE: AtomicU8 = AtomicU8::new(0);

thread_local! {
    static BORROWED: Cell<Option<Lang>> = const { Cell::new(None) };
}

fn decode(v: u8) -> Lang {
    if v == 1 { Lang::Fr } else { Lang::En }
}

fn encode(l: Lang) -> u8 {
    match l {
        Lang::En => 0,
        Lang::Fr => 1,
    }
}

/// The language in use on this thread.
pub fn current() -> Lang {
    BORROWED
        .with(|b| b.get())
        .unwrap_or_else(|| decode(LANG.load(Ordering::Relaxed)))
}

/// Where the process-wide language came from.
pub fn source() -> Source {
    match SOURCE.load(Ordering::Relaxed) {
        1 => Source::System,
        2 => Source::Plan,
        3 => Source::Env,
        4 => Source::Flag,
        _ => Source::Default,
    }
}

/// Sets the process-wide language.
pub fn set(lang: Lang, from: Source) {
    LANG.store(encode(lang), Ordering::Relaxed);
    SOURCE.store(from as u8, Ordering::Relaxed);
}

/// Takes a plan's or a run's language unless the operator chose one
/// (`--lang`, `DRESS_LANG`). Returns the language then in use.
pub fn adopt(lang: Option<Lang>) -> Lang {
    if let Some(l) = lang
        && source() < Source::Plan
    {
        set(l, Source::Plan);
    }
    current()
}

/// Runs `f` with `lang` on this thread only, then puts the previous one back
/// (also when `f` panics).
pub fn scoped<R>(lang: Lang, f: impl FnOnce() -> R) -> R {
    struct Back(Option<Lang>);
    impl Drop for Back {
        fn drop(&mut self) {
            BORROWED.with(|b| b.set(self.0));
        }
    }
    let _back = Back(BORROWED.with(|b| b.replace(Some(lang))));
    f()
}

/// The choice at start-up, from the flag, `DRESS_LANG` and the system
/// locale, strongest first. Unknown values fall through to the next one.
pub fn detect(flag: Option<Lang>, env: Option<&str>, system: Option<&str>) -> (Lang, Source) {
    if let Some(l) = flag {
        return (l, Source::Flag);
    }
    if let Some(l) = env.and_then(Lang::from_tag) {
        return (l, Source::Env);
    }
    if let Some(l) = system.and_then(Lang::from_tag) {
        return (l, Source::System);
    }
    (Lang::En, Source::Default)
}

/// [`detect`] on this process: the flag, `DRESS_LANG` and the system locale.
pub fn from_environment(flag: Option<Lang>) -> (Lang, Source) {
    let env = std::env::var("DRESS_LANG").ok();
    let system = sys_locale::get_locale();
    detect(flag, env.as_deref(), system.as_deref())
}

/// Chooses the process language from the flag, `DRESS_LANG` and the system.
pub fn init(flag: Option<Lang>) -> Lang {
    let (l, from) = from_environment(flag);
    set(l, from);
    l
}

/// A decimal number as the language writes it: `12.5 s`, « 12,5 s ».
pub fn decimal(s: String) -> String {
    match current() {
        Lang::En => s,
        Lang::Fr => s.replace('.', ","),
    }
}

/// The text in the language in use: `tr("Backup", "Sauvegarde")`.
pub fn tr(en: &'static str, fr: &'static str) -> &'static str {
    match current() {
        Lang::En => en,
        Lang::Fr => fr,
    }
}

/// `n` and its noun, singular or plural by the rule of the language in use:
/// `counted(2, ("step", "steps"), ("étape", "étapes"))` is "2 steps" or
/// « 2 étapes ».
pub fn counted(n: u64, en: (&str, &str), fr: (&str, &str)) -> String {
    let l = current();
    let (one, many) = match l {
        Lang::En => en,
        Lang::Fr => fr,
    };
    format!("{n} {}", if l.singular(n) { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_locales_are_read() {
        for (t, l) in [
            ("fr", Some(Lang::Fr)),
            ("FR", Some(Lang::Fr)),
            ("fr-CA", Some(Lang::Fr)),
            ("fr_FR.UTF-8", Some(Lang::Fr)),
            ("fr_BE@euro", Some(Lang::Fr)),
            ("en_GB.UTF-8", Some(Lang::En)),
            ("de_DE.UTF-8", None),
            ("C", None),
            ("POSIX", None),
            ("", None),
            ("   ", None),
            ("français", None),
        ] {
            assert_eq!(Lang::from_tag(t), l, "{t:?}");
        }
    }

    #[test]
    fn the_flag_beats_the_environment_which_beats_the_system() {
        assert_eq!(
            detect(Some(Lang::En), Some("fr"), Some("fr-FR")),
            (Lang::En, Source::Flag)
        );
        assert_eq!(
            detect(None, Some("fr"), Some("en-US")),
            (Lang::Fr, Source::Env)
        );
        assert_eq!(
            detect(None, Some("klingon"), Some("fr-FR")),
            (Lang::Fr, Source::System)
        );
        assert_eq!(detect(None, None, Some("C")), (Lang::En, Source::Default));
        assert_eq!(detect(None, None, None), (Lang::En, Source::Default));
    }

    #[test]
    fn french_singular_covers_zero_and_one() {
        assert!(Lang::Fr.singular(0) && Lang::Fr.singular(1) && !Lang::Fr.singular(2));
        assert!(!Lang::En.singular(0) && Lang::En.singular(1) && !Lang::En.singular(2));
        scoped(Lang::Fr, || {
            assert_eq!(
                counted(0, ("step", "steps"), ("étape", "étapes")),
                "0 étape"
            );
            assert_eq!(
                counted(3, ("step", "steps"), ("étape", "étapes")),
                "3 étapes"
            );
        });
        scoped(Lang::En, || {
            assert_eq!(
                counted(0, ("step", "steps"), ("étape", "étapes")),
                "0 steps"
            );
            assert_eq!(counted(1, ("step", "steps"), ("étape", "étapes")), "1 step");
        });
    }

    #[test]
    fn a_borrowed_language_is_given_back_even_after_a_panic() {
        let before = current();
        let other = if before == Lang::En {
            Lang::Fr
        } else {
            Lang::En
        };
        let r = std::panic::catch_unwind(|| scoped(other, || panic!("inside")));
        assert!(r.is_err());
        assert_eq!(current(), before);
        assert_eq!(scoped(other, current), other);
        assert_eq!(scoped(other, || tr("en", "fr")), other.code());
    }

    #[test]
    fn tr_fmt_formats_in_the_language_in_use() {
        let port = 80;
        let fr = scoped(Lang::Fr, || {
            crate::tr_fmt!("Port {port} of {}", "Port {port} sur {}", "b")
        });
        assert_eq!(fr, "Port 80 sur b");
        let en = scoped(Lang::En, || {
            crate::tr_fmt!("Port {port} of {}", "Port {port} sur {}", "b")
        });
        assert_eq!(en, "Port 80 of b");
    }

    #[test]
    fn unknown_codes_are_refused_with_the_choices() {
        let e = "de".parse::<Lang>().unwrap_err();
        assert!(e.contains("en or fr"), "{e}");
        assert_eq!(" FR ".parse::<Lang>(), Ok(Lang::Fr));
    }
}

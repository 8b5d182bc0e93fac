//! Progress and cancellation for the long file loops: progress events are
//! rate-limited (a few per second, not one per file), cancellation is a cheap
//! atomic check done per file and per buffer.

use std::time::{Duration, Instant};

use crate::engine::ctx::{StepCtx, StepError};

const EVERY: Duration = Duration::from_millis(200);

pub(crate) struct Monitor<'a> {
    ctx: Option<&'a StepCtx>,
    total: Option<u64>,
    done: u64,
    last: Instant,
    /// What was being done, for the cancellation message.
    doing: &'static str,
}

impl<'a> Monitor<'a> {
    pub(crate) fn new(ctx: &'a StepCtx, total: Option<u64>, doing: &'static str) -> Self {
        Monitor {
            ctx: Some(ctx),
            total,
            done: 0,
            last: Instant::now(),
            doing,
        }
    }

    /// No progress, no cancellation: for the pure helpers.
    pub(crate) fn silent() -> Monitor<'static> {
        Monitor {
            ctx: None,
            total: None,
            done: 0,
            last: Instant::now(),
            doing: "",
        }
    }

    pub(crate) fn set_total(&mut self, total: u64) {
        self.total = Some(total);
    }

    /// Count `n` more bytes; emits progress at most every 200 ms and fails
    /// if the step was cancelled.
    pub(crate) fn add(&mut self, n: u64) -> Result<(), StepError> {
        self.done += n;
        if let Some(ctx) = self.ctx {
            let now = Instant::now();
            if now.duration_since(self.last) >= EVERY {
                self.last = now;
                ctx.progress(self.done, self.total, bytes_unit());
            }
        }
        self.check()
    }

    pub(crate) fn check(&self) -> Result<(), StepError> {
        match self.ctx {
            Some(ctx) if ctx.cancel.is_cancelled() => Err(StepError(crate::tr_fmt!(
                "cancelled while {}",
                "annulé pendant {}",
                self.doing
            ))),
            _ => Ok(()),
        }
    }

    /// The last progress event, with the final count.
    pub(crate) fn finish(&mut self) {
        if let Some(ctx) = self.ctx {
            ctx.progress(self.done, self.total, bytes_unit());
        }
    }

    pub(crate) fn info(&self, line: &str) {
        if let Some(ctx) = self.ctx {
            ctx.info(line);
        }
    }
}

/// Sizes for people: `1.5 MiB`.
/// An exact byte count, with its readable size when that says more:
/// "396 bytes", "5242880 bytes (5.0 MiB)".
pub(crate) fn exact_bytes(bytes: u64) -> String {
    let unit = crate::model::lang::tr("bytes", "octets");
    if bytes < 1024 {
        format!("{bytes} {unit}")
    } else {
        format!("{bytes} {unit} ({})", human(bytes))
    }
}

pub(crate) fn human(bytes: u64) -> String {
    let units: [&str; 5] = match crate::model::lang::current() {
        crate::model::lang::Lang::En => ["bytes", "KiB", "MiB", "GiB", "TiB"],
        crate::model::lang::Lang::Fr => ["octets", "Kio", "Mio", "Gio", "Tio"],
    };
    let mut v = bytes as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < units.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{bytes} {}", units[0])
    } else {
        format!(
            "{} {}",
            crate::model::lang::decimal(format!("{v:.1}")),
            units[u]
        )
    }
}

/// "N files": English keeps its plural as it always read, French counts.
pub(crate) fn n_files(n: u64) -> String {
    crate::model::lang::counted(n, ("file", "files"), ("fichier", "fichiers"))
}

/// A French participle agreeing with « N fichiers »: `agreed(1, "archivé")`
/// is « archivé », `agreed(2, "archivé")` « archivés ».
pub(crate) fn agreed(n: u64, participle: &str) -> String {
    if crate::model::lang::Lang::Fr.singular(n) {
        participle.to_string()
    } else {
        format!("{participle}s")
    }
}

/// The unit of a file step's progress.
fn bytes_unit() -> &'static str {
    crate::model::lang::tr("bytes", "octets")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::lang::{Lang, scoped};

    #[test]
    fn sizes_and_counts_in_each_language() {
        assert_eq!(scoped(Lang::En, || human(1536)), "1.5 KiB");
        assert_eq!(scoped(Lang::Fr, || human(1536)), "1,5 Kio");
        assert_eq!(scoped(Lang::Fr, || human(12)), "12 octets");
        assert_eq!(scoped(Lang::En, || n_files(1)), "1 file");
        assert_eq!(scoped(Lang::En, || n_files(0)), "0 files");
        assert_eq!(scoped(Lang::Fr, || n_files(1)), "1 fichier");
        assert_eq!(scoped(Lang::Fr, || n_files(0)), "0 fichier");
        assert_eq!(scoped(Lang::Fr, || n_files(7)), "7 fichiers");
        assert_eq!(agreed(1, "archivé"), "archivé");
        // A size under 1 KiB is said once, not "396 bytes (396 bytes)".
        assert_eq!(scoped(Lang::En, || exact_bytes(396)), "396 bytes");
        assert_eq!(scoped(Lang::Fr, || exact_bytes(396)), "396 octets");
        assert_eq!(
            scoped(Lang::En, || exact_bytes(5 * 1024 * 1024)),
            "5242880 bytes (5.0 MiB)"
        );
        assert_eq!(
            scoped(Lang::Fr, || exact_bytes(1536)),
            "1536 octets (1,5 Kio)"
        );
        assert_eq!(agreed(7, "archivé"), "archivés");
    }
}

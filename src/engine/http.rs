//! The `http.wait` step: poll a URL until it answers the expected status,
//! e.g. while Tomcat warms up after an IIS reset.

use std::time::{Duration, Instant};

use ureq::Agent;
use ureq::tls::{RootCerts, TlsConfig, TlsProvider};

use super::ctx::{StepCtx, StepError, StepResult};

/// Longest a single attempt may take, whatever the overall timeout.
const ATTEMPT_MAX: Duration = Duration::from_secs(10);

/// Poll `url` every `interval` until it answers `status`, for at most
/// `timeout`. Each attempt's result goes to the step log.
pub async fn wait(
    url: &str,
    status: u16,
    timeout: Duration,
    interval: Duration,
    ctx: &StepCtx,
) -> StepResult {
    let started = Instant::now();
    let deadline = started + timeout;
    let mut attempts = 0u32;
    loop {
        attempts += 1;
        let left = deadline.saturating_duration_since(Instant::now());
        let per_try = left.clamp(Duration::from_millis(100), ATTEMPT_MAX);
        let u = url.to_string();
        let task = tokio::task::spawn_blocking(move || get_status(&u, per_try));
        let answer = tokio::select! {
            r = task => r.unwrap_or_else(|e| Err(crate::tr_fmt!(
                "the request stopped unexpectedly: {e}",
                "la requête s'est arrêtée de façon inattendue : {e}"
            ))),
            _ = ctx.cancel.cancelled() => return Err(cancelled(attempts)),
        };
        let secs = crate::model::lang::decimal(format!("{:.1}", started.elapsed().as_secs_f64()));
        let last = match answer {
            Ok(code) if code == status => {
                ctx.info(&crate::tr_fmt!(
                    "attempt {attempts}: HTTP {code} after {secs} s",
                    "essai {attempts} : HTTP {code} après {secs} s"
                ));
                ctx.measured(crate::tr_fmt!(
                    "{url}: HTTP {code} after {attempts} attempt(s) in {secs} s (limit {} s)",
                    "{url} : HTTP {code} après {attempts} essai(s) en {secs} s (limite {} s)",
                    timeout.as_secs()
                ));
                return Ok(crate::tr_fmt!(
                    "{url} answered {code} after {attempts} attempt(s) in {secs} s",
                    "{url} a répondu {code} après {attempts} essai(s) en {secs} s"
                ));
            }
            Ok(code) => format!("HTTP {code}"),
            Err(e) => e,
        };
        ctx.info(&crate::tr_fmt!(
            "attempt {attempts}: {last} after {secs} s",
            "essai {attempts} : {last} après {secs} s"
        ));
        let now = Instant::now();
        if now >= deadline {
            ctx.measured(crate::tr_fmt!(
                "{url}: no HTTP {status} within {} s; last answer: {last} ({attempts} attempts)",
                "{url} : pas de HTTP {status} en {} s ; dernière réponse : {last} ({attempts} essais)",
                timeout.as_secs()
            ));
            return Err(StepError(crate::tr_fmt!(
                "{url} did not answer {status} within {} s ({attempts} attempts; last: {last}); check that the site and its application server are started",
                "{url} n'a pas répondu {status} en {} s ({attempts} essais ; dernière réponse : {last}) ; vérifiez que le site et son serveur d'applications sont démarrés",
                timeout.as_secs()
            )));
        }
        let pause = interval.min(deadline - now);
        tokio::select! {
            _ = tokio::time::sleep(pause) => {}
            _ = ctx.cancel.cancelled() => return Err(cancelled(attempts)),
        }
    }
}

fn cancelled(attempts: u32) -> StepError {
    StepError(crate::tr_fmt!(
        "cancelled after {attempts} attempt(s)",
        "annulé après {attempts} essai(s)"
    ))
}

/// One GET; the status whatever it is, or why there was none.
fn get_status(url: &str, timeout: Duration) -> Result<u16, String> {
    let tls = TlsConfig::builder()
        .provider(TlsProvider::NativeTls)
        .root_certs(RootCerts::PlatformVerifier)
        .build();
    let agent: Agent = Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .tls_config(tls)
        .build()
        .into();
    match agent.get(url).call() {
        Ok(resp) => Ok(resp.status().as_u16()),
        Err(e) => Err(request_error(&e)),
    }
}

/// Why a request got no answer, in the language in use (English keeps the
/// library's words).
fn request_error(e: &ureq::Error) -> String {
    use crate::model::lang::{Lang, current};
    if current() == Lang::En {
        return e.to_string();
    }
    match e {
        ureq::Error::Timeout(_) => "délai dépassé sans réponse".to_string(),
        ureq::Error::HostNotFound => "nom d'hôte introuvable (DNS)".to_string(),
        ureq::Error::ConnectionFailed => "connexion impossible".to_string(),
        ureq::Error::Io(io) => crate::model::lang_fmt::io_error(io),
        ureq::Error::BadUri(u) => format!("adresse incorrecte : {u}"),
        ureq::Error::TooManyRedirects | ureq::Error::RedirectFailed => {
            "trop de redirections ou redirection impossible".to_string()
        }
        ureq::Error::Tls(_) | ureq::Error::NativeTls(_) | ureq::Error::TlsRequired => {
            format!("échec TLS ({e})")
        }
        other => format!("erreur de la requête ({other})"),
    }
}

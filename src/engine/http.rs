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
            r = task => r.unwrap_or_else(|e| Err(format!("the request stopped unexpectedly: {e}"))),
            _ = ctx.cancel.cancelled() => return Err(cancelled(attempts)),
        };
        let secs = started.elapsed().as_secs_f64();
        let last = match answer {
            Ok(code) if code == status => {
                ctx.info(&format!(
                    "attempt {attempts}: HTTP {code} after {secs:.1} s"
                ));
                ctx.measured(format!(
                    "{url}: HTTP {code} after {attempts} attempt(s) in {secs:.1} s (limit {} s)",
                    timeout.as_secs()
                ));
                return Ok(format!(
                    "{url} answered {code} after {attempts} attempt(s) in {secs:.1} s"
                ));
            }
            Ok(code) => format!("HTTP {code}"),
            Err(e) => e,
        };
        ctx.info(&format!("attempt {attempts}: {last} after {secs:.1} s"));
        let now = Instant::now();
        if now >= deadline {
            ctx.measured(format!(
                "{url}: no HTTP {status} within {} s; last answer: {last} ({attempts} attempts)",
                timeout.as_secs()
            ));
            return Err(StepError(format!(
                "{url} did not answer {status} within {} s ({attempts} attempts; last: {last}); check that the site and its application server are started",
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
    StepError(format!("cancelled after {attempts} attempt(s)"))
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
        Err(e) => Err(e.to_string()),
    }
}

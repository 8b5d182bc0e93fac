//! http.wait against a small real HTTP server on the loopback.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use dress::engine::http;
use dress::engine::{Event, StepCtx};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Serve `503` for the first `busy` requests, then `200`. Returns the URL
/// and the request counter.
async fn server(busy: u32) -> (String, Arc<AtomicU32>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/crm/", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicU32::new(0));
    let counter = hits.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let n = counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let mut got = Vec::new();
                while !got.windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(k) => got.extend_from_slice(&buf[..k]),
                    }
                }
                let (status, body) = if n < busy {
                    ("503 Service Unavailable", "warming up")
                } else {
                    ("200 OK", "ready")
                };
                let resp = format!(
                    "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = sock.write_all(resp.as_bytes()).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    (url, hits)
}

fn ctx() -> (
    StepCtx,
    tokio::sync::mpsc::UnboundedReceiver<Event>,
    PathBuf,
    tempfile::TempDir,
) {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("step.log");
    let (ctx, rx) = StepCtx::for_test(&log).unwrap();
    (ctx, rx, log, dir)
}

#[tokio::test]
async fn waits_through_503_until_200() {
    let (url, hits) = server(3).await;
    let (ctx, _rx, log, _dir) = ctx();
    let ok = http::wait(
        &url,
        200,
        Duration::from_secs(10),
        Duration::from_millis(50),
        &ctx,
    )
    .await
    .unwrap();
    assert!(ok.contains("answered 200 after 4 attempt(s)"), "{ok}");
    assert_eq!(hits.load(Ordering::SeqCst), 4);
    ctx.flush_log();
    let text = std::fs::read_to_string(log).unwrap();
    assert_eq!(text.matches("HTTP 503").count(), 3, "{text}");
    assert!(text.contains("I|attempt 4: HTTP 200"), "{text}");
}

#[tokio::test]
async fn gives_up_at_the_timeout_with_the_last_answer() {
    let (url, _hits) = server(u32::MAX).await;
    let (ctx, mut rx, _log, _dir) = ctx();
    let started = Instant::now();
    let err = http::wait(
        &url,
        200,
        Duration::from_secs(1),
        Duration::from_millis(100),
        &ctx,
    )
    .await
    .unwrap_err();
    let took = started.elapsed();
    assert!(
        took >= Duration::from_secs(1) && took < Duration::from_secs(4),
        "{took:?}"
    );
    assert!(err.0.contains("did not answer 200 within 1 s"), "{err}");
    assert!(err.0.contains("last: HTTP 503"), "{err}");
    let mut measured = Vec::new();
    while let Ok(e) = rx.try_recv() {
        if let Event::Measured { what, .. } = e {
            measured.push(what);
        }
    }
    assert_eq!(measured.len(), 1, "{measured:?}");
}

#[tokio::test]
async fn refused_connections_are_logged_and_retried() {
    // A port with nothing behind it: every attempt is refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (ctx, _rx, log, _dir) = ctx();
    let err = http::wait(
        &format!("http://127.0.0.1:{port}/"),
        200,
        Duration::from_millis(500),
        Duration::from_millis(100),
        &ctx,
    )
    .await
    .unwrap_err();
    assert!(err.0.contains("did not answer 200"), "{err}");
    ctx.flush_log();
    let text = std::fs::read_to_string(log).unwrap();
    assert!(
        text.lines().filter(|l| l.starts_with("I|attempt ")).count() >= 2,
        "{text}"
    );
}

#[tokio::test]
async fn cancel_stops_the_wait() {
    let (url, _hits) = server(u32::MAX).await;
    let (ctx, _rx, _log, _dir) = ctx();
    let c = ctx.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        c.cancel.cancel();
    });
    let started = Instant::now();
    let err = http::wait(
        &url,
        200,
        Duration::from_secs(30),
        Duration::from_millis(100),
        &ctx,
    )
    .await
    .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(err.0.starts_with("cancelled after"), "{err}");
}

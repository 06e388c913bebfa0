//! The accept loop: HTTP/1.1 connections served by an axum router, graceful shutdown, and a
//! per-connection abort switch that fault injection uses to drop a connection mid-body.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use http::Request;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tower_service::Service as _;

/// Request extension: drops the request's connection when triggered (a "connection reset" as
/// far as the client can tell: the response or request body stops short).
#[derive(Debug, Clone, Default)]
pub(crate) struct ConnAbort(Arc<Notify>);

impl ConnAbort {
    /// Drops the connection at the next opportunity; whatever was written so far is flushed.
    pub(crate) fn abort(&self) {
        self.0.notify_one();
    }
}

/// Serves `router` on `listener` until `cancel` fires, then lets open connections finish their
/// current request and returns once all of them are closed.
pub(crate) async fn serve(listener: TcpListener, router: Router, cancel: CancellationToken) {
    let tracker = TaskTracker::new();
    loop {
        let accepted = tokio::select! {
            () = cancel.cancelled() => break,
            accepted = listener.accept() => accepted,
        };
        let Ok((stream, _peer)) = accepted else {
            // Accept errors (EMFILE, aborted handshakes) are transient; keep serving.
            tokio::task::yield_now().await;
            continue;
        };
        tracker.spawn(serve_connection(stream, router.clone(), cancel.clone()));
    }
    tracker.close();
    tracker.wait().await;
}

async fn serve_connection(stream: TcpStream, router: Router, cancel: CancellationToken) {
    // Small writes (headers, error XML) should not wait for Nagle.
    let _ = stream.set_nodelay(true);
    let abort = ConnAbort::default();
    let per_request = abort.clone();
    let service = hyper::service::service_fn(move |mut req: Request<Incoming>| {
        req.extensions_mut().insert(per_request.clone());
        router.clone().call(req.map(Body::new))
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => {}
        () = abort.0.notified() => {}
        () = cancel.cancelled() => {
            conn.as_mut().graceful_shutdown();
            tokio::select! {
                _ = conn.as_mut() => {}
                () = abort.0.notified() => {}
            }
        }
    }
}

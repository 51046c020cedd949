//! The router that merges every room, and the server around it.

/// The state lives in `crate::state` (below every room); named here too for callers of old.
pub use crate::state::AppState;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::sync::Semaphore;
use tower::ServiceExt;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::web::ctx;
use crate::web::{AppError, logging};
use crate::{
    audit, auth, calendar, db, groups, home, meetings, offices, organisations, people, platforms,
    statics,
};

pub fn router(state: AppState) -> Router {
    let pages = Router::new()
        .merge(home::routes())
        .merge(auth::routes())
        .merge(platforms::routes())
        .merge(groups::routes())
        .merge(organisations::routes())
        .merge(people::routes())
        .merge(offices::routes())
        .merge(meetings::routes())
        .merge(meetings::panels::routes())
        .merge(calendar::feeds::routes())
        .merge(crate::mail::invitations::routes())
        .merge(audit::routes())
        .fallback(not_found)
        .layer(from_fn_with_state(state.clone(), ctx::context));
    Router::new()
        .merge(pages)
        .merge(statics::routes())
        .merge(calendar::feeds::feed_routes())
        .merge(crate::mail::invitations::gateway_routes())
        .route("/healthz", get(healthz))
        .layer(from_fn(logging::log_requests))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
            ),
        ))
        .with_state(state)
}

async fn not_found() -> AppError {
    AppError::NotFound
}

/// Whether the server and its database answer.
async fn healthz(State(state): State<AppState>) -> Response {
    if db::ping(&state.db).await {
        (
            [(header::CACHE_CONTROL, "no-store")],
            axum::Json(serde_json::json!({"status": "ok", "database": "ok"})),
        )
            .into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CACHE_CONTROL, "no-store")],
            axum::Json(serde_json::json!({"status": "error", "database": "injoignable"})),
        )
            .into_response()
    }
}

/// Serves until `shutdown` resolves, then finishes the requests under way.
pub async fn serve(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // The mail worker lives as long as the server.
    let worker = crate::mail::outbox::spawn(state.clone());
    // Meetings' VEVENTs written ahead, so that no subscriber waits for a feed written from
    // scratch after a restart.
    let warming = state.clone();
    let warm = tokio::spawn(async move {
        let started = std::time::Instant::now();
        match calendar::feeds::warm(&warming).await {
            Ok(meetings) => tracing::info!(
                meetings,
                ms = started.elapsed().as_millis() as u64,
                gardees = warming.fragments.len(),
                octets = warming.fragments.usage().map_or(0, |u| u.bytes),
                "agendas : réunions écrites d'avance"
            ),
            Err(e) => tracing::warn!(error = %e, "agendas : écriture d'avance impossible"),
        }
    });
    // The occurrence index follows the days: every series' rows moved to today's horizon, daily.
    let index = spawn_index_extension(state.clone());
    let limits = ConnectionLimits {
        header_timeout: Duration::from_secs(state.config.header_timeout_secs),
        max_connections: state.config.max_connections,
    };
    let result = serve_connections(router(state), listener, limits, shutdown).await;
    worker.abort();
    warm.abort();
    index.abort();
    result
}

/// The daily pass over the occurrence index (`meetings::index::extend`). Its first run is a day
/// after start (the rows are current at start: every change writes them, `fill_missing` ran).
/// Several instances may run it at once: it is idempotent.
fn spawn_index_extension(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let day = Duration::from_secs(24 * 60 * 60);
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + day, day);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match crate::meetings::index::extend(&state.db).await {
                Ok(series) => tracing::info!(series, "index des séances : horizon avancé"),
                Err(e) => tracing::warn!(error = %e, "index des séances : horizon non avancé"),
            }
        }
    })
}

struct ConnectionLimits {
    header_timeout: Duration,
    max_connections: usize,
}

/// Accepts and serves connections the way `axum::serve` does (HTTP/1 and HTTP/2, the peer's
/// address for `ConnectInfo`, graceful shutdown), plus what it lacks: a client must finish its
/// request's headers within `header_timeout` or be disconnected, and at most `max_connections`
/// are served at once (the next ones wait in the listen queue until one ends).
async fn serve_connections(
    router: Router,
    listener: tokio::net::TcpListener,
    limits: ConnectionLimits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, or the client left: wait a little, go on.
                    tracing::warn!(error = %e, "connexion non acceptée");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            router.clone().oneshot(request)
        });
        let builder = builder.clone();
        let watcher = graceful.watcher();
        let header_timeout = limits.header_timeout;
        tokio::spawn(async move {
            // hyper's timer starts at the first byte (the protocol is sniffed before it), so a
            // client that connects and says nothing gets the same deadline here.
            let mut first = [0u8; 1];
            match tokio::time::timeout(header_timeout, stream.peek(&mut first)).await {
                Ok(Ok(n)) if n > 0 => {}
                _ => {
                    drop(slot);
                    return;
                }
            }
            let connection = watcher.watch(
                builder
                    .serve_connection_with_upgrades(TokioIo::new(stream), service)
                    .into_owned(),
            );
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connexion interrompue");
            }
            drop(slot);
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("arrêt demandé : fin des requêtes en cours");
}

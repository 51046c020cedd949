//! The static files (htmx, our script and stylesheet), embedded in the binary so that it runs
//! from anywhere; served with a content hash as ETag.

use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sha2::{Digest, Sha256};

use crate::state::AppState;

const HTMX: &[u8] = include_bytes!("../static/htmx.min.js");
const APP_JS: &[u8] = include_bytes!("../static/app.js");
const STYLE: &[u8] = include_bytes!("../static/style.css");

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/static/htmx.min.js",
            get(|h: HeaderMap| async move { serve(&h, HTMX, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/static/app.js",
            get(|h: HeaderMap| async move { serve(&h, APP_JS, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/static/style.css",
            get(|h: HeaderMap| async move { serve(&h, STYLE, "text/css; charset=utf-8") }),
        )
}

fn serve(headers: &HeaderMap, body: &'static [u8], content_type: &'static str) -> Response {
    let digest = Sha256::digest(body);
    let etag = format!(
        "\"{}\"",
        digest
            .iter()
            .take(12)
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let cache = "public, max-age=3600";
    if matches {
        return (
            StatusCode::NOT_MODIFIED,
            [
                (header::ETAG, etag),
                (header::CACHE_CONTROL, cache.to_string()),
            ],
        )
            .into_response();
    }
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::ETAG, etag),
            (header::CACHE_CONTROL, cache.to_string()),
        ],
        body,
    )
        .into_response()
}

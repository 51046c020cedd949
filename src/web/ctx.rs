//! The per-request context: who is signed in (from the session cookie), what they may do,
//! the CSRF token for forms, a flash message, and whether htmx asked for a fragment.
//!
//! CSRF: a random, HttpOnly cookie identifies the browser; forms carry an HMAC of it
//! (`csrf_token` field) and htmx sends the same value in `X-CSRF-Token` (set once on `<body>`).
//! Every POST/PUT/PATCH/DELETE is checked here, before any handler runs.
//!
//! Cookies go through `axum-extra`'s jars. The flash message is signed with a key derived from
//! the server's secret, so a forged or altered one is ignored; the session and CSRF cookies hold
//! random identifiers checked on the server (a forged one matches nothing), so they stay plain.

use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, Key, SameSite, SignedCookieJar};
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::auth::permissions::{Action, Actor, allows};
use crate::auth::sessions;
use crate::entities::person;
use crate::state::AppState;
use crate::web::client_ip;
use crate::web::error::{AppError, ErrorPage};
use crate::web::layout;
// Also named here for callers of old (the feeds' token pages).
pub use crate::web::token::random_token;

pub const SESSION_COOKIE: &str = "maillage_session";
const CSRF_COOKIE: &str = "maillage_csrf";
const FLASH_COOKIE: &str = "maillage_flash";
const FORM_LIMIT: usize = 2 * 1024 * 1024;

/// Signing with the server's secret key.
pub struct Keys {
    secret: Vec<u8>,
    /// The key of signed cookies, derived from the secret (so it never signs anything else).
    cookies: Key,
}

impl Keys {
    pub fn new(secret: Vec<u8>) -> Self {
        let mut keys = Self {
            secret,
            cookies: Key::generate(),
        };
        // 64 bytes, as `Key` wants: two HMACs of the secret under their own purposes. Whatever
        // the secret's length this cannot fail; if it ever did, the random key above stays (the
        // flash of a request in flight is lost, nothing else).
        let mut material = Vec::with_capacity(64);
        for part in [b"signing".as_slice(), b"encryption".as_slice()] {
            material.extend(keys.mac("cookie-key", part).unwrap_or_default());
        }
        if let Ok(key) = Key::try_from(material.as_slice()) {
            keys.cookies = key;
        }
        keys
    }

    fn mac(&self, purpose: &str, data: &[u8]) -> Option<Vec<u8>> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.secret).ok()?;
        mac.update(purpose.as_bytes());
        mac.update(b"\0");
        mac.update(data);
        Some(mac.finalize().into_bytes().to_vec())
    }

    /// HMAC-SHA256 of `data`, bound to a purpose so one signature never serves another use.
    pub fn sign(&self, purpose: &str, data: &[u8]) -> String {
        self.mac(purpose, data)
            .map(|mac| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac))
            .unwrap_or_default()
    }

    /// The key `SignedCookieJar` signs and checks cookies with.
    pub fn cookie_key(&self) -> Key {
        self.cookies.clone()
    }

    pub fn verify(&self, purpose: &str, data: &[u8], signature: &str) -> bool {
        let expected = self.sign(purpose, data);
        !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(signature.as_bytes()))
    }
}

/// A message shown once on the next page (after a redirect).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flash {
    pub kind: FlashKind,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlashKind {
    Success,
    Error,
}

/// Set by a handler on its response: the middleware turns it into the flash cookie.
#[derive(Clone, Debug)]
pub struct SetFlash(pub Flash);

/// The request id, made by the logging middleware.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

#[derive(Clone)]
pub struct Ctx {
    pub viewer: Option<Arc<person::Model>>,
    pub actor: Arc<Actor>,
    pub csrf_token: String,
    pub htmx: bool,
    pub flash: Option<Flash>,
    pub request_id: String,
    pub client_ip: String,
    /// Path and query of this request, to come back after signing in.
    pub path: String,
    pub secure_cookies: bool,
    /// The public URL (for feed addresses shown on pages).
    pub base_url: String,
}

impl Ctx {
    /// Refuses with the right error unless the permission module allows `action`.
    pub fn require(&self, action: Action<'_>) -> Result<(), AppError> {
        if allows(&self.actor, &action) {
            Ok(())
        } else if self.viewer.is_none() {
            Err(AppError::Unauthorized {
                next: self.path.clone(),
            })
        } else {
            Err(AppError::forbidden())
        }
    }

    pub fn can(&self, action: Action<'_>) -> bool {
        allows(&self.actor, &action)
    }

    pub fn person_id(&self) -> Option<i64> {
        self.viewer.as_ref().map(|p| p.id)
    }

    /// The signed-in person, or the redirect to sign in.
    pub fn signed_in(&self) -> Result<&person::Model, AppError> {
        self.viewer
            .as_deref()
            .ok_or_else(|| AppError::Unauthorized {
                next: self.path.clone(),
            })
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("contexte de requête absent")))
    }
}

/// A cookie of this site: for the whole site, out of scripts' reach, not sent along with
/// cross-site POSTs, and only over HTTPS when the site is served over HTTPS.
pub fn cookie(name: &'static str, value: impl Into<String>, secure: bool) -> Cookie<'static> {
    Cookie::build((name, value.into()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .build()
}

/// The same cookie, emptied and expired: the browser forgets it.
pub fn removal(name: &'static str, secure: bool) -> Cookie<'static> {
    let mut gone = cookie(name, "", secure);
    gone.make_removal();
    gone
}

/// The session cookie for a session just opened (sign-in, password change).
pub fn session_cookie(token: &str, secure: bool) -> Cookie<'static> {
    let mut session = cookie(SESSION_COOKIE, token, secure);
    session.set_max_age(time::Duration::days(sessions::SESSION_DAYS));
    session
}

fn valid_browser_id(value: &str) -> bool {
    value.len() == 43
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn encode_flash(flash: &Flash) -> String {
    let kind = match flash.kind {
        FlashKind::Success => "s",
        FlashKind::Error => "e",
    };
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{kind}{}", flash.message))
}

fn decode_flash(value: &str) -> Option<Flash> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(value)
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let mut chars = text.chars();
    let kind = match chars.next()? {
        's' => FlashKind::Success,
        'e' => FlashKind::Error,
        _ => return None,
    };
    Some(Flash {
        kind,
        message: chars.as_str().chars().take(300).collect(),
    })
}

fn is_unsafe(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Finds the CSRF token in the header, or else in a url-encoded form body (which is then put back).
async fn submitted_token(request: Request) -> Result<(Option<String>, Request), AppError> {
    if let Some(token) = request
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        return Ok((Some(token.to_string()), request));
    }
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Ok((None, request));
    }
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, FORM_LIMIT)
        .await
        .map_err(|_| AppError::BadRequest("Le formulaire envoyé est trop volumineux.".into()))?;
    let token = form_urlencoded_pairs(&bytes)
        .into_iter()
        .find(|(key, _)| key == "csrf_token")
        .map(|(_, value)| value);
    Ok((token, Request::from_parts(parts, Body::from(bytes))))
}

fn form_urlencoded_pairs(bytes: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(bytes).unwrap_or_default()
}

/// Builds the `Ctx`, checks CSRF, and finishes the response (cookies, error pages, fragments).
pub async fn context(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let htmx = request.headers().contains_key("hx-request");
    match context_inner(state, request, next).await {
        Ok(response) => response,
        // Refused before a context existed (CSRF, database down): still answer htmx in kind.
        Err(error) => {
            let response = error.into_response();
            match response.extensions().get::<ErrorPage>().cloned() {
                Some(page) if htmx => htmx_error(&page, response, ""),
                _ => response,
            }
        }
    }
}

fn htmx_error(page: &ErrorPage, response: Response, request_id: &str) -> Response {
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    // htmx swaps error answers into the message area (see static/app.js).
    parts
        .headers
        .insert("hx-retarget", HeaderValue::from_static("#messages"));
    parts
        .headers
        .insert("hx-reswap", HeaderValue::from_static("innerHTML"));
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    Response::from_parts(
        parts,
        Body::from(layout::error_fragment(page, request_id).into_string()),
    )
}

async fn context_inner(
    state: AppState,
    request: Request,
    next: Next,
) -> Result<Response, AppError> {
    let secure = state.config.secure_cookies();
    let headers = request.headers().clone();
    let request_id = request
        .extensions()
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default();
    let client_ip = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| {
            client_ip::client_ip(c.0.ip(), &headers, &state.config.trusted_proxies).to_string()
        })
        .unwrap_or_else(|| "inconnue".to_string());

    let jar = CookieJar::from_headers(&headers);
    let signed = SignedCookieJar::from_headers(&headers, state.keys.cookie_key());
    let (browser_id, new_browser_id) = match jar.get(CSRF_COOKIE).map(Cookie::value) {
        Some(value) if valid_browser_id(value) => (value.to_string(), false),
        _ => (random_token(), true),
    };
    let csrf_token = state.keys.sign("csrf", browser_id.as_bytes());

    let mut request = request;
    let raw_target = request.uri().to_string().to_ascii_lowercase();
    if raw_target.contains("%00") {
        return Err(AppError::BadRequest(
            "L'adresse contient des caractères non valides.".into(),
        ));
    }
    if is_unsafe(request.method()) {
        let (submitted, rebuilt) = submitted_token(request).await?;
        request = rebuilt;
        let valid = !new_browser_id
            && submitted
                .is_some_and(|token| state.keys.verify("csrf", browser_id.as_bytes(), &token));
        if !valid {
            tracing::warn!("requête refusée : jeton CSRF absent ou invalide");
            return Err(AppError::Csrf);
        }
    }

    let mut clear_session = false;
    let (viewer, actor) = match jar.get(SESSION_COOKIE).map(Cookie::value) {
        Some(token) => match sessions::load(&state.db, token).await? {
            Some((person, actor)) => (Some(Arc::new(person)), actor),
            None => {
                clear_session = true;
                (None, Actor::anonymous())
            }
        },
        None => (None, Actor::anonymous()),
    };

    // Only a flash this server signed is shown; any other (forged, altered, old) is cleared.
    let flash = signed
        .get(FLASH_COOKIE)
        .and_then(|cookie| decode_flash(cookie.value()));
    let had_flash_cookie = jar.get(FLASH_COOKIE).is_some();
    let path = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".to_string());
    let ctx = Ctx {
        viewer,
        actor: Arc::new(actor),
        csrf_token,
        htmx: headers.contains_key("hx-request"),
        flash,
        request_id,
        client_ip,
        path,
        secure_cookies: secure,
        base_url: state.config.base_url.clone(),
    };
    request.extensions_mut().insert(ctx.clone());

    let mut response = next.run(request).await;

    if let Some(page) = response.extensions().get::<ErrorPage>().cloned() {
        response = render_error(&ctx, &page, response);
    }
    let set_flash = response.extensions().get::<SetFlash>().cloned();
    let handler_set = |name: &str| sets_cookie(response.headers(), name);
    // A cookie the handler set is its decision: the browser keeps the last Set-Cookie of a name,
    // so clearing after it would undo it (a sign-in with a stale session cookie signed out).
    let mut plain = CookieJar::new();
    let mut signed = SignedCookieJar::new(state.keys.cookie_key());
    if new_browser_id && !handler_set(CSRF_COOKIE) {
        plain = plain.add(cookie(CSRF_COOKIE, browser_id, secure));
    }
    if clear_session && !handler_set(SESSION_COOKIE) {
        plain = plain.add(removal(SESSION_COOKIE, secure));
    }
    if !handler_set(FLASH_COOKIE) {
        match set_flash {
            Some(SetFlash(flash)) => {
                let mut next = cookie(FLASH_COOKIE, encode_flash(&flash), secure);
                next.set_max_age(time::Duration::seconds(60));
                signed = signed.add(next);
            }
            None if had_flash_cookie => plain = plain.add(removal(FLASH_COOKIE, secure)),
            None => {}
        }
    }
    Ok((plain, signed, response).into_response())
}

fn render_error(ctx: &Ctx, page: &ErrorPage, response: Response) -> Response {
    if ctx.htmx {
        return htmx_error(page, response, &ctx.request_id);
    }
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    let body = layout::error_page(ctx, page).into_string();
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    Response::from_parts(parts, Body::from(body))
}

/// Whether the response already sets the cookie `name`.
fn sets_cookie(headers: &HeaderMap, name: &str) -> bool {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .filter_map(|value| Cookie::parse(value).ok())
        .any(|cookie| cookie.name() == name)
}

/// A redirect after a successful POST, with a message for the next page.
pub fn redirect_with_flash(to: &str, kind: FlashKind, message: impl Into<String>) -> Response {
    let mut response = axum::response::Redirect::to(to).into_response();
    response.extensions_mut().insert(SetFlash(Flash {
        kind,
        message: message.into(),
    }));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_checks_only_for_its_purpose_and_data() {
        let keys = Keys::new(b"0123456789abcdef0123456789abcdef".to_vec());
        let signature = keys.sign("csrf", b"browser");
        assert!(keys.verify("csrf", b"browser", &signature));
        assert!(!keys.verify("csrf", b"other", &signature));
        assert!(!keys.verify("answer", b"browser", &signature));
        assert!(!keys.verify("csrf", b"browser", ""));
    }

    #[test]
    fn flash_messages_survive_the_cookie_round_trip() {
        let flash = Flash {
            kind: FlashKind::Success,
            message: "Plateforme « Sociojuridique » créée ; membres ajoutés.".into(),
        };
        assert_eq!(decode_flash(&encode_flash(&flash)), Some(flash));
        assert_eq!(decode_flash("%%%"), None);
    }

    #[test]
    fn cookies_are_http_only_lax_for_the_whole_site_and_secure_on_https() {
        let c = session_cookie("tok", true).to_string();
        assert!(c.starts_with("maillage_session=tok;"), "{c}");
        for attribute in [
            "HttpOnly",
            "SameSite=Lax",
            "Secure",
            "Path=/",
            "Max-Age=1209600",
        ] {
            assert!(c.contains(attribute), "{attribute} in {c}");
        }
        assert!(
            !cookie(CSRF_COOKIE, "b", false)
                .to_string()
                .contains("Secure")
        );
        let gone = removal(FLASH_COOKIE, false).to_string();
        assert!(
            gone.starts_with("maillage_flash=;") && gone.contains("Max-Age=0"),
            "{gone}"
        );
    }

    #[test]
    fn a_cookie_set_by_the_handler_is_recognised_by_name() {
        let mut headers = HeaderMap::new();
        headers.append(
            header::SET_COOKIE,
            HeaderValue::from_str(&session_cookie("tok", false).to_string()).unwrap(),
        );
        assert!(sets_cookie(&headers, SESSION_COOKIE));
        assert!(!sets_cookie(&headers, "maillage"));
        assert!(!sets_cookie(&headers, FLASH_COOKIE));
    }

    #[test]
    fn only_a_flash_signed_with_this_servers_key_is_read() {
        let keys = Keys::new(b"0123456789abcdef0123456789abcdef".to_vec());
        let flash = Flash {
            kind: FlashKind::Error,
            message: "Réunion annulée.".into(),
        };
        let signed = SignedCookieJar::new(keys.cookie_key()).add(cookie(
            FLASH_COOKIE,
            encode_flash(&flash),
            false,
        ));
        let response = (signed, ()).into_response();
        let set = response.headers()[header::SET_COOKIE].to_str().unwrap();
        let sent = Cookie::parse_encoded(set.to_string()).unwrap();
        let read = |value: &str, keys: &Keys| {
            let mut headers = HeaderMap::new();
            let pair = Cookie::new(FLASH_COOKIE, value.to_string())
                .encoded()
                .to_string();
            headers.insert(header::COOKIE, HeaderValue::from_str(&pair).unwrap());
            SignedCookieJar::from_headers(&headers, keys.cookie_key())
                .get(FLASH_COOKIE)
                .and_then(|c| decode_flash(c.value()))
        };
        assert_eq!(read(sent.value(), &keys), Some(flash.clone()));
        // Unsigned, altered, or signed by another server: nothing.
        assert_eq!(read(&encode_flash(&flash), &keys), None);
        let forged = Flash {
            kind: FlashKind::Success,
            message: "Réunion confirmée.".into(),
        };
        let (digest, _) = sent.value().split_at(44);
        assert_eq!(
            read(&format!("{digest}{}", encode_flash(&forged)), &keys),
            None
        );
        let other = Keys::new(b"another secret, another server!!".to_vec());
        assert_eq!(read(sent.value(), &other), None);
    }
}

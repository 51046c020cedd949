//! The signed answer links of an invitation: "/invitation/<id>.<expiry>.<signature>/<answer>",
//! good until a week after the meeting (or its series) ends.

use chrono::{Duration, Utc};

use crate::entities::meeting;
use crate::mail::MailContext;
use crate::mail::compose::AnswerLinks;
use crate::state::AppState;

/// How long answer links work after the meeting.
const LINK_DAYS_AFTER: i64 = 7;

/// The three signed answer links of an invitation ("/invitation/<token>/<answer>").
pub fn answer_links(
    context: &MailContext,
    invitation_id: i64,
    meeting: &meeting::Model,
) -> AnswerLinks {
    let expires = (meeting
        .series_ends_at
        .unwrap_or(meeting.ends_at)
        .max(Utc::now() + Duration::days(30))
        + Duration::days(LINK_DAYS_AFTER))
    .timestamp();
    let token = sign_token(&context.keys, invitation_id, expires);
    let base = format!("{}/invitation/{token}", context.base_url);
    AnswerLinks {
        accept: format!("{base}/accepte"),
        maybe: format!("{base}/peut-etre"),
        decline: format!("{base}/decline"),
    }
}

/// The invitation id behind a token, if the signature holds and the link has not expired.
pub fn verify_token(state: &AppState, token: &str) -> Option<i64> {
    verify_token_at(&state.keys, token, Utc::now().timestamp())
}

/// The signed token of an invitation's answer links: "<id>.<expiry>.<signature>".
pub fn sign_token(keys: &crate::web::ctx::Keys, invitation_id: i64, expires: i64) -> String {
    let payload = format!("{invitation_id}.{expires}");
    format!("{payload}.{}", keys.sign("invitation", payload.as_bytes()))
}

/// `verify_token` at a given instant (seconds since the epoch).
pub fn verify_token_at(keys: &crate::web::ctx::Keys, token: &str, now: i64) -> Option<i64> {
    let mut parts = token.splitn(3, '.');
    let (id, expires, signature) = (parts.next()?, parts.next()?, parts.next()?);
    let payload = format!("{id}.{expires}");
    if !keys.verify("invitation", payload.as_bytes(), signature) {
        return None;
    }
    let expires: i64 = expires.parse().ok()?;
    if now > expires {
        return None;
    }
    id.parse().ok()
}

//! Wrappers around axum's extractors whose refusals are French `AppError`s: a malformed id in a
//! path is a 404, a malformed form or query a 400. Handlers never see axum's English messages.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::web::error::AppError;

pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| Path(value))
            .map_err(|_| AppError::NotFound)
    }
}

pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| Query(value))
            .map_err(|_| AppError::BadRequest("Les paramètres de l'adresse sont invalides.".into()))
    }
}

pub struct Form<T>(pub T);

/// A NUL character (raw or `%00`) is never legitimate in a form, and PostgreSQL refuses it in text.
fn has_nul(bytes: &[u8]) -> bool {
    bytes.contains(&0)
        || bytes
            .windows(3)
            .any(|w| w[0] == b'%' && w[1] == b'0' && w[2] == b'0')
}

impl<T, S> FromRequest<S> for Form<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let unreadable = || {
            AppError::BadRequest(
                "Le formulaire envoyé est illisible. Rechargez la page et recommencez.".into(),
            )
        };
        let is_form = request
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return Err(unreadable());
        }
        let bytes = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(|_| unreadable())?;
        if has_nul(&bytes) {
            return Err(AppError::BadRequest(
                "Le formulaire contient des caractères non valides.".into(),
            ));
        }
        serde_urlencoded::from_bytes::<T>(&bytes)
            .map(Form)
            .map_err(|_| unreadable())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_characters_are_spotted_raw_or_encoded() {
        assert!(has_nul(b"a=%00"));
        assert!(has_nul(
            b"a=\0"[..3]
                .iter()
                .map(|_| 0u8)
                .collect::<Vec<_>>()
                .as_slice()
        ));
        assert!(!has_nul(b"a=%20b&c=100"));
    }
}

//! The one error type of the app, turned into a response in one place.
//! 4xx carry a French message for the person; 5xx are logged in full and shown as an apology
//! with the request id. The final page is drawn by the context middleware (`ctx.rs`), which
//! knows who is signed in and whether htmx asked for a fragment.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("page introuvable")]
    NotFound,
    #[error("connexion requise")]
    Unauthorized { next: String },
    #[error("accès refusé : {0}")]
    Forbidden(String),
    #[error("jeton CSRF invalide")]
    Csrf,
    #[error("requête invalide : {0}")]
    BadRequest(String),
    #[error("trop de requêtes : {0}")]
    TooManyRequests(String),
    #[error("base de données : {0}")]
    Db(#[from] sea_orm::DbErr),
    #[error("erreur interne : {0}")]
    Internal(#[from] anyhow::Error),
}

/// What the error page says; the middleware draws it inside the layout.
#[derive(Clone, Debug)]
pub struct ErrorPage {
    pub status: StatusCode,
    pub title: &'static str,
    pub message: String,
}

impl AppError {
    pub fn forbidden() -> Self {
        Self::Forbidden("Vous n'avez pas les droits nécessaires pour cette action.".into())
    }

    pub fn page(&self) -> ErrorPage {
        let (status, title, message) = match self {
            Self::NotFound => (
                StatusCode::NOT_FOUND,
                "Page introuvable",
                "Cette page n'existe pas ou plus. Vérifiez l'adresse, ou repartez de l'accueil."
                    .to_string(),
            ),
            Self::Unauthorized { .. } => (
                StatusCode::UNAUTHORIZED,
                "Connexion requise",
                "Connectez-vous pour accéder à cette page.".to_string(),
            ),
            Self::Forbidden(message) => (StatusCode::FORBIDDEN, "Accès refusé", message.clone()),
            Self::Csrf => (
                StatusCode::FORBIDDEN,
                "Formulaire expiré",
                "Le jeton de sécurité du formulaire est absent ou invalide. Rechargez la page \
                 et recommencez."
                    .to_string(),
            ),
            Self::BadRequest(message) => {
                (StatusCode::BAD_REQUEST, "Requête invalide", message.clone())
            }
            Self::TooManyRequests(message) => (
                StatusCode::TOO_MANY_REQUESTS,
                "Trop de tentatives",
                message.clone(),
            ),
            Self::Db(_) | Self::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Erreur du serveur",
                "Une erreur inattendue s'est produite de notre côté. Rien n'a été perdu de ce qui \
                 était déjà enregistré ; réessayez dans un instant."
                    .to_string(),
            ),
        };
        ErrorPage {
            status,
            title,
            message,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let Self::Db(e) = &self {
            tracing::error!(error = %e, "erreur de base de données");
        }
        if let Self::Internal(e) = &self {
            tracing::error!(error = ?e, "erreur interne");
        }
        if let Self::Unauthorized { next } = &self {
            // A browser is sent to the sign-in page, and comes back afterwards.
            let location = format!("/connexion?suite={}", crate::web::urlencode(next));
            let mut response = StatusCode::SEE_OTHER.into_response();
            if let Ok(value) = HeaderValue::from_str(&location) {
                response
                    .headers_mut()
                    .insert(header::LOCATION, value.clone());
                response.headers_mut().insert("hx-redirect", value);
            }
            return response;
        }
        let page = self.page();
        let body = crate::web::layout::bare_error_page(&page);
        let mut response = (page.status, body).into_response();
        response.extensions_mut().insert(page);
        response
    }
}

pub type AppResult<T> = Result<T, AppError>;

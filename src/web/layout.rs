//! The page layout: header with navigation, message area, main content. Views are functions
//! from data to `Markup` and never touch the database.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::auth::permissions::Action;
use crate::web::ctx::{Ctx, FlashKind};
use crate::web::error::ErrorPage;

/// The whole page, or only `content` when htmx asked for a fragment of it.
pub fn page(ctx: &Ctx, title: &str, content: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="fr" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="csrf-token" content=(ctx.csrf_token);
                meta name="htmx-config" content=r#"{"includeIndicatorStyles":false}"#;
                title { (title) " · maillage" }
                link rel="stylesheet" href="/static/style.css";
                script src="/static/htmx.min.js" defer {}
                script src="/static/app.js" defer {}
            }
            body hx-headers=(format!(r#"{{"X-CSRF-Token": "{}"}}"#, ctx.csrf_token)) {
                a.skip href="#contenu" { "Aller au contenu" }
                (header(ctx))
                main #contenu {
                    div #messages role="status" aria-live="polite" {
                        @if let Some(flash) = &ctx.flash {
                            div class=(match flash.kind { FlashKind::Success => "flash flash-ok", FlashKind::Error => "flash flash-error" }) {
                                (flash.message)
                            }
                        }
                    }
                    (content)
                }
                footer.site-footer {
                    p { "maillage — coordination du réseau provincial d'intégration de Namur" }
                }
            }
        }
    }
}

fn header(ctx: &Ctx) -> Markup {
    html! {
        header.site-header {
            a.brand href="/" { span.brand-mark aria-hidden="true" { "◈" } " maillage" }
            nav aria-label="Navigation principale" {
                ul {
                    li { a href="/" { "Accueil" } }
                    li { a href="/plateformes" { "Plateformes" } }
                    li { a href="/reunions" { "Agenda" } }
                    li { a href="/bureaux" { "Bureaux d'accueil" } }
                    @if ctx.can(Action::ViewDirectory) {
                        li { a href="/organisations" { "Organisations" } }
                        li { a href="/personnes" { "Personnes" } }
                    }
                    @if ctx.can(Action::ViewAudit) {
                        li { a href="/admin/journal" { "Journal" } }
                    }
                }
            }
            div.account {
                @if let Some(person) = &ctx.viewer {
                    a href=(format!("/personnes/{}", person.id)) { (person.name) }
                    a href="/moi/presences" { "Mes présences" }
                    form.inline method="post" action="/deconnexion" {
                        (csrf_field(ctx))
                        button.link type="submit" { "Se déconnecter" }
                    }
                } @else {
                    a.button href="/connexion" { "Se connecter" }
                }
            }
        }
    }
}

/// The hidden CSRF field every form carries.
pub fn csrf_field(ctx: &Ctx) -> Markup {
    html! { input type="hidden" name="csrf_token" value=(ctx.csrf_token); }
}

pub fn error_page(ctx: &Ctx, error: &ErrorPage) -> Markup {
    page(
        ctx,
        error.title,
        html! {
            section.error-page {
                h1 { (error.title) }
                p { (error.message) }
                @if error.status.is_server_error() {
                    p.muted { "Référence de la requête : " code { (ctx.request_id) } }
                }
                p { a href="/" { "Retour à l'accueil" } }
            }
        },
    )
}

pub fn error_fragment(error: &ErrorPage, request_id: &str) -> Markup {
    html! {
        div.flash.flash-error {
            strong { (error.title) " : " } (error.message)
            @if error.status.is_server_error() {
                " (référence " code { (request_id) } ")"
            }
        }
    }
}

/// Used when no context could be built (the database is down, say).
pub fn bare_error_page(error: &ErrorPage) -> Markup {
    html! {
        (DOCTYPE)
        html lang="fr" {
            head {
                meta charset="utf-8";
                title { (error.title) " · maillage" }
                link rel="stylesheet" href="/static/style.css";
            }
            body {
                main #contenu {
                    section.error-page {
                        h1 { (error.title) }
                        p { (error.message) }
                        p { a href="/" { "Retour à l'accueil" } }
                    }
                }
            }
        }
    }
}

/// Marks up a multi-paragraph text typed by a person (escaped, line breaks kept).
pub fn paragraphs(text: &str) -> Markup {
    let text = text.replace("\r\n", "\n");
    html! {
        @for block in text.split("\n\n").map(str::trim).filter(|b| !b.is_empty()) {
            p {
                @for (i, line) in block.lines().enumerate() {
                    @if i > 0 { br; }
                    (line)
                }
            }
        }
    }
}

/// Raw markup for a fixed, trusted string (never user text).
pub fn trusted(s: &'static str) -> PreEscaped<&'static str> {
    PreEscaped(s)
}

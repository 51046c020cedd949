//! Subscribe boxes (webcal link, copyable address, instructions) and the personal-feed page.

use maud::{Markup, html};

use crate::entities::feed_token;
use crate::web::Ctx;
use crate::web::components::post_button;

pub fn webcal(https_url: &str) -> String {
    match https_url.split_once("://") {
        Some((_, rest)) => format!("webcal://{rest}"),
        None => https_url.to_string(),
    }
}

/// "S'abonner": a webcal link, the address to copy, and how to add it in each client.
pub fn subscribe(title: &str, url: &str) -> Markup {
    html! {
        section.card.subscribe {
            h2 { "S'abonner à l'agenda" }
            p.muted { (title) " : les réunions apparaissent dans votre calendrier et s'y mettent à jour d'elles-mêmes." }
            p { a.button.primary href=(webcal(url)) { "Ajouter à mon calendrier" } }
            div.field {
                label for="feed-url" { "Adresse de l'agenda (à copier)" }
                input #feed-url type="text" readonly value=(url);
            }
            details {
                summary { "Comment faire avec Outlook, Google Agenda ou Apple Calendrier ?" }
                ul {
                    li { strong { "Outlook : " } "Calendrier › Ajouter un calendrier › S'abonner à partir du web, collez l'adresse, puis Importer." }
                    li { strong { "Google Agenda : " } "Autres agendas › + › À partir de l'URL, collez l'adresse, puis Ajouter un agenda. Google rafraîchit toutes les quelques heures." }
                    li { strong { "Apple Calendrier : " } "Fichier › Nouvel abonnement à un calendrier, collez l'adresse ; sur iPhone : Réglages › Calendrier › Comptes › Ajouter un compte › Autre › Ajouter un calendrier avec abonnement." }
                }
                p.hint { "Certains calendriers ne se mettent à jour que toutes les quelques heures : les changements urgents vous parviennent aussi par e-mail." }
            }
        }
    }
}

pub fn token_page(
    ctx: &Ctx,
    existing: Option<&feed_token::Model>,
    fresh_url: Option<&str>,
    _base_url: &str,
) -> Markup {
    html! {
        section.narrow {
            h1 { "Mon agenda personnel" }
            p { "Un agenda privé avec les réunions de vos plateformes et groupes de travail, y compris celles réservées aux membres, et celles où vous êtes inscrit·e. Son adresse contient un code secret : ne la partagez pas." }
            @if let Some(url) = fresh_url {
                div.flash.flash-ok role="status" {
                    strong { "Voici l'adresse de votre agenda. " }
                    "Copiez-la maintenant : pour votre sécurité, elle ne sera plus affichée."
                }
                (subscribe("Votre agenda personnel", url))
            } @else if let Some(token) = existing {
                p { "Un lien est actif depuis le " (token.created_at.format("%d/%m/%Y")) ". Si vous l'avez perdu, générez-en un nouveau : l'ancien cessera de fonctionner." }
            } @else {
                p.muted { "Vous n'avez pas encore de lien d'agenda." }
            }
            div.actions {
                (post_button(&ctx.csrf_token, "/profil/agenda/lien", if existing.is_some() { "Générer un nouveau lien" } else { "Créer mon lien d'agenda" }, "primary"))
                @if existing.is_some() {
                    (post_button(&ctx.csrf_token, "/profil/agenda/revoquer", "Révoquer le lien", "danger"))
                }
            }
        }
    }
}

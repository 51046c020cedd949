//! The personal-feed page (the subscribe box itself is `web::components::subscribe`).

use maud::{Markup, html};

use crate::entities::feed_token;
use crate::web::Ctx;
use crate::web::components::post_button;
// The subscribe box is a plain component (a page of any room can show one for a feed address).
pub use crate::web::components::{subscribe, webcal};

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

use maud::{Markup, html};

use crate::web::Ctx;
use crate::web::layout::{csrf_field, page};

pub fn sign_in(ctx: &Ctx, email: &str, next: &str, error: Option<&str>) -> Markup {
    page(
        ctx,
        "Connexion",
        html! {
            section.narrow {
                h1 { "Se connecter" }
                p.muted { "Membres et coordinations du réseau : connectez-vous avec l'adresse e-mail de votre compte." }
                @if let Some(message) = error {
                    div.flash.flash-error role="alert" { (message) }
                }
                form.stack method="post" action="/connexion" {
                    (csrf_field(ctx))
                    input type="hidden" name="suite" value=(next);
                    div.field {
                        label for="email" { "Adresse e-mail" }
                        input #email name="email" type="email" value=(email) required autocomplete="username" autofocus;
                    }
                    div.field {
                        label for="password" { "Mot de passe" }
                        input #password name="password" type="password" required autocomplete="current-password";
                    }
                    button.primary type="submit" { "Se connecter" }
                }
                p.muted { "Les partenaires sans compte peuvent consulter les plateformes publiques et s'abonner à leurs agendas." }
            }
        },
    )
}

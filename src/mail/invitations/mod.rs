//! Inviting people to a meeting (members of its platform or group, chosen people, outside
//! addresses), answering from the email (a signed, expiring link that opens a confirmation page;
//! only the POST records anything), and the administrator's view of the outbox.
//!
//! An invitation is to the meeting as a whole (every session of a series) or to one session of a
//! series; an invitee to a whole series may answer for one session.
//!
//! By activity: `paste` reads a pasted list of addresses, `invite` sends the invitations and the
//! reminder, `session` the invitations to one session, `answer` serves the answer links,
//! `record` records an answer (from a link or an iTIP REPLY), `reply` takes the iTIP replies a
//! mail gateway hands over, `admin` the outbox pages.

mod admin;
mod answer;
mod invite;
mod paste;
mod record;
mod reply;
mod session;
#[cfg(test)]
mod tests;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;
pub use paste::{BadAddresses, parse_address_list};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reunions/{id}/invitations", post(invite::invite))
        .route("/reunions/{id}/invitations/relance", post(invite::remind))
        .route(
            "/reunions/{id}/{date}/invitations",
            get(session::session_invitations).post(session::invite_to_session),
        )
        .route(
            "/invitation/{token}/{answer}",
            get(answer::answer_page).post(answer::answer),
        )
        .route("/admin/courriels", get(admin::outbox_page))
        .route("/admin/courriels/{id}", get(admin::outbox_message_page))
}

/// The iTIP replies a mail gateway hands over (`POST /itip/reponses`, a bearer token): a machine's
/// door, outside the pages' session and CSRF layer.
pub fn gateway_routes() -> Router<AppState> {
    Router::new().route("/itip/reponses", post(reply::receive))
}

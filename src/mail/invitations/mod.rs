//! Inviting people to a meeting (members of its platform or group, chosen people, outside
//! addresses), answering from the email (a signed, expiring link that opens a confirmation page;
//! only the POST records anything), and the administrator's view of the outbox.
//!
//! By activity: `paste` reads a pasted list of addresses, `invite` sends the invitations and the
//! reminder, `answer` serves the answer links, `admin` the outbox pages.

mod admin;
mod answer;
mod invite;
mod paste;
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
            "/invitation/{token}/{answer}",
            get(answer::answer_page).post(answer::answer),
        )
        .route("/admin/courriels", get(admin::outbox_page))
        .route("/admin/courriels/{id}", get(admin::outbox_message_page))
}

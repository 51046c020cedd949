//! Composing one message per recipient: subject, plain-text and HTML bodies, and for invitations
//! the iMIP shape (RFC 6047) that calendar clients recognise. Pure: no database, no sending.
//!
//! With a calendar the message is `multipart/mixed` [ `multipart/alternative` [ text/plain,
//! text/html, `text/calendar; charset=UTF-8; method=…` ], `invitation.ics` attachment ]: Outlook
//! treats only a text/calendar part as an invitation, other clients look for the attachment. Both
//! calendar parts are base64, byte for byte the text the ICS writer produced (CRLF and folding
//! kept, non-ASCII safe, RFC 6047 §2.5).
//!
//! The words of each language live in `i18n`, the two bodies in `bodies`, the MIME message in
//! `assembly`.

mod assembly;
mod bodies;
mod i18n;
#[cfg(test)]
mod tests;

use crate::calendar::ics::Method;
pub use crate::entities::person::Language;

pub use assembly::{ComposeError, compose};
pub use bodies::bodies;
use i18n::{Lang, subject_in};

/// Path, under the site's base URL, of the page where people choose their notifications.
pub const PROFILE_PATH: &str = "/profil";

/// File name of the attached calendar.
pub const ATTACHMENT_NAME: &str = "invitation.ics";

/// Who sends: the From mailbox (`MAILLAGE_MAIL_FROM`) and the ORGANIZER (`MAILLAGE_ORGANIZER`, a
/// real mailbox that receives replies; also used as Reply-To).
#[derive(Clone, Debug)]
pub struct Sender {
    pub from: String,
    pub organizer_email: String,
    pub organizer_name: String,
}

#[derive(Clone, Debug)]
pub struct Recipient {
    pub email: String,
    pub name: String,
    /// French text unless Dutch or English (German falls back to French); the meeting details,
    /// written by the caller, stay as given.
    pub language: Language,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    Invitation,
    /// what: a short French phrase, e.g. "nouvelle date : mardi 18 mai 2027, 09:00–12:00" or
    /// "nouveau lieu : …"
    Update {
        what: String,
    },
    Cancellation,
    RegistrationConfirmed,
    /// place on the waiting list
    Waiting {
        place: u64,
    },
    Promoted,
    Reminder,
    AnswerReminder,
    MinutesPublished,
}

impl Kind {
    /// Whether the message asks for an answer, and so shows the answer links when given.
    #[must_use]
    pub fn asks_for_answer(&self) -> bool {
        matches!(
            self,
            Kind::Invitation | Kind::Update { .. } | Kind::AnswerReminder
        )
    }
}

/// Everything the message says about the meeting (already formatted in French by the caller).
#[derive(Clone, Debug)]
pub struct MeetingMail {
    pub kind: Kind,
    pub title: String,
    /// "mardi 8 juin 2027, 09:00–16:00 (heure de Bruxelles)"
    pub when: String,
    /// "Centre culturel de la Marlagne, Chemin des Marronniers 26, 5100 Wépion"
    pub place: Option<String>,
    pub video_url: Option<String>,
    /// "09:00 Accueil et café", …
    pub agenda: Vec<String>,
    /// https://…/reunions/12
    pub page_url: String,
    /// accept / maybe / decline links (each opens a confirmation page; nothing happens on GET).
    /// Shown only when the kind asks for an answer ([`Kind::asks_for_answer`]).
    pub answer_links: Option<AnswerLinks>,
    /// Extra text set by the coordinator (reminder text) or the minutes excerpt.
    pub note: Option<String>,
    /// The coordinator who sends, for SENT-BY and the signature: (name, email)
    pub sent_by: Option<(String, String)>,
    /// The iCalendar text to attach, and its method (REQUEST for invitations/updates, CANCEL for
    /// cancellations); None for other notices.
    pub calendar: Option<(String, Method)>,
}

#[derive(Clone, Debug)]
pub struct AnswerLinks {
    pub accept: String,
    pub maybe: String,
    pub decline: String,
}

/// The subject line in French, e.g. "Invitation : Plénière du PPLI — mardi 8 juin 2027".
#[must_use]
pub fn subject(mail: &MeetingMail) -> String {
    subject_in(Lang::Fr, mail)
}

/// The subject line in the recipient's language (French unless "nl" or "en"); [`compose`] uses
/// this one.
#[must_use]
pub fn subject_for(recipient: &Recipient, mail: &MeetingMail) -> String {
    subject_in(Lang::of(recipient.language), mail)
}

/// Header-safe text: control characters (line breaks included) become spaces.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned()
}

fn non_empty(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}

fn display_name(name: &str) -> String {
    non_empty(one_line(name)).unwrap_or_else(|| "la personne".to_owned())
}

/// The date part of `when` ("mardi 8 juin 2027, 09:00–16:00 …" → "mardi 8 juin 2027").
fn short_date(when: &str) -> String {
    let when = one_line(when);
    when.split(',').next().unwrap_or_default().trim().to_owned()
}

/// "Title — detail", or just the title when the detail is empty.
fn with_detail(title: &str, detail: &str) -> String {
    if detail.is_empty() {
        title.to_owned()
    } else {
        format!("{title} — {detail}")
    }
}

//! The MIME message: headers, the alternative of plain text and HTML, and for invitations the
//! calendar twice (inline `text/calendar` and the `.ics` attachment).

use lettre::Message;
use lettre::message::header::{
    ContentTransferEncoding, ContentType, Header, HeaderName, HeaderValue,
};
use lettre::message::{Attachment, Body, Mailbox, MultiPart, SinglePart};

use super::{
    ATTACHMENT_NAME, MeetingMail, Recipient, Sender, bodies, display_name, non_empty, one_line,
    subject_for,
};
use crate::calendar::ics::Method;

/// Why a message could not be composed (shown in French in the logs and the outbox page).
#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    #[error("Adresse d'expédition invalide : « {0} ».")]
    From(String),
    #[error("Adresse électronique invalide pour {name} : « {email} ».")]
    To { name: String, email: String },
    #[error("Adresse de l'organisateur invalide : « {0} ».")]
    Organizer(String),
    #[error("Le calendrier joint ne porte pas « METHOD:{0} » : invitation non composée.")]
    MethodMismatch(&'static str),
    #[error("Calendrier impossible à encoder.")]
    CalendarEncoding,
    #[error("Type de contenu invalide « {value} » : {reason}")]
    ContentType { value: String, reason: String },
    #[error("Message impossible à composer : {0}")]
    Message(#[from] lettre::error::Error),
}

/// One message for one recipient.
///
/// # Errors
/// When an address (From, To, organizer) is malformed, or when the calendar text does not carry
/// the `METHOD` the MIME part announces.
pub fn compose(
    sender: &Sender,
    recipient: &Recipient,
    mail: &MeetingMail,
) -> Result<Message, ComposeError> {
    let from: Mailbox = sender
        .from
        .trim()
        .parse()
        .map_err(|_| ComposeError::From(one_line(&sender.from)))?;
    let to = Mailbox::new(
        non_empty(one_line(&recipient.name)),
        recipient
            .email
            .trim()
            .parse()
            .map_err(|_| ComposeError::To {
                name: display_name(&recipient.name),
                email: one_line(&recipient.email),
            })?,
    );
    let message_id = format!(
        "<{}@{}>",
        uuid::Uuid::new_v4().simple(),
        from.email.domain()
    );

    let mut builder = Message::builder()
        .from(from)
        .to(to)
        .subject(subject_for(recipient, mail))
        .message_id(Some(message_id))
        .date_now()
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("Auto-Submitted"),
            "auto-generated".to_owned(),
        ));
    if !sender.organizer_email.trim().is_empty() {
        let organizer = Mailbox::new(
            non_empty(one_line(&sender.organizer_name)),
            sender
                .organizer_email
                .trim()
                .parse()
                .map_err(|_| ComposeError::Organizer(one_line(&sender.organizer_email)))?,
        );
        builder = builder.reply_to(organizer);
    }

    let (text, html) = bodies(recipient, mail);
    let alternative = MultiPart::alternative()
        .singlepart(SinglePart::plain(text))
        .singlepart(SinglePart::html(html));
    let body = match &mail.calendar {
        None => alternative,
        Some((ics, method)) => {
            let (inline, attachment) = calendar_parts(ics, *method)?;
            MultiPart::mixed()
                .multipart(alternative.singlepart(inline))
                .singlepart(attachment)
        }
    };
    Ok(builder.multipart(body)?)
}

/// The `text/calendar` part for the alternative and the `.ics` attachment, both base64.
fn calendar_parts(ics: &str, method: Method) -> Result<(SinglePart, SinglePart), ComposeError> {
    let method = method.as_str();
    // RFC 6047 §2.4: the MIME method must be the METHOD inside.
    let expected = format!("METHOD:{method}");
    if !ics.lines().any(|line| line.trim_end() == expected) {
        return Err(ComposeError::MethodMismatch(method));
    }
    let body = Body::new_with_encoding(ics.to_owned(), ContentTransferEncoding::Base64)
        .map_err(|_| ComposeError::CalendarEncoding)?;
    let inline_type = CalendarContentType(format!("text/calendar; charset=UTF-8; method={method}"));
    let file_type = content_type(&format!("application/ics; name=\"{ATTACHMENT_NAME}\""))?;
    let inline = SinglePart::builder().header(inline_type).body(body.clone());
    let attachment = Attachment::new(ATTACHMENT_NAME.to_owned()).body(body, file_type);
    Ok((inline, attachment))
}

/// The calendar part's Content-Type, written as given: lettre's [`ContentType`] goes through the
/// `mime` crate, which lowercases the charset (`charset=utf-8`); the value iMIP examples and
/// clients use is `charset=UTF-8`.
#[derive(Clone, Debug)]
struct CalendarContentType(String);

impl Header for CalendarContentType {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Content-Type")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.to_owned()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

fn content_type(value: &str) -> Result<ContentType, ComposeError> {
    ContentType::parse(value).map_err(|e| ComposeError::ContentType {
        value: value.to_owned(),
        reason: e.to_string(),
    })
}

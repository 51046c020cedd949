//! Composing one message per recipient: subject, plain-text and HTML bodies, and for invitations
//! the iMIP shape (RFC 6047) that calendar clients recognise. Pure: no database, no sending.
//!
//! With a calendar the message is `multipart/mixed` [ `multipart/alternative` [ text/plain,
//! text/html, `text/calendar; charset=UTF-8; method=…` ], `invitation.ics` attachment ]: Outlook
//! treats only a text/calendar part as an invitation, other clients look for the attachment. Both
//! calendar parts are base64, byte for byte the text the ICS writer produced (CRLF and folding
//! kept, non-ASCII safe, RFC 6047 §2.5).

use lettre::Message;
use lettre::message::header::{
    ContentTransferEncoding, ContentType, Header, HeaderName, HeaderValue,
};
use lettre::message::{Attachment, Body, Mailbox, MultiPart, SinglePart};
use maud::{DOCTYPE, Markup, html};

use crate::calendar::ics::Method;

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
    /// "fr" (default), "nl", "en", "de". French text unless "nl" or "en" (German falls back to
    /// French); the meeting details, written by the caller, stay as given.
    pub language: String,
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
    subject_in(Lang::of(&recipient.language), mail)
}

/// The plain-text and HTML bodies. All user text in the HTML is escaped by maud.
#[must_use]
pub fn bodies(recipient: &Recipient, mail: &MeetingMail) -> (String, String) {
    let lang = Lang::of(&recipient.language);
    let content = Content::new(lang, recipient, mail);
    (plain(&content), html_page(&content).into_string())
}

/// One message for one recipient.
///
/// # Errors
/// A French message when an address (From, To, organizer) is malformed, or when the calendar
/// text does not carry the `METHOD` the MIME part announces.
pub fn compose(
    sender: &Sender,
    recipient: &Recipient,
    mail: &MeetingMail,
) -> Result<Message, String> {
    let from: Mailbox = sender.from.trim().parse().map_err(|_| {
        format!(
            "Adresse d'expédition invalide : « {} ».",
            one_line(&sender.from)
        )
    })?;
    let to = Mailbox::new(
        non_empty(one_line(&recipient.name)),
        recipient.email.trim().parse().map_err(|_| {
            format!(
                "Adresse électronique invalide pour {} : « {} ».",
                display_name(&recipient.name),
                one_line(&recipient.email)
            )
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
            sender.organizer_email.trim().parse().map_err(|_| {
                format!(
                    "Adresse de l'organisateur invalide : « {} ».",
                    one_line(&sender.organizer_email)
                )
            })?,
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
    builder
        .multipart(body)
        .map_err(|e| format!("Message impossible à composer : {e}"))
}

/// The `text/calendar` part for the alternative and the `.ics` attachment, both base64.
fn calendar_parts(ics: &str, method: Method) -> Result<(SinglePart, SinglePart), String> {
    let method = method.as_str();
    // RFC 6047 §2.4: the MIME method must be the METHOD inside.
    let expected = format!("METHOD:{method}");
    if !ics.lines().any(|line| line.trim_end() == expected) {
        return Err(format!(
            "Le calendrier joint ne porte pas « {expected} » : invitation non composée."
        ));
    }
    let body = Body::new_with_encoding(ics.to_owned(), ContentTransferEncoding::Base64)
        .map_err(|_| "Calendrier impossible à encoder.".to_owned())?;
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

fn content_type(value: &str) -> Result<ContentType, String> {
    ContentType::parse(value).map_err(|e| format!("Type de contenu invalide « {value} » : {e}"))
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lang {
    Fr,
    Nl,
    En,
}

impl Lang {
    /// `nl`, `nl-BE`, `EN_gb`… ; anything else (German included) is French.
    fn of(code: &str) -> Lang {
        let code = code.trim().to_ascii_lowercase();
        match code.split(['-', '_']).next().unwrap_or_default() {
            "nl" => Lang::Nl,
            "en" => Lang::En,
            _ => Lang::Fr,
        }
    }

    fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    /// Label separator: French puts a space before the colon.
    fn colon(self) -> &'static str {
        match self {
            Lang::Fr => " : ",
            Lang::Nl | Lang::En => ": ",
        }
    }

    fn words(self) -> &'static Words {
        match self {
            Lang::Fr => &FR,
            Lang::Nl => &NL,
            Lang::En => &EN,
        }
    }
}

/// The fixed words of a message in one language.
struct Words {
    hello: &'static str,
    when: &'static str,
    place: &'static str,
    video: &'static str,
    agenda: &'static str,
    answer: &'static str,
    answer_help: &'static str,
    accept: &'static str,
    maybe: &'static str,
    decline: &'static str,
    page: &'static str,
    message: &'static str,
    minutes: &'static str,
    closing: &'static str,
    team: &'static str,
}

const FR: Words = Words {
    hello: "Bonjour",
    when: "Quand",
    place: "Lieu",
    video: "Visioconférence",
    agenda: "Ordre du jour",
    answer: "Votre réponse",
    answer_help: "Chaque lien ouvre une page de confirmation : rien n'est enregistré avant que vous confirmiez.",
    accept: "Je participe",
    maybe: "Peut-être",
    decline: "Je ne participe pas",
    page: "Page de la réunion",
    message: "Message",
    minutes: "Extrait du compte rendu",
    closing: "Bien cordialement,",
    team: "La coordination du réseau",
};

const NL: Words = Words {
    hello: "Goedendag",
    when: "Wanneer",
    place: "Waar",
    video: "Videovergadering",
    agenda: "Agenda",
    answer: "Uw antwoord",
    answer_help: "Elke link opent een bevestigingspagina: er wordt niets geregistreerd zolang u niet bevestigt.",
    accept: "Ik neem deel",
    maybe: "Misschien",
    decline: "Ik neem niet deel",
    page: "Pagina van de vergadering",
    message: "Bericht",
    minutes: "Uittreksel uit het verslag",
    closing: "Met vriendelijke groeten,",
    team: "De coördinatie van het netwerk",
};

const EN: Words = Words {
    hello: "Hello",
    when: "When",
    place: "Where",
    video: "Video call",
    agenda: "Agenda",
    answer: "Your answer",
    answer_help: "Each link opens a confirmation page: nothing is recorded until you confirm.",
    accept: "I will attend",
    maybe: "Maybe",
    decline: "I will not attend",
    page: "Meeting page",
    message: "Message",
    minutes: "From the minutes",
    closing: "Kind regards,",
    team: "The network coordination",
};

fn subject_in(lang: Lang, mail: &MeetingMail) -> String {
    let title = one_line(&mail.title);
    let date = short_date(&mail.when);
    let (prefix, rest) = match (&mail.kind, lang) {
        (Kind::Invitation, Lang::Fr | Lang::En) => ("Invitation", with_detail(&title, &date)),
        (Kind::Invitation, Lang::Nl) => ("Uitnodiging", with_detail(&title, &date)),
        (Kind::Update { what }, _) => {
            let prefix = match lang {
                Lang::Fr => "Modifié",
                Lang::Nl => "Gewijzigd",
                Lang::En => "Updated",
            };
            (prefix, with_detail(&title, &one_line(what)))
        }
        (Kind::Cancellation, Lang::Fr) => ("Annulé", with_detail(&title, &date)),
        (Kind::Cancellation, Lang::Nl) => ("Geannuleerd", with_detail(&title, &date)),
        (Kind::Cancellation, Lang::En) => ("Cancelled", with_detail(&title, &date)),
        (Kind::RegistrationConfirmed, Lang::Fr) => {
            ("Inscription confirmée", with_detail(&title, &date))
        }
        (Kind::RegistrationConfirmed, Lang::Nl) => {
            ("Inschrijving bevestigd", with_detail(&title, &date))
        }
        (Kind::RegistrationConfirmed, Lang::En) => {
            ("Registration confirmed", with_detail(&title, &date))
        }
        (Kind::Waiting { place }, _) => {
            let (prefix, position) = match lang {
                Lang::Fr => ("Liste d'attente", "position"),
                Lang::Nl => ("Wachtlijst", "plaats"),
                Lang::En => ("Waiting list", "position"),
            };
            (
                prefix,
                format!("{} ({position} {place})", with_detail(&title, &date)),
            )
        }
        (Kind::Promoted, Lang::Fr) => (
            "Place libérée",
            format!("vous êtes inscrit·e à {}", with_detail(&title, &date)),
        ),
        (Kind::Promoted, Lang::Nl) => (
            "Plaats vrijgekomen",
            format!("u bent ingeschreven voor {}", with_detail(&title, &date)),
        ),
        (Kind::Promoted, Lang::En) => (
            "Place available",
            format!("you are registered for {}", with_detail(&title, &date)),
        ),
        (Kind::Reminder, Lang::Fr) => ("Rappel", with_detail(&title, &date)),
        (Kind::Reminder, Lang::Nl) => ("Herinnering", with_detail(&title, &date)),
        (Kind::Reminder, Lang::En) => ("Reminder", with_detail(&title, &date)),
        (Kind::AnswerReminder, Lang::Fr) => ("Merci de répondre", with_detail(&title, &date)),
        (Kind::AnswerReminder, Lang::Nl) => ("Graag uw antwoord", with_detail(&title, &date)),
        (Kind::AnswerReminder, Lang::En) => ("Please reply", with_detail(&title, &date)),
        (Kind::MinutesPublished, Lang::Fr) => ("Compte rendu publié", title),
        (Kind::MinutesPublished, Lang::Nl) => ("Verslag gepubliceerd", title),
        (Kind::MinutesPublished, Lang::En) => ("Minutes published", title),
    };
    format!("{prefix}{}{rest}", lang.colon())
}

/// The one sentence saying what this message is.
fn intro(lang: Lang, kind: &Kind) -> String {
    let what_changed = |what: &String| one_line(what);
    match (kind, lang) {
        (Kind::Invitation, Lang::Fr) => "Vous êtes invité·e à la réunion ci-dessous.".into(),
        (Kind::Invitation, Lang::Nl) => {
            "U bent uitgenodigd voor de onderstaande vergadering.".into()
        }
        (Kind::Invitation, Lang::En) => "You are invited to the meeting below.".into(),
        (Kind::Update { what }, Lang::Fr) => {
            with_detail("La réunion ci-dessous a été modifiée", &what_changed(what)) + "."
        }
        (Kind::Update { what }, Lang::Nl) => {
            with_detail(
                "De onderstaande vergadering is gewijzigd",
                &what_changed(what),
            ) + "."
        }
        (Kind::Update { what }, Lang::En) => {
            with_detail("The meeting below has changed", &what_changed(what)) + "."
        }
        (Kind::Cancellation, Lang::Fr) => "La réunion ci-dessous est annulée.".into(),
        (Kind::Cancellation, Lang::Nl) => "De onderstaande vergadering is geannuleerd.".into(),
        (Kind::Cancellation, Lang::En) => "The meeting below has been cancelled.".into(),
        (Kind::RegistrationConfirmed, Lang::Fr) => {
            "Votre inscription à la réunion ci-dessous est confirmée.".into()
        }
        (Kind::RegistrationConfirmed, Lang::Nl) => {
            "Uw inschrijving voor de onderstaande vergadering is bevestigd.".into()
        }
        (Kind::RegistrationConfirmed, Lang::En) => {
            "Your registration for the meeting below is confirmed.".into()
        }
        (Kind::Waiting { place }, Lang::Fr) => format!(
            "La réunion ci-dessous est complète : vous êtes sur la liste d'attente, en position \
             {place}. Nous vous écrirons si une place se libère."
        ),
        (Kind::Waiting { place }, Lang::Nl) => format!(
            "De onderstaande vergadering is volzet: u staat op de wachtlijst, op plaats {place}. \
             We laten het u weten als er een plaats vrijkomt."
        ),
        (Kind::Waiting { place }, Lang::En) => format!(
            "The meeting below is full: you are on the waiting list, in position {place}. We \
             will write to you if a place becomes available."
        ),
        (Kind::Promoted, Lang::Fr) => {
            "Une place s'est libérée : vous êtes désormais inscrit·e à la réunion ci-dessous."
                .into()
        }
        (Kind::Promoted, Lang::Nl) => {
            "Er is een plaats vrijgekomen: u bent nu ingeschreven voor de onderstaande \
             vergadering."
                .into()
        }
        (Kind::Promoted, Lang::En) => {
            "A place has become available: you are now registered for the meeting below.".into()
        }
        (Kind::Reminder, Lang::Fr) => "Petit rappel : la réunion ci-dessous approche.".into(),
        (Kind::Reminder, Lang::Nl) => {
            "Ter herinnering: de onderstaande vergadering komt eraan.".into()
        }
        (Kind::Reminder, Lang::En) => "A reminder: the meeting below is coming up.".into(),
        (Kind::AnswerReminder, Lang::Fr) => {
            "Vous n'avez pas encore répondu à l'invitation à la réunion ci-dessous : merci de \
             nous dire si vous serez présent·e."
                .into()
        }
        (Kind::AnswerReminder, Lang::Nl) => {
            "U hebt nog niet geantwoord op de uitnodiging voor de onderstaande vergadering: laat \
             ons weten of u aanwezig zult zijn."
                .into()
        }
        (Kind::AnswerReminder, Lang::En) => {
            "You have not yet answered the invitation to the meeting below: please let us know \
             whether you will attend."
                .into()
        }
        (Kind::MinutesPublished, Lang::Fr) => {
            "Le compte rendu de la réunion ci-dessous est publié.".into()
        }
        (Kind::MinutesPublished, Lang::Nl) => {
            "Het verslag van de onderstaande vergadering is gepubliceerd.".into()
        }
        (Kind::MinutesPublished, Lang::En) => {
            "The minutes of the meeting below have been published.".into()
        }
    }
}

/// Why the person gets this message, and where to choose notifications (the text before the
/// profile link, which follows it).
fn footer(lang: Lang, kind: &Kind) -> String {
    // Invitations, changes and cancellations go out whatever the person's preferences.
    let always = matches!(
        kind,
        Kind::Invitation | Kind::Update { .. } | Kind::Cancellation
    );
    let reason = match (kind, lang) {
        (Kind::Invitation | Kind::Update { .. } | Kind::Cancellation, Lang::Fr) => {
            "vous êtes invité·e à cette réunion"
        }
        (Kind::Invitation | Kind::Update { .. } | Kind::Cancellation, Lang::Nl) => {
            "u uitgenodigd bent voor deze vergadering"
        }
        (Kind::Invitation | Kind::Update { .. } | Kind::Cancellation, Lang::En) => {
            "you are invited to this meeting"
        }
        (Kind::RegistrationConfirmed | Kind::Promoted | Kind::Reminder, Lang::Fr) => {
            "vous êtes inscrit·e à cette réunion"
        }
        (Kind::RegistrationConfirmed | Kind::Promoted | Kind::Reminder, Lang::Nl) => {
            "u ingeschreven bent voor deze vergadering"
        }
        (Kind::RegistrationConfirmed | Kind::Promoted | Kind::Reminder, Lang::En) => {
            "you are registered for this meeting"
        }
        (Kind::Waiting { .. }, Lang::Fr) => "vous êtes sur la liste d'attente de cette réunion",
        (Kind::Waiting { .. }, Lang::Nl) => "u op de wachtlijst voor deze vergadering staat",
        (Kind::Waiting { .. }, Lang::En) => "you are on the waiting list for this meeting",
        (Kind::AnswerReminder, Lang::Fr) => {
            "vous êtes invité·e à cette réunion et n'avez pas encore répondu"
        }
        (Kind::AnswerReminder, Lang::Nl) => {
            "u uitgenodigd bent voor deze vergadering en nog niet geantwoord hebt"
        }
        (Kind::AnswerReminder, Lang::En) => {
            "you are invited to this meeting and have not answered yet"
        }
        (Kind::MinutesPublished, Lang::Fr) => "vous étiez invité·e à cette réunion",
        (Kind::MinutesPublished, Lang::Nl) => "u uitgenodigd was voor deze vergadering",
        (Kind::MinutesPublished, Lang::En) => "you were invited to this meeting",
    };
    match (lang, always) {
        (Lang::Fr, true) => format!(
            "Vous recevez ce message car {reason}. Les invitations, modifications et annulations \
             sont toujours envoyées ; choisissez vos autres notifications dans votre profil : "
        ),
        (Lang::Fr, false) => format!(
            "Vous recevez ce message car {reason} ; choisissez vos notifications dans votre \
             profil : "
        ),
        (Lang::Nl, true) => format!(
            "U ontvangt dit bericht omdat {reason}. Uitnodigingen, wijzigingen en annuleringen \
             worden altijd verstuurd; kies uw andere meldingen in uw profiel: "
        ),
        (Lang::Nl, false) => {
            format!("U ontvangt dit bericht omdat {reason}; kies uw meldingen in uw profiel: ")
        }
        (Lang::En, true) => format!(
            "You are receiving this message because {reason}. Invitations, changes and \
             cancellations are always sent; choose your other notifications in your profile: "
        ),
        (Lang::En, false) => format!(
            "You are receiving this message because {reason}; choose your notifications in your \
             profile: "
        ),
    }
}

/// `https://host/reunions/12` → `https://host/profil`; a relative page URL gives `/profil`.
fn profile_url(page_url: &str) -> String {
    let page_url = page_url.trim();
    let base = match page_url.find("://") {
        Some(i) => {
            let after = i + 3;
            let end = page_url
                .get(after..)
                .and_then(|rest| rest.find(['/', '?', '#']))
                .map_or(page_url.len(), |j| after + j);
            page_url.get(..end).unwrap_or_default()
        }
        None => "",
    };
    format!("{base}{PROFILE_PATH}")
}

/// What both bodies say, worked out once.
struct Content<'a> {
    lang: Lang,
    words: &'static Words,
    greeting: String,
    intro: String,
    mail: &'a MeetingMail,
    title: String,
    links: Option<&'a AnswerLinks>,
    note_label: &'static str,
    signature: String,
    footer: String,
    profile_url: String,
}

impl<'a> Content<'a> {
    fn new(lang: Lang, recipient: &Recipient, mail: &'a MeetingMail) -> Self {
        let words = lang.words();
        let name = one_line(&recipient.name);
        let greeting = if name.is_empty() {
            format!("{},", words.hello)
        } else {
            format!("{} {name},", words.hello)
        };
        let signature = mail
            .sent_by
            .as_ref()
            .map(|(name, _)| one_line(name))
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| words.team.to_owned());
        Content {
            lang,
            words,
            greeting,
            intro: intro(lang, &mail.kind),
            mail,
            title: one_line(&mail.title),
            links: mail
                .answer_links
                .as_ref()
                .filter(|_| mail.kind.asks_for_answer()),
            note_label: if mail.kind == Kind::MinutesPublished {
                words.minutes
            } else {
                words.message
            },
            signature,
            footer: footer(lang, &mail.kind),
            profile_url: profile_url(&mail.page_url),
        }
    }

    fn note(&self) -> Option<&str> {
        self.mail
            .note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
    }
}

fn plain(c: &Content<'_>) -> String {
    let w = c.words;
    let colon = c.lang.colon();
    let heading = colon.trim_end();
    let mail = c.mail;
    let mut lines = vec![
        c.greeting.clone(),
        String::new(),
        c.intro.clone(),
        String::new(),
        c.title.clone(),
        format!("{}{colon}{}", w.when, one_line(&mail.when)),
    ];
    if let Some(place) = &mail.place {
        lines.push(format!("{}{colon}{}", w.place, one_line(place)));
    }
    if let Some(video) = &mail.video_url {
        lines.push(format!("{}{colon}{}", w.video, video.trim()));
    }
    if !mail.agenda.is_empty() {
        lines.push(format!("{}{heading}", w.agenda));
        lines.extend(
            mail.agenda
                .iter()
                .map(|item| format!("- {}", one_line(item))),
        );
    }
    if let Some(links) = c.links {
        lines.extend([
            String::new(),
            format!("{}{heading}", w.answer),
            format!("{}{colon}{}", w.accept, links.accept),
            format!("{}{colon}{}", w.maybe, links.maybe),
            format!("{}{colon}{}", w.decline, links.decline),
            w.answer_help.to_owned(),
        ]);
    }
    lines.extend([
        String::new(),
        format!("{}{colon}{}", w.page, mail.page_url.trim()),
    ]);
    if let Some(note) = c.note() {
        lines.extend([
            String::new(),
            format!("{}{heading}", c.note_label),
            note.to_owned(),
        ]);
    }
    lines.extend([
        String::new(),
        w.closing.to_owned(),
        c.signature.clone(),
        String::new(),
        // "-- " opens the signature block, which mail clients grey out or fold.
        "-- ".to_owned(),
        format!("{}{}", c.footer, c.profile_url),
        String::new(),
    ]);
    lines.join("\n")
}

const BODY_STYLE: &str = "margin:0;padding:0;background:#f4f5f7;color:#1f2933;\
    font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5";
const SHEET_STYLE: &str = "max-width:600px;margin:0 auto;padding:24px 16px;background:#ffffff";
const CARD_STYLE: &str =
    "margin:16px 0;padding:12px 16px;border-left:4px solid #1d5f8a;background:#f0f5f9";
const TITLE_STYLE: &str = "margin:0 0 8px;font-size:18px;color:#1d5f8a";
const LINE_STYLE: &str = "margin:4px 0";
const BUTTON_STYLE: &str = "display:inline-block;margin:0 8px 8px 0;padding:8px 14px;\
    border-radius:4px;color:#ffffff;text-decoration:none;font-weight:bold";
const NOTE_STYLE: &str = "margin:16px 0;padding:8px 16px;border:1px solid #d9dee3";
const SMALL_STYLE: &str = "font-size:13px;color:#52606d";
const FOOTER_STYLE: &str = "margin-top:24px;padding-top:8px;border-top:1px solid #d9dee3;\
    font-size:12px;color:#52606d";

fn button(href: &str, label: &str, colour: &str) -> Markup {
    html! {
        a href=(href) style=(format!("{BUTTON_STYLE};background:{colour}")) { (label) }
    }
}

fn html_page(c: &Content<'_>) -> Markup {
    let w = c.words;
    let colon = c.lang.colon();
    let mail = c.mail;
    html! {
        (DOCTYPE)
        html lang=(c.lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (c.title) }
            }
            body style=(BODY_STYLE) {
                div style=(SHEET_STYLE) {
                    p { (c.greeting) }
                    p { (c.intro) }
                    div style=(CARD_STYLE) {
                        h2 style=(TITLE_STYLE) { (c.title) }
                        p style=(LINE_STYLE) { strong { (w.when) (colon) } (one_line(&mail.when)) }
                        @if let Some(place) = &mail.place {
                            p style=(LINE_STYLE) { strong { (w.place) (colon) } (one_line(place)) }
                        }
                        @if let Some(video) = &mail.video_url {
                            p style=(LINE_STYLE) {
                                strong { (w.video) (colon) }
                                a href=(video.trim()) { (video.trim()) }
                            }
                        }
                        @if !mail.agenda.is_empty() {
                            p style=(LINE_STYLE) { strong { (w.agenda) (colon) } }
                            ul style="margin:4px 0;padding-left:20px" {
                                @for item in &mail.agenda { li { (one_line(item)) } }
                            }
                        }
                    }
                    @if let Some(links) = c.links {
                        p style=(LINE_STYLE) { strong { (w.answer) (colon) } }
                        p style=(LINE_STYLE) {
                            (button(&links.accept, w.accept, "#2f7d32"))
                            (button(&links.maybe, w.maybe, "#8a6d1d"))
                            (button(&links.decline, w.decline, "#a33a3a"))
                        }
                        p style=(SMALL_STYLE) { (w.answer_help) }
                    }
                    p { a href=(mail.page_url.trim()) { (w.page) } }
                    @if let Some(note) = c.note() {
                        div style=(NOTE_STYLE) {
                            p style=(LINE_STYLE) { strong { (c.note_label) (colon) } }
                            p style=(LINE_STYLE) {
                                @for (i, line) in note.lines().enumerate() {
                                    @if i > 0 { br; }
                                    (line)
                                }
                            }
                        }
                    }
                    p { (w.closing) br; (c.signature) }
                    p style=(FOOTER_STYLE) {
                        (c.footer) a href=(c.profile_url) { (c.profile_url) }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::ics::{self, Attendee, Calendar, Event, Organizer, Status, When};
    use base64::Engine;
    use chrono::{NaiveDate, TimeZone, Utc};

    // ---- a small MIME reader, enough to walk what lettre writes ----

    #[derive(Debug)]
    struct Part {
        headers: Vec<(String, String)>,
        body: String,
        children: Vec<Part>,
    }

    impl Part {
        fn parse(raw: &str) -> Part {
            let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((raw, ""));
            let headers: Vec<(String, String)> = head
                .replace("\r\n ", " ")
                .replace("\r\n\t", " ")
                .split("\r\n")
                .filter_map(|line| line.split_once(':'))
                .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
                .collect();
            let mut part = Part {
                headers,
                body: body.to_owned(),
                children: Vec::new(),
            };
            if part.mime_type().starts_with("multipart/") {
                let boundary = part.param("content-type", "boundary").unwrap();
                let delimiter = format!("\r\n--{boundary}");
                let body = format!("\r\n{body}");
                let mut sections = body.split(delimiter.as_str()).skip(1);
                for section in sections.by_ref() {
                    if section.starts_with("--") {
                        break;
                    }
                    let section = section.strip_prefix("\r\n").unwrap();
                    part.children.push(Part::parse(section));
                }
            }
            part
        }

        fn header(&self, name: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        }

        fn mime_type(&self) -> String {
            self.header("content-type")
                .unwrap_or("text/plain")
                .split(';')
                .next()
                .unwrap()
                .trim()
                .to_ascii_lowercase()
        }

        fn param(&self, header: &str, name: &str) -> Option<String> {
            self.header(header)?.split(';').skip(1).find_map(|p| {
                let (n, v) = p.split_once('=')?;
                n.trim()
                    .eq_ignore_ascii_case(name)
                    .then(|| v.trim().trim_matches('"').to_owned())
            })
        }

        fn leaves(&self) -> Vec<&Part> {
            if self.children.is_empty() {
                vec![self]
            } else {
                self.children.iter().flat_map(Part::leaves).collect()
            }
        }

        fn decoded(&self) -> String {
            let cte = self
                .header("content-transfer-encoding")
                .unwrap_or("7bit")
                .to_ascii_lowercase();
            let bytes = match cte.as_str() {
                "base64" => base64::engine::general_purpose::STANDARD
                    .decode(self.body.split_whitespace().collect::<String>())
                    .unwrap(),
                "quoted-printable" => qp_decode(&self.body),
                _ => self.body.clone().into_bytes(),
            };
            String::from_utf8(bytes).unwrap()
        }
    }

    fn qp_decode(text: &str) -> Vec<u8> {
        let text = text.replace("=\r\n", "");
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'=' {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        out
    }

    fn wire(message: &Message) -> (Vec<u8>, Part) {
        let bytes = message.formatted();
        let text = String::from_utf8(bytes.clone()).unwrap();
        (bytes, Part::parse(&text))
    }

    // ---- data ----

    fn sender() -> Sender {
        Sender {
            from: "Maillage CRI Namur <maillage@cri-namur.example>".into(),
            organizer_email: "coordination@cri-namur.example".into(),
            organizer_name: "Coordination du réseau".into(),
        }
    }

    fn recipient() -> Recipient {
        Recipient {
            email: "marie.dupont@asbl.example".into(),
            name: "Marie Dupont-Lefèvre".into(),
            language: "fr".into(),
        }
    }

    fn ics_text(method: ics::Method) -> String {
        let local = |h| {
            NaiveDate::from_ymd_opt(2027, 6, 8)
                .and_then(|d| d.and_hms_opt(h, 0, 0))
                .unwrap()
        };
        let cancel = method == ics::Method::Cancel;
        ics::write(&Calendar {
            method: Some(method),
            feed: false,
            events: vec![Event {
                uid: "meeting-12@maillage.example".into(),
                dtstamp: Utc.with_ymd_and_hms(2027, 5, 20, 8, 30, 0).unwrap(),
                sequence: if cancel { 3 } else { 2 },
                start: When::Local(local(9)),
                end: When::Local(local(16)),
                summary: "Plénière du PPLI".into(),
                description: "Réunion plénière.\nhttps://maillage.example/reunions/12".into(),
                location: Some("Centre culturel de la Marlagne, 5100 Wépion".into()),
                url: Some("https://maillage.example/reunions/12".into()),
                status: if cancel {
                    Status::Cancelled
                } else {
                    Status::Confirmed
                },
                organizer: Some(Organizer {
                    email: "coordination@cri-namur.example".into(),
                    name: "Coordination du réseau".into(),
                    sent_by: Some("anne.coord@cri-namur.example".into()),
                }),
                attendees: vec![Attendee {
                    email: "marie.dupont@asbl.example".into(),
                    name: "Marie Dupont-Lefèvre".into(),
                    rsvp: true,
                    partstat: "NEEDS-ACTION".into(),
                    role: "REQ-PARTICIPANT".into(),
                }],
                ..Event::default()
            }],
            ..Calendar::default()
        })
    }

    fn mail(kind: Kind) -> MeetingMail {
        let calendar = match kind {
            Kind::Invitation | Kind::Update { .. } => {
                Some((ics_text(ics::Method::Request), ics::Method::Request))
            }
            Kind::Cancellation => Some((ics_text(ics::Method::Cancel), ics::Method::Cancel)),
            _ => None,
        };
        MeetingMail {
            kind,
            title: "Plénière du PPLI".into(),
            when: "mardi 8 juin 2027, 09:00–16:00 (heure de Bruxelles)".into(),
            place: Some(
                "Centre culturel de la Marlagne, Chemin des Marronniers 26, 5100 Wépion".into(),
            ),
            video_url: Some("https://visio.example/pleniere".into()),
            agenda: vec![
                "09:00 Accueil et café".into(),
                "09:30 Bilan de l'année".into(),
            ],
            page_url: "https://maillage.example/reunions/12".into(),
            answer_links: Some(AnswerLinks {
                accept: "https://maillage.example/reponse/tok123/oui".into(),
                maybe: "https://maillage.example/reponse/tok123/peut-etre".into(),
                decline: "https://maillage.example/reponse/tok123/non".into(),
            }),
            note: None,
            sent_by: Some((
                "Anne Coordinatrice".into(),
                "anne.coord@cri-namur.example".into(),
            )),
            calendar,
        }
    }

    fn all_kinds() -> Vec<Kind> {
        vec![
            Kind::Invitation,
            Kind::Update {
                what: "nouvelle date : mardi 15 juin 2027".into(),
            },
            Kind::Cancellation,
            Kind::RegistrationConfirmed,
            Kind::Waiting { place: 3 },
            Kind::Promoted,
            Kind::Reminder,
            Kind::AnswerReminder,
            Kind::MinutesPublished,
        ]
    }

    // ---- MIME structure ----

    #[test]
    fn invitation_is_mixed_with_the_calendar_inside_the_alternative_and_an_ics_attachment() {
        let message = compose(&sender(), &recipient(), &mail(Kind::Invitation)).unwrap();
        let (_, root) = wire(&message);

        assert_eq!(root.mime_type(), "multipart/mixed");
        assert_eq!(root.children.len(), 2);
        let alternative = &root.children[0];
        assert_eq!(alternative.mime_type(), "multipart/alternative");
        let types: Vec<String> = alternative.children.iter().map(Part::mime_type).collect();
        assert_eq!(types, ["text/plain", "text/html", "text/calendar"]);

        let calendar = &alternative.children[2];
        let content_type = calendar.header("content-type").unwrap();
        let mut params: Vec<&str> = content_type.split(';').map(str::trim).collect();
        params.sort_unstable();
        assert_eq!(params, ["charset=UTF-8", "method=REQUEST", "text/calendar"]);
        let inside = calendar.decoded();
        assert_eq!(
            inside,
            ics_text(ics::Method::Request),
            "byte for byte, CRLF kept"
        );
        let method = calendar.param("content-type", "method").unwrap();
        assert!(inside.contains(&format!("\r\nMETHOD:{method}\r\n")));

        let attachment = &root.children[1];
        assert_eq!(
            attachment.header("content-disposition"),
            Some("attachment; filename=\"invitation.ics\"")
        );
        assert_eq!(attachment.mime_type(), "application/ics");
        assert_eq!(
            attachment.param("content-type", "name").as_deref(),
            Some("invitation.ics")
        );
        assert_eq!(attachment.decoded(), inside);
    }

    #[test]
    fn nothing_travels_as_raw_eight_bit() {
        for kind in all_kinds() {
            let message = compose(&sender(), &recipient(), &mail(kind)).unwrap();
            let (bytes, root) = wire(&message);
            assert!(bytes.is_ascii(), "raw 8-bit on the wire");
            for leaf in root.leaves() {
                let cte = leaf.header("content-transfer-encoding").unwrap();
                if !leaf.decoded().is_ascii() {
                    assert!(
                        cte == "base64" || cte == "quoted-printable",
                        "{} sent as {cte}",
                        leaf.mime_type()
                    );
                }
            }
        }
    }

    #[test]
    fn cancellation_announces_method_cancel_matching_the_calendar() {
        let message = compose(&sender(), &recipient(), &mail(Kind::Cancellation)).unwrap();
        let (_, root) = wire(&message);
        let calendar = root.children[0]
            .children
            .iter()
            .find(|p| p.mime_type() == "text/calendar")
            .unwrap();
        assert_eq!(
            calendar.param("content-type", "method").as_deref(),
            Some("CANCEL")
        );
        let inside = calendar.decoded();
        assert!(inside.contains("\r\nMETHOD:CANCEL\r\n"));
        assert!(inside.contains("\r\nSTATUS:CANCELLED\r\n"));
        assert_eq!(root.children[1].decoded(), inside);
    }

    #[test]
    fn a_calendar_whose_method_differs_from_the_announced_one_is_refused() {
        let mut mail = mail(Kind::Cancellation);
        mail.calendar = Some((ics_text(ics::Method::Request), ics::Method::Cancel));
        let err = compose(&sender(), &recipient(), &mail).unwrap_err();
        assert!(err.contains("METHOD:CANCEL"), "{err}");
    }

    #[test]
    fn a_notice_without_calendar_is_only_plain_and_html() {
        for kind in [
            Kind::RegistrationConfirmed,
            Kind::Reminder,
            Kind::MinutesPublished,
        ] {
            let message = compose(&sender(), &recipient(), &mail(kind)).unwrap();
            let (bytes, root) = wire(&message);
            assert_eq!(root.mime_type(), "multipart/alternative");
            let types: Vec<String> = root.children.iter().map(Part::mime_type).collect();
            assert_eq!(types, ["text/plain", "text/html"]);
            let text = String::from_utf8(bytes).unwrap().to_ascii_lowercase();
            assert!(!text.contains("text/calendar"));
            assert!(!text.contains("invitation.ics"));
        }
    }

    #[test]
    fn headers_carry_from_to_subject_message_id_date_reply_to_and_auto_submitted() {
        let message = compose(&sender(), &recipient(), &mail(Kind::Invitation)).unwrap();
        let (_, root) = wire(&message);
        assert_eq!(
            root.header("from"),
            Some("\"Maillage CRI Namur\" <maillage@cri-namur.example>")
        );
        let to = root.header("to").unwrap();
        assert!(to.ends_with(" <marie.dupont@asbl.example>"), "{to}");
        assert!(
            to.starts_with("=?utf-8?"),
            "non-ASCII name is encoded: {to}"
        );
        let subject = root.header("subject").unwrap();
        assert!(
            subject.contains("=?utf-8?b?UGzDqW5pw6hyZQ==?="),
            "{subject}"
        );
        assert_eq!(
            message.headers().get_raw("Subject"),
            Some(subject_for(&recipient(), &mail(Kind::Invitation)).as_str())
        );
        let id = root.header("message-id").unwrap();
        assert!(
            id.starts_with('<') && id.ends_with("@cri-namur.example>"),
            "{id}"
        );
        assert!(root.header("date").is_some());
        assert_eq!(root.header("auto-submitted"), Some("auto-generated"));
        assert!(
            root.header("reply-to")
                .unwrap()
                .ends_with("<coordination@cri-namur.example>")
        );
        assert_eq!(root.header("mime-version"), Some("1.0"));
    }

    #[test]
    fn a_malformed_recipient_address_is_refused_in_french() {
        for bad in ["marie.dupont", "marie@", "marie dupont@asbl.example", ""] {
            let mut person = recipient();
            person.email = bad.into();
            let err = compose(&sender(), &person, &mail(Kind::Invitation)).unwrap_err();
            assert!(err.starts_with("Adresse électronique invalide"), "{err}");
        }
        let mut from = sender();
        from.from = "pas une adresse".into();
        assert!(compose(&from, &recipient(), &mail(Kind::Reminder)).is_err());
    }

    // ---- subjects and bodies ----

    #[test]
    fn subjects_name_the_kind_the_title_and_the_date() {
        let subjects: Vec<String> = all_kinds().into_iter().map(|k| subject(&mail(k))).collect();
        assert_eq!(
            subjects,
            [
                "Invitation : Plénière du PPLI — mardi 8 juin 2027",
                "Modifié : Plénière du PPLI — nouvelle date : mardi 15 juin 2027",
                "Annulé : Plénière du PPLI — mardi 8 juin 2027",
                "Inscription confirmée : Plénière du PPLI — mardi 8 juin 2027",
                "Liste d'attente : Plénière du PPLI — mardi 8 juin 2027 (position 3)",
                "Place libérée : vous êtes inscrit·e à Plénière du PPLI — mardi 8 juin 2027",
                "Rappel : Plénière du PPLI — mardi 8 juin 2027",
                "Merci de répondre : Plénière du PPLI — mardi 8 juin 2027",
                "Compte rendu publié : Plénière du PPLI",
            ]
        );
    }

    #[test]
    fn a_line_break_in_the_title_does_not_reach_the_subject() {
        let mut mail = mail(Kind::Reminder);
        mail.title = "Plénière\r\nBcc: intrus@example.org".into();
        assert!(!subject(&mail).contains(['\r', '\n']));
    }

    #[test]
    fn html_escapes_what_users_wrote() {
        let mut mail = mail(Kind::Invitation);
        mail.title = "<script>alert(1)</script> & co".into();
        mail.note = Some("<b>gras</b>\nligne 2".into());
        mail.agenda = vec!["<img src=x onerror=alert(1)>".into()];
        let mut person = recipient();
        person.name = "Marie <Dupont>".into();
        let (text, html) = bodies(&person, &mail);
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
        assert!(!html.contains("<b>gras"));
        assert!(html.contains("&lt;b&gt;gras&lt;/b&gt;<br>ligne 2"));
        assert!(!html.contains("<img"));
        assert!(html.contains("Bonjour Marie &lt;Dupont&gt;,"));
        assert!(
            text.contains("<script>alert(1)</script> & co"),
            "plain text stays as written"
        );
    }

    #[test]
    fn bodies_hold_greeting_intro_meeting_page_note_signature_and_footer() {
        let mut mail = mail(Kind::Reminder);
        mail.note = Some("Pensez à apporter vos chiffres.".into());
        let (text, html) = bodies(&recipient(), &mail);
        for part in [&text, &html] {
            assert!(part.contains("Bonjour Marie Dupont-Lefèvre,"));
            assert!(part.contains("Petit rappel : la réunion ci-dessous approche."));
            assert!(part.contains("mardi 8 juin 2027, 09:00–16:00 (heure de Bruxelles)"));
            assert!(part.contains("Chemin des Marronniers 26"));
            assert!(part.contains("https://visio.example/pleniere"));
            assert!(part.contains("09:30 Bilan de l"));
            assert!(part.contains("https://maillage.example/reunions/12"));
            assert!(part.contains("Pensez à apporter vos chiffres."));
            assert!(part.contains("Anne Coordinatrice"));
            assert!(part.contains("choisissez vos notifications dans votre profil"));
            assert!(part.contains("https://maillage.example/profil"));
        }
        assert!(text.contains("\n-- \nVous recevez ce message car vous êtes inscrit·e"));
    }

    #[test]
    fn invitations_say_they_are_always_sent_and_other_notices_do_not() {
        let (text, _) = bodies(&recipient(), &mail(Kind::Invitation));
        assert!(
            text.contains("Les invitations, modifications et annulations sont toujours envoyées")
        );
        let (text, _) = bodies(&recipient(), &mail(Kind::MinutesPublished));
        assert!(!text.contains("toujours envoyées"));
        assert!(text.contains("car vous étiez invité·e à cette réunion"));
    }

    #[test]
    fn answer_links_appear_only_in_mails_that_ask_for_an_answer() {
        for kind in all_kinds() {
            let asks = kind.asks_for_answer();
            let (text, html) = bodies(&recipient(), &mail(kind.clone()));
            for part in [&text, &html] {
                assert_eq!(part.contains("/reponse/tok123/oui"), asks, "{kind:?}");
                assert_eq!(part.contains("/reponse/tok123/non"), asks, "{kind:?}");
                assert_eq!(part.contains("page de confirmation"), asks, "{kind:?}");
            }
        }
        assert!(Kind::Invitation.asks_for_answer());
        assert!(!Kind::Cancellation.asks_for_answer());
        let mut invitation = mail(Kind::Invitation);
        invitation.answer_links = None;
        let (text, _) = bodies(&recipient(), &invitation);
        assert!(!text.contains("Votre réponse"));
    }

    #[test]
    fn the_answer_links_are_three_buttons_in_the_html() {
        let (_, html) = bodies(&recipient(), &mail(Kind::Invitation));
        for (href, label) in [
            (
                "https://maillage.example/reponse/tok123/oui",
                "Je participe",
            ),
            (
                "https://maillage.example/reponse/tok123/peut-etre",
                "Peut-être",
            ),
            (
                "https://maillage.example/reponse/tok123/non",
                "Je ne participe pas",
            ),
        ] {
            let start = html.find(&format!("<a href=\"{href}\"")).unwrap();
            let anchor = &html[start..];
            let anchor = &anchor[..anchor.find("</a>").unwrap()];
            assert!(anchor.contains("display:inline-block"), "{anchor}");
            assert!(anchor.ends_with(label), "{anchor}");
        }
    }

    #[test]
    fn english_and_dutch_get_translated_subject_greeting_and_closing() {
        let mut person = recipient();
        person.language = "en".into();
        let mail = mail(Kind::Invitation);
        assert_eq!(
            subject_for(&person, &mail),
            "Invitation: Plénière du PPLI — mardi 8 juin 2027"
        );
        let (text, html) = bodies(&person, &mail);
        assert!(text.starts_with("Hello Marie Dupont-Lefèvre,"));
        assert!(text.contains("Kind regards,\nAnne Coordinatrice"));
        assert!(html.contains("<html lang=\"en\">"));

        person.language = "nl-BE".into();
        assert_eq!(
            subject_for(&person, &mail),
            "Uitnodiging: Plénière du PPLI — mardi 8 juin 2027"
        );
        let (text, _) = bodies(&person, &mail);
        assert!(text.starts_with("Goedendag Marie Dupont-Lefèvre,"));
        assert!(text.contains("Met vriendelijke groeten,"));

        person.language = "de".into();
        assert_eq!(subject_for(&person, &mail), subject(&mail));
        assert!(bodies(&person, &mail).0.starts_with("Bonjour"));
    }

    #[test]
    fn the_message_subject_follows_the_recipient_language() {
        let mut person = recipient();
        person.language = "en".into();
        let message = compose(&sender(), &person, &mail(Kind::Cancellation)).unwrap();
        assert_eq!(
            message.headers().get_raw("Subject"),
            Some("Cancelled: Plénière du PPLI — mardi 8 juin 2027")
        );
        let (_, root) = wire(&message);
        let html = root.children[0].children[1].decoded();
        assert!(html.contains("The meeting below has been cancelled."));
    }

    #[test]
    fn without_a_coordinator_the_signature_is_the_team() {
        let mut mail = mail(Kind::Reminder);
        mail.sent_by = None;
        let (text, _) = bodies(&recipient(), &mail);
        assert!(text.contains("Bien cordialement,\nLa coordination du réseau"));
    }

    #[test]
    fn the_profile_link_is_built_on_the_page_base() {
        assert_eq!(
            profile_url("https://maillage.example:8443/reunions/12?x=1"),
            "https://maillage.example:8443/profil"
        );
        assert_eq!(
            profile_url("https://maillage.example"),
            "https://maillage.example/profil"
        );
        assert_eq!(profile_url("/reunions/12"), "/profil");
    }

    /// Writes one invitation to /tmp/maillage-invitation.eml for inspection with other tools:
    /// `cargo test --lib mail::compose -- --ignored`.
    #[test]
    #[ignore = "writes a file in /tmp"]
    fn write_sample_invitation_eml() {
        let message = compose(&sender(), &recipient(), &mail(Kind::Invitation)).unwrap();
        std::fs::write("/tmp/maillage-invitation.eml", message.formatted()).unwrap();
    }
}

//! The fixed words of a message in French, Dutch and English: labels, subjects, the opening
//! sentence and the footer saying why the person gets it.

use super::{Kind, MeetingMail, one_line, short_date, with_detail};
use crate::entities::person::Language;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Lang {
    Fr,
    Nl,
    En,
}

impl Lang {
    /// The words for a person's language: German readers get French.
    pub(super) fn of(language: Language) -> Lang {
        match language {
            Language::Nl => Lang::Nl,
            Language::En => Lang::En,
            Language::Fr | Language::De => Lang::Fr,
        }
    }

    pub(super) fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    /// Label separator: French puts a space before the colon.
    pub(super) fn colon(self) -> &'static str {
        match self {
            Lang::Fr => " : ",
            Lang::Nl | Lang::En => ": ",
        }
    }

    pub(super) fn words(self) -> &'static Words {
        match self {
            Lang::Fr => &FR,
            Lang::Nl => &NL,
            Lang::En => &EN,
        }
    }
}

/// The fixed words of a message in one language.
pub(super) struct Words {
    pub(super) hello: &'static str,
    pub(super) when: &'static str,
    pub(super) place: &'static str,
    pub(super) video: &'static str,
    pub(super) agenda: &'static str,
    pub(super) answer: &'static str,
    pub(super) answer_help: &'static str,
    pub(super) accept: &'static str,
    pub(super) maybe: &'static str,
    pub(super) decline: &'static str,
    pub(super) page: &'static str,
    pub(super) message: &'static str,
    pub(super) minutes: &'static str,
    pub(super) closing: &'static str,
    pub(super) team: &'static str,
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

pub(super) fn subject_in(lang: Lang, mail: &MeetingMail) -> String {
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
pub(super) fn intro(lang: Lang, kind: &Kind) -> String {
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
pub(super) fn footer(lang: Lang, kind: &Kind) -> String {
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

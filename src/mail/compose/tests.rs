use super::bodies::profile_url;
use super::*;
use crate::calendar::ics::{self, Attendee, Calendar, Event, Organizer, Status, When};
use base64::Engine;
use chrono::{NaiveDate, TimeZone, Utc};
use lettre::Message;

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
        language: Language::Fr,
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
    let err = compose(&sender(), &recipient(), &mail)
        .unwrap_err()
        .to_string();
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
        let err = compose(&sender(), &person, &mail(Kind::Invitation))
            .unwrap_err()
            .to_string();
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
    assert!(text.contains("Les invitations, modifications et annulations sont toujours envoyées"));
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
    person.language = Language::En;
    let mail = mail(Kind::Invitation);
    assert_eq!(
        subject_for(&person, &mail),
        "Invitation: Plénière du PPLI — mardi 8 juin 2027"
    );
    let (text, html) = bodies(&person, &mail);
    assert!(text.starts_with("Hello Marie Dupont-Lefèvre,"));
    assert!(text.contains("Kind regards,\nAnne Coordinatrice"));
    assert!(html.contains("<html lang=\"en\">"));

    person.language = Language::Nl;
    assert_eq!(
        subject_for(&person, &mail),
        "Uitnodiging: Plénière du PPLI — mardi 8 juin 2027"
    );
    let (text, _) = bodies(&person, &mail);
    assert!(text.starts_with("Goedendag Marie Dupont-Lefèvre,"));
    assert!(text.contains("Met vriendelijke groeten,"));

    person.language = Language::De;
    assert_eq!(subject_for(&person, &mail), subject(&mail));
    assert!(bodies(&person, &mail).0.starts_with("Bonjour"));
}

#[test]
fn the_message_subject_follows_the_recipient_language() {
    let mut person = recipient();
    person.language = Language::En;
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

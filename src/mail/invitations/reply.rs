//! iTIP replies (RFC 5546 §3.2.3): what the Accept / Decline buttons of a calendar client send to
//! the ORGANIZER's mailbox. A mail gateway on that mailbox (a pipe, a fetch script) posts each
//! reply's `text/calendar` part to `POST /itip/reponses` with `Authorization: Bearer
//! <MAILLAGE_ITIP_TOKEN>`. Each VEVENT is one answer: its UID names the meeting, its ATTENDEE
//! the invitee, its PARTSTAT the answer, and its RECURRENCE-ID, when present, the session of a
//! series the answer is for (read from a TZID'd local time, a UTC time or a date). All answers
//! of a reply are recorded in one transaction, or none: a JSON error names the property and why.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDate, NaiveDateTime};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use subtle::ConstantTimeEq;

use super::record::{self, Recorded};
use crate::entities::invitation::Answer;
use crate::entities::{invitation, occurrence};
use crate::meetings::{self, index};
use crate::people::rules::normalize_email;
use crate::state::AppState;

/// One answer read from a reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct ReplyAnswer {
    pub meeting_id: i64,
    pub attendee: String,
    pub answer: Answer,
    /// The session's original date (RECURRENCE-ID); None: the meeting as a whole.
    pub session: Option<NaiveDate>,
}

/// Why a reply is refused: the property, and why (in French).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Refused {
    pub property: &'static str,
    pub reason: String,
}

impl Refused {
    fn new(property: &'static str, reason: impl Into<String>) -> Self {
        Self {
            property,
            reason: reason.into(),
        }
    }

    fn into_response(self, status: StatusCode) -> Response {
        (
            status,
            axum::Json(json!({ "champ": self.property, "erreur": self.reason })),
        )
            .into_response()
    }
}

fn param<'a>(p: &'a ical::property::Property, name: &str) -> Option<&'a str> {
    p.params
        .iter()
        .flatten()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .and_then(|(_, values)| values.first())
        .map(String::as_str)
}

fn value<'a>(
    event: &'a ical::parser::ical::component::IcalEvent,
    name: &str,
) -> Option<&'a ical::property::Property> {
    event
        .properties
        .iter()
        .find(|p| p.name.eq_ignore_ascii_case(name))
}

/// The date a RECURRENCE-ID names, in Brussels: a date (`VALUE=DATE`), a UTC time (`…Z`,
/// converted), a local time with a TZID (Europe/Brussels or another zone chrono-tz knows,
/// converted; a zone it does not know, such as Outlook's Windows names, read as Brussels
/// wall-clock) or a floating time.
pub(super) fn recurrence_date(p: &ical::property::Property) -> Option<NaiveDate> {
    let raw = p.value.as_deref()?.trim();
    if param(p, "VALUE").is_some_and(|v| v.eq_ignore_ascii_case("DATE")) || raw.len() == 8 {
        return NaiveDate::parse_from_str(raw, "%Y%m%d").ok();
    }
    if let Some(utc) = raw.strip_suffix('Z').or_else(|| raw.strip_suffix('z')) {
        let at = NaiveDateTime::parse_from_str(utc, "%Y%m%dT%H%M%S").ok()?;
        return Some(
            at.and_utc()
                .with_timezone(&chrono_tz::Europe::Brussels)
                .date_naive(),
        );
    }
    let local = NaiveDateTime::parse_from_str(raw, "%Y%m%dT%H%M%S").ok()?;
    let zone = param(p, "TZID")
        .map(|z| z.trim_matches('"').trim_start_matches('/'))
        .and_then(|z| z.parse::<chrono_tz::Tz>().ok());
    match zone {
        Some(zone) if zone != chrono_tz::Europe::Brussels => local
            .and_local_timezone(zone)
            .earliest()
            .map(|at| at.with_timezone(&chrono_tz::Europe::Brussels).date_naive())
            .or(Some(local.date())),
        _ => Some(local.date()),
    }
}

/// The answers of an iTIP REPLY written by this site's invitations (`host`: the UID's host).
pub(super) fn parse_reply(text: &str, host: &str) -> Result<Vec<ReplyAnswer>, Refused> {
    let mut parser = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    let calendar = match parser.next() {
        Some(Ok(calendar)) => calendar,
        Some(Err(e)) => {
            return Err(Refused::new(
                "VCALENDAR",
                format!("calendrier illisible : {e}"),
            ));
        }
        None => {
            return Err(Refused::new(
                "VCALENDAR",
                "aucun calendrier dans la requête",
            ));
        }
    };
    let method = calendar
        .properties
        .iter()
        .find(|p| p.name.eq_ignore_ascii_case("METHOD"))
        .and_then(|p| p.value.as_deref())
        .map(str::trim)
        .unwrap_or_default();
    if !method.eq_ignore_ascii_case("REPLY") {
        return Err(Refused::new(
            "METHOD",
            format!("une réponse iTIP porte METHOD:REPLY, pas « {method} »"),
        ));
    }
    if calendar.events.is_empty() {
        return Err(Refused::new("VEVENT", "aucun événement dans la réponse"));
    }
    calendar
        .events
        .iter()
        .map(|event| {
            let uid = value(event, "UID")
                .and_then(|p| p.value.as_deref())
                .map(str::trim)
                .unwrap_or_default();
            let meeting_id = uid
                .strip_prefix("meeting-")
                .and_then(|rest| rest.split_once('@'))
                .filter(|(_, h)| h.eq_ignore_ascii_case(host))
                .and_then(|(id, _)| id.parse::<i64>().ok())
                .ok_or_else(|| {
                    Refused::new(
                        "UID",
                        format!("« {uid} » n'est pas une réunion de ce site (meeting-…@{host})"),
                    )
                })?;
            let attendee = value(event, "ATTENDEE")
                .ok_or_else(|| Refused::new("ATTENDEE", "aucun participant dans la réponse"))?;
            let address = attendee
                .value
                .as_deref()
                .map(str::trim)
                .map(|v| {
                    v.get(..7)
                        .filter(|s| s.eq_ignore_ascii_case("mailto:"))
                        .map_or(v, |_| v.get(7..).unwrap_or(v))
                })
                .filter(|v| v.contains('@'))
                .ok_or_else(|| Refused::new("ATTENDEE", "adresse du participant illisible"))?;
            let partstat = param(attendee, "PARTSTAT").unwrap_or_default();
            let answer = match partstat.to_ascii_uppercase().as_str() {
                "ACCEPTED" => Answer::Accepted,
                "TENTATIVE" => Answer::Tentative,
                "DECLINED" => Answer::Declined,
                other => {
                    return Err(Refused::new(
                        "PARTSTAT",
                        format!(
                            "« {other} » n'est pas une réponse (ACCEPTED, TENTATIVE ou DECLINED)"
                        ),
                    ));
                }
            };
            let session = match value(event, "RECURRENCE-ID") {
                None => None,
                Some(p) => Some(recurrence_date(p).ok_or_else(|| {
                    Refused::new(
                        "RECURRENCE-ID",
                        format!(
                            "date illisible : « {} »",
                            p.value.as_deref().unwrap_or_default()
                        ),
                    )
                })?),
            };
            Ok(ReplyAnswer {
                meeting_id,
                attendee: address.to_string(),
                answer,
                session,
            })
        })
        .collect()
}

/// Whether the request carries the gateway's token (compared in constant time).
fn authorized(state: &AppState, headers: &HeaderMap) -> Option<bool> {
    let expected = state
        .config
        .itip_token
        .as_deref()
        .filter(|t| !t.is_empty())?;
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or_default();
    Some(bool::from(given.as_bytes().ct_eq(expected.as_bytes())))
}

/// POST /itip/reponses: records the answers of one REPLY, all or none.
pub(super) async fn receive(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: String,
) -> Response {
    match authorized(&state, &headers) {
        None => {
            return Refused::new(
                "Authorization",
                "aucune passerelle iTIP configurée (MAILLAGE_ITIP_TOKEN)",
            )
            .into_response(StatusCode::NOT_FOUND);
        }
        Some(false) => {
            return Refused::new("Authorization", "jeton de la passerelle absent ou faux")
                .into_response(StatusCode::UNAUTHORIZED);
        }
        Some(true) => {}
    }
    let host = crate::calendar::uid_host(&state.config.base_url);
    let answers = match parse_reply(&body, &host) {
        Ok(answers) => answers,
        Err(refused) => return refused.into_response(StatusCode::UNPROCESSABLE_ENTITY),
    };
    match record_all(&state, &answers).await {
        Ok(Ok(recorded)) => (
            StatusCode::OK,
            axum::Json(json!({ "enregistrées": recorded })),
        )
            .into_response(),
        Ok(Err(refused)) => refused.into_response(StatusCode::UNPROCESSABLE_ENTITY),
        Err(e) => {
            tracing::error!(error = %e, "réponse iTIP non enregistrée");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                axum::Json(json!({ "erreur": "erreur interne : réponse non enregistrée" })),
            )
                .into_response()
        }
    }
}

/// Records every answer in one transaction; a refusal rolls all of them back.
async fn record_all(
    state: &AppState,
    answers: &[ReplyAnswer],
) -> Result<Result<Vec<serde_json::Value>, Refused>, sea_orm::DbErr> {
    let txn = crate::db::begin_write(&state.db).await?;
    let mut recorded = Vec::new();
    for reply in answers {
        match record_one(state, &txn, reply).await? {
            Ok(done) => recorded.push(done),
            Err(refused) => {
                txn.rollback().await?;
                return Ok(Err(refused));
            }
        }
    }
    txn.commit().await?;
    Ok(Ok(recorded))
}

async fn record_one(
    state: &AppState,
    txn: &sea_orm::DatabaseTransaction,
    reply: &ReplyAnswer,
) -> Result<Result<serde_json::Value, Refused>, sea_orm::DbErr> {
    let Some(loaded) = meetings::load_in(txn, reply.meeting_id).await? else {
        return Ok(Err(Refused::new(
            "UID",
            format!("la réunion {} n'existe pas", reply.meeting_id),
        )));
    };
    let m = &loaded.meeting;
    let session = match reply.session {
        None => None,
        Some(day) if m.rrule.is_none() => {
            if day != m.start_local.naive().date() {
                return Ok(Err(Refused::new(
                    "RECURRENCE-ID",
                    format!("« {} » n'a lieu qu'une fois, pas le {day}", m.title),
                )));
            }
            None
        }
        Some(day) => match index::session_on(txn, m.id, day).await? {
            Some(row) => Some(row),
            None => {
                return Ok(Err(Refused::new(
                    "RECURRENCE-ID",
                    format!(
                        "la série « {} » n'a pas de séance le {} : réponse refusée",
                        m.title,
                        crate::meetings::views::day_fr(day)
                    ),
                )));
            }
        },
    };
    let invitations = invitation::Entity::find()
        .filter(invitation::Column::MeetingId.eq(m.id))
        .filter(invitation::Column::EmailNormalized.eq(normalize_email(&reply.attendee)))
        .all(txn)
        .await?;
    // Their invitation to that session, else to the whole meeting; without RECURRENCE-ID, to
    // the whole meeting, else their only one.
    let chosen = match &session {
        Some(row) => invitations
            .iter()
            .find(|i| i.occurrence_id == Some(row.id))
            .or_else(|| invitations.iter().find(|i| i.occurrence_id.is_none())),
        None => invitations
            .iter()
            .find(|i| i.occurrence_id.is_none())
            .or_else(|| invitations.first().filter(|_| invitations.len() == 1)),
    };
    let Some(invitation) = chosen else {
        return Ok(Err(Refused::new(
            "ATTENDEE",
            format!(
                "{} n'est pas invité·e à {}",
                reply.attendee,
                if session.is_some() {
                    "cette séance"
                } else {
                    "cette réunion"
                }
            ),
        )));
    };
    let own = match invitation.occurrence_id {
        Some(id) => occurrence::Entity::find_by_id(id).one(txn).await?,
        None => None,
    };
    let scope = record::scope_for(invitation, session, own);
    let session_date = match &scope {
        record::Scope::Session(row) => Some(
            row.original_start_local
                .naive()
                .date()
                .format("%Y-%m-%d")
                .to_string(),
        ),
        record::Scope::Whole => None,
    };
    match record::record(
        txn,
        state,
        (&loaded, invitation),
        &scope,
        reply.answer,
        String::new(),
    )
    .await?
    {
        Recorded::Done(_) => Ok(Ok(json!({
            "réunion": m.id,
            "séance": session_date,
            "invitation": invitation.id,
            "réponse": reply.answer.to_string(),
        }))),
        Recorded::Refused(refusal) => Ok(Err(Refused::new("PARTSTAT", refusal.to_string()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(event: &str) -> String {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nMETHOD:REPLY\r\n\
             BEGIN:VEVENT\r\n{event}END:VEVENT\r\nEND:VCALENDAR\r\n"
        )
    }

    const HOST: &str = "agenda.cri-namur.be";

    fn parsed(event: &str) -> Result<Vec<ReplyAnswer>, Refused> {
        parse_reply(&reply(event), HOST)
    }

    #[test]
    fn a_reply_for_one_session_names_its_date_in_every_form_clients_write() {
        let base = "UID:meeting-12@agenda.cri-namur.be\r\n\
                    ATTENDEE;PARTSTAT=ACCEPTED;CN=Ana:mailto:ana@ciney.example\r\n";
        for id in [
            "RECURRENCE-ID;TZID=Europe/Brussels:20270309T140000\r\n",
            // 23:30 UTC on the 8th is already the 9th in Brussels.
            "RECURRENCE-ID:20270308T233000Z\r\n",
            "RECURRENCE-ID;VALUE=DATE:20270309\r\n",
            "RECURRENCE-ID;TZID=Romance Standard Time:20270309T140000\r\n",
            "RECURRENCE-ID;TZID=America/New_York:20270309T080000\r\n",
        ] {
            let answers = parsed(&format!("{base}{id}")).unwrap();
            assert_eq!(
                answers,
                vec![ReplyAnswer {
                    meeting_id: 12,
                    attendee: "ana@ciney.example".into(),
                    answer: Answer::Accepted,
                    session: NaiveDate::from_ymd_opt(2027, 3, 9),
                }],
                "{id}"
            );
        }
    }

    #[test]
    fn a_reply_without_recurrence_id_is_for_the_whole_meeting() {
        let answers = parsed(
            "UID:meeting-3@AGENDA.cri-namur.be\r\n\
             ATTENDEE;PARTSTAT=declined:MAILTO:Ana@Ciney.example\r\n",
        )
        .unwrap();
        assert_eq!(answers[0].session, None);
        assert_eq!(answers[0].answer, Answer::Declined);
        assert_eq!(answers[0].attendee, "Ana@Ciney.example");
    }

    #[test]
    fn what_cannot_be_read_is_refused_naming_the_property() {
        let attendee = "ATTENDEE;PARTSTAT=ACCEPTED:mailto:ana@ciney.example\r\n";
        let cases = [
            (format!("UID:meeting-3@elsewhere.example\r\n{attendee}"), "UID"),
            (format!("UID:abc\r\n{attendee}"), "UID"),
            ("UID:meeting-3@agenda.cri-namur.be\r\n".to_string(), "ATTENDEE"),
            (
                "UID:meeting-3@agenda.cri-namur.be\r\nATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:a@b.example\r\n"
                    .to_string(),
                "PARTSTAT",
            ),
            (
                format!("UID:meeting-3@agenda.cri-namur.be\r\n{attendee}RECURRENCE-ID:2027-03-09\r\n"),
                "RECURRENCE-ID",
            ),
        ];
        for (event, property) in cases {
            assert_eq!(parsed(&event).unwrap_err().property, property, "{event}");
        }
        let request = reply("UID:meeting-3@agenda.cri-namur.be\r\n").replace("REPLY", "REQUEST");
        assert_eq!(parse_reply(&request, HOST).unwrap_err().property, "METHOD");
        assert_eq!(
            parse_reply("bonjour", HOST).unwrap_err().property,
            "VCALENDAR"
        );
    }
}

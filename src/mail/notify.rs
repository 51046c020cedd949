//! What the app tells people by email, composed from a meeting and written to the outbox inside
//! the caller's transaction: invitations and their updates and cancellations (with iTIP
//! calendar parts), registration notices, reminders, "minutes published".

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, Set,
};

use super::compose::{self, AnswerLinks, Kind, MeetingMail, Recipient};
use super::outbox;
use crate::app::AppState;
use crate::calendar::ics::{self, Attendee, Calendar, Method, Organizer, Status, When};
use crate::entities::{
    agenda_item, invitation, meeting, occurrence_change, person, platform_membership, registration,
};
use crate::meetings::rules::parse_local;
use crate::meetings::views::when_fr;
use crate::meetings::{self, Loaded};

/// How long answer links work after the meeting.
const LINK_DAYS_AFTER: i64 = 7;

/// The three signed answer links of an invitation ("/invitation/<token>/<answer>").
pub fn answer_links(state: &AppState, invitation_id: i64, meeting: &meeting::Model) -> AnswerLinks {
    let expires = (meeting
        .series_ends_at
        .unwrap_or(meeting.ends_at)
        .max(Utc::now() + Duration::days(30))
        + Duration::days(LINK_DAYS_AFTER))
    .timestamp();
    let token = sign_token(&state.keys, invitation_id, expires);
    let base = format!("{}/invitation/{token}", state.config.base_url);
    AnswerLinks {
        accept: format!("{base}/accepte"),
        maybe: format!("{base}/peut-etre"),
        decline: format!("{base}/decline"),
    }
}

/// The invitation id behind a token, if the signature holds and the link has not expired.
pub fn verify_token(state: &AppState, token: &str) -> Option<i64> {
    verify_token_at(&state.keys, token, Utc::now().timestamp())
}

/// The signed token of an invitation's answer links: "<id>.<expiry>.<signature>".
pub fn sign_token(keys: &crate::web::ctx::Keys, invitation_id: i64, expires: i64) -> String {
    let payload = format!("{invitation_id}.{expires}");
    format!("{payload}.{}", keys.sign("invitation", payload.as_bytes()))
}

/// `verify_token` at a given instant (seconds since the epoch).
pub fn verify_token_at(keys: &crate::web::ctx::Keys, token: &str, now: i64) -> Option<i64> {
    let mut parts = token.splitn(3, '.');
    let (id, expires, signature) = (parts.next()?, parts.next()?, parts.next()?);
    let payload = format!("{id}.{expires}");
    if !keys.verify("invitation", payload.as_bytes(), signature) {
        return None;
    }
    let expires: i64 = expires.parse().ok()?;
    if now > expires {
        return None;
    }
    id.parse().ok()
}

fn meeting_text(loaded: &Loaded) -> (String, Option<String>) {
    let m = &loaded.meeting;
    let start = parse_local(&m.start_local).unwrap_or_default();
    let end = parse_local(&m.end_local).unwrap_or_default();
    let when = match meetings::schedule::rule_of(m) {
        Some(rule) if m.all_day => rule.describe_fr(),
        Some(rule) => format!(
            "{}, {}–{} (heure de Bruxelles)",
            rule.describe_fr(),
            start.format("%H:%M"),
            end.format("%H:%M")
        ),
        // All day: no hour to place in a time zone.
        None if m.all_day => when_fr(start, end, true),
        None => format!("{} (heure de Bruxelles)", when_fr(start, end, m.all_day)),
    };
    let place = [m.place_name.as_str(), m.place_address.as_str()]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    (when, (!place.is_empty()).then_some(place))
}

async fn agenda_of(
    db: &impl ConnectionTrait,
    meeting_id: i64,
) -> Result<Vec<agenda_item::Model>, DbErr> {
    agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.eq(meeting_id))
        .order_by_asc(agenda_item::Column::Position)
        .all(db)
        .await
}

fn mail_for(
    state: &AppState,
    loaded: &Loaded,
    agenda: &[agenda_item::Model],
    kind: Kind,
    sent_by: Option<&person::Model>,
) -> MeetingMail {
    let (when, place) = meeting_text(loaded);
    let m = &loaded.meeting;
    MeetingMail {
        kind,
        title: m.title.clone(),
        when,
        place,
        video_url: (!m.video_url.is_empty()).then(|| m.video_url.clone()),
        agenda: agenda
            .iter()
            .map(|a| {
                if a.time.is_empty() {
                    a.title.clone()
                } else {
                    format!("{} {}", a.time, a.title)
                }
            })
            .collect(),
        page_url: format!("{}/reunions/{}", state.config.base_url, m.id),
        answer_links: None,
        note: None,
        sent_by: sent_by.map(|p| (p.name.clone(), p.email.clone())),
        calendar: None,
    }
}

/// The iTIP calendar for one invitee: REQUEST (invitation, update) or CANCEL; `only` restricts
/// to one occurrence of a series (its original local start).
fn itip(
    state: &AppState,
    (loaded, agenda, changes): (&Loaded, &[agenda_item::Model], &[occurrence_change::Model]),
    invitee: &invitation::Model,
    method: Method,
    sent_by: Option<&person::Model>,
    only: Option<chrono::NaiveDateTime>,
) -> String {
    let sender = &state.mailer.sender;
    let organizer = Organizer {
        email: sender.organizer_email.clone(),
        name: sender.organizer_name.clone(),
        sent_by: sent_by.map(|p| p.email.clone()),
    };
    let attendee = Attendee {
        email: invitee.email.clone(),
        name: invitee.name.clone(),
        // A CANCEL asks nothing back (RFC 5546 §3.2.5).
        rsvp: method == Method::Request,
        partstat: partstat(&loaded.meeting, invitee).into(),
        role: "REQ-PARTICIPANT".into(),
    };
    let mut events = crate::calendar::events(
        loaded,
        agenda,
        changes,
        &state.config.base_url,
        false,
        &organizer,
    );
    let now = Utc::now();
    for event in &mut events {
        event.attendees = vec![attendee.clone()];
        event.dtstamp = now;
        if method == Method::Cancel {
            event.status = Status::Cancelled;
        }
    }
    if let Some(original) = only {
        let all_day = loaded.meeting.all_day;
        let target = if all_day {
            When::Date(original.date())
        } else {
            When::Local(original)
        };
        let length = meetings::schedule::duration(&loaded.meeting);
        let mut single = events.first().cloned().unwrap_or_default();
        single.rrule = None;
        single.exdates = Vec::new();
        single.recurrence_id = Some(target.clone());
        single.start = target;
        single.end = if all_day {
            When::Date((original + length).date())
        } else {
            When::Local(original + length)
        };
        single.status = Status::Cancelled;
        events = vec![single];
    }
    ics::write(&Calendar {
        name: loaded.meeting.title.clone(),
        description: None,
        method: Some(method),
        feed: false,
        events,
    })
}

/// The invitee's PARTSTAT: their answer, unless the date, time or place changed since they gave
/// it (`meeting.reconfirm_since`): then NEEDS-ACTION, so that their calendar asks again. The
/// answer itself stays recorded on the invitation.
fn partstat(meeting: &meeting::Model, invitee: &invitation::Model) -> &'static str {
    if !answered_since_change(meeting, invitee) {
        return "NEEDS-ACTION";
    }
    match invitee.answer.as_str() {
        "accepted" => "ACCEPTED",
        "tentative" => "TENTATIVE",
        "declined" => "DECLINED",
        _ => "NEEDS-ACTION",
    }
}

/// Whether the invitee's answer was given after the last significant change (always, when
/// there was none).
fn answered_since_change(meeting: &meeting::Model, invitee: &invitation::Model) -> bool {
    match (meeting.reconfirm_since, invitee.answered_at) {
        (None, _) => true,
        (Some(change), Some(answered)) => answered > change,
        (Some(_), None) => false,
    }
}

fn recipient(invitee: &invitation::Model) -> Recipient {
    Recipient {
        email: invitee.email.clone(),
        name: invitee.name.clone(),
        language: invitee.language.clone(),
    }
}

async fn enqueue_mail(
    txn: &impl ConnectionTrait,
    state: &AppState,
    kind: &str,
    meeting_id: i64,
    to: &Recipient,
    mail: &MeetingMail,
) -> Result<bool, DbErr> {
    match compose::compose(&state.mailer.sender, to, mail) {
        Ok(message) => {
            outbox::enqueue(
                txn,
                kind,
                Some(meeting_id),
                &to.email,
                &compose::subject_for(to, mail),
                &message,
            )
            .await?;
            Ok(true)
        }
        Err(problem) => {
            tracing::warn!(problème = %problem, "message non composé");
            Ok(false)
        }
    }
}

/// Invitations (METHOD:REQUEST), one message per invitee.
pub async fn send_invitations(
    txn: &impl ConnectionTrait,
    state: &AppState,
    loaded: &Loaded,
    invitees: &[invitation::Model],
    sent_by: Option<&person::Model>,
) -> Result<usize, DbErr> {
    let agenda = agenda_of(txn, loaded.meeting.id).await?;
    let changes = occurrence_change::Entity::find()
        .filter(occurrence_change::Column::MeetingId.eq(loaded.meeting.id))
        .all(txn)
        .await?;
    let mut sent = 0;
    for invitee in invitees {
        let mut mail = mail_for(state, loaded, &agenda, Kind::Invitation, sent_by);
        mail.answer_links = Some(answer_links(state, invitee.id, &loaded.meeting));
        mail.calendar = Some((
            itip(
                state,
                (loaded, &agenda, &changes),
                invitee,
                Method::Request,
                sent_by,
                None,
            ),
            Method::Request,
        ));
        if enqueue_mail(
            txn,
            state,
            "invitation",
            loaded.meeting.id,
            &recipient(invitee),
            &mail,
        )
        .await?
        {
            sent += 1;
        }
    }
    Ok(sent)
}

async fn invitees(
    txn: &impl ConnectionTrait,
    meeting_id: i64,
) -> Result<Vec<invitation::Model>, DbErr> {
    invitation::Entity::find()
        .filter(invitation::Column::MeetingId.eq(meeting_id))
        .order_by_asc(invitation::Column::Id)
        .all(txn)
        .await
}

/// After a change of time, place or status: an update (REQUEST, same UID, the new SEQUENCE)
/// to every invitee who has not declined.
pub async fn meeting_changed(
    txn: &impl ConnectionTrait,
    state: &AppState,
    loaded: &Loaded,
    what: &str,
    sent_by: Option<&person::Model>,
) -> Result<usize, DbErr> {
    let agenda = agenda_of(txn, loaded.meeting.id).await?;
    let changes = occurrence_change::Entity::find()
        .filter(occurrence_change::Column::MeetingId.eq(loaded.meeting.id))
        .all(txn)
        .await?;
    let mut sent = 0;
    for invitee in invitees(txn, loaded.meeting.id)
        .await?
        .iter()
        .filter(|i| i.answer != "declined")
    {
        let mut mail = mail_for(
            state,
            loaded,
            &agenda,
            Kind::Update {
                what: what.to_string(),
            },
            sent_by,
        );
        mail.answer_links = Some(answer_links(state, invitee.id, &loaded.meeting));
        mail.calendar = Some((
            itip(
                state,
                (loaded, &agenda, &changes),
                invitee,
                Method::Request,
                sent_by,
                None,
            ),
            Method::Request,
        ));
        if enqueue_mail(
            txn,
            state,
            "update",
            loaded.meeting.id,
            &recipient(invitee),
            &mail,
        )
        .await?
        {
            sent += 1;
        }
    }
    Ok(sent)
}

/// A cancellation (METHOD:CANCEL) of the whole meeting, or of one occurrence of a series.
pub async fn meeting_cancelled(
    txn: &impl ConnectionTrait,
    state: &AppState,
    loaded: &Loaded,
    occurrence: Option<chrono::NaiveDateTime>,
    sent_by: Option<&person::Model>,
) -> Result<usize, DbErr> {
    let agenda = agenda_of(txn, loaded.meeting.id).await?;
    let changes = occurrence_change::Entity::find()
        .filter(occurrence_change::Column::MeetingId.eq(loaded.meeting.id))
        .all(txn)
        .await?;
    let mut sent = 0;
    for invitee in invitees(txn, loaded.meeting.id).await? {
        let mut mail = mail_for(state, loaded, &agenda, Kind::Cancellation, sent_by);
        if let Some(original) = occurrence {
            mail.when = format!(
                "séance du {} (les autres dates sont maintenues)",
                crate::meetings::views::day_fr(original.date())
            );
        }
        mail.calendar = Some((
            itip(
                state,
                (loaded, &agenda, &changes),
                &invitee,
                Method::Cancel,
                sent_by,
                occurrence,
            ),
            Method::Cancel,
        ));
        if enqueue_mail(
            txn,
            state,
            "cancellation",
            loaded.meeting.id,
            &recipient(&invitee),
            &mail,
        )
        .await?
        {
            sent += 1;
        }
    }
    Ok(sent)
}

/// Registration notices (confirmed, waiting list, promoted), for people who want them.
pub async fn registration_notice(
    txn: &impl ConnectionTrait,
    state: &AppState,
    meeting_id: i64,
    person_id: i64,
    kind: Kind,
) -> Result<(), DbErr> {
    let Some(person) = person::Entity::find_by_id(person_id).one(txn).await? else {
        return Ok(());
    };
    if !person.notify_confirmations || !person.active {
        return Ok(());
    }
    let Some(m) = meeting::Entity::find_by_id(meeting_id).one(txn).await? else {
        return Ok(());
    };
    let loaded = Loaded {
        meeting: m,
        platform: None,
        group: None,
    };
    let agenda = agenda_of(txn, meeting_id).await?;
    let mail = mail_for(state, &loaded, &agenda, kind, None);
    let to = Recipient {
        email: person.email.clone(),
        name: person.name.clone(),
        language: person.language.clone(),
    };
    enqueue_mail(txn, state, "registration", meeting_id, &to, &mail).await?;
    Ok(())
}

/// "Minutes published" to the members of the meeting's platform (or group) who want it.
pub async fn minutes_published(
    txn: &impl ConnectionTrait,
    state: &AppState,
    loaded: &Loaded,
) -> Result<usize, DbErr> {
    let Some(platform) = &loaded.platform else {
        return Ok(0);
    };
    let members: Vec<i64> = platform_membership::Entity::find()
        .filter(platform_membership::Column::PlatformId.eq(platform.id))
        .all(txn)
        .await?
        .into_iter()
        .map(|m| m.person_id)
        .collect();
    let people = person::Entity::find()
        .filter(person::Column::Id.is_in(members))
        .filter(person::Column::Active.eq(true))
        .filter(person::Column::NotifyMinutes.eq(true))
        .all(txn)
        .await?;
    let agenda = agenda_of(txn, loaded.meeting.id).await?;
    let mut sent = 0;
    for p in people {
        let mut mail = mail_for(state, loaded, &agenda, Kind::MinutesPublished, None);
        mail.note = Some(loaded.meeting.minutes.chars().take(600).collect());
        let to = Recipient {
            email: p.email.clone(),
            name: p.name.clone(),
            language: p.language.clone(),
        };
        if enqueue_mail(txn, state, "minutes", loaded.meeting.id, &to, &mail).await? {
            sent += 1;
        }
    }
    Ok(sent)
}

/// A reminder to invitees who have not answered (once).
pub async fn answer_reminders(
    txn: &impl ConnectionTrait,
    state: &AppState,
    loaded: &Loaded,
) -> Result<usize, DbErr> {
    let agenda = agenda_of(txn, loaded.meeting.id).await?;
    let mut sent = 0;
    for invitee in invitees(txn, loaded.meeting.id)
        .await?
        .iter()
        .filter(|i| i.answer == "pending")
    {
        let mut mail = mail_for(state, loaded, &agenda, Kind::AnswerReminder, None);
        mail.answer_links = Some(answer_links(state, invitee.id, &loaded.meeting));
        if enqueue_mail(
            txn,
            state,
            "answer-reminder",
            loaded.meeting.id,
            &recipient(invitee),
            &mail,
        )
        .await?
        {
            sent += 1;
        }
    }
    let mut model: meeting::ActiveModel = loaded.meeting.clone().into();
    model.answer_reminder_sent_at = Set(Some(Utc::now()));
    model.update(txn).await?;
    Ok(sent)
}

/// Reminders before meetings (to those who registered or accepted, who want them), and the
/// automatic reminders to invitees who have not answered. Each is sent once.
pub async fn due_reminders(db: &DatabaseConnection, state: &AppState) -> Result<(), DbErr> {
    let now = Utc::now();
    let soon = meeting::Entity::find()
        .filter(meeting::Column::Status.eq("scheduled"))
        .filter(meeting::Column::Rrule.is_null())
        .filter(meeting::Column::StartsAt.gt(now))
        .filter(meeting::Column::StartsAt.lt(now + Duration::days(31)))
        .all(db)
        .await?;
    for m in soon {
        let due = m.reminder_days > 0
            && m.reminder_sent_at.is_none()
            && m.starts_at - Duration::days(i64::from(m.reminder_days)) <= now;
        let answer_due = m.answer_reminder_sent_at.is_none()
            && m.answer_reminder_days
                .is_some_and(|d| m.starts_at - Duration::days(i64::from(d)) <= now);
        if !due && !answer_due {
            continue;
        }
        let loaded = meetings::attach(state, vec![m.clone()])
            .await
            .map_err(|e| DbErr::Custom(e.to_string()))?
            .pop();
        let Some(loaded) = loaded else { continue };
        let txn = crate::db::begin_write(db).await?;
        // Claim each reminder with a conditional update, so that two instances never both send it.
        let claim = |column: meeting::Column| {
            meeting::Entity::update_many()
                .col_expr(column, sea_orm::sea_query::Expr::value(Some(now)))
                .filter(meeting::Column::Id.eq(m.id))
                .filter(column.is_null())
        };
        if answer_due
            && claim(meeting::Column::AnswerReminderSentAt)
                .exec(&txn)
                .await?
                .rows_affected
                == 1
        {
            answer_reminders(&txn, state, &loaded).await?;
        }
        if due
            && claim(meeting::Column::ReminderSentAt)
                .exec(&txn)
                .await?
                .rows_affected
                == 1
        {
            let agenda = agenda_of(&txn, m.id).await?;
            let registered: Vec<i64> = registration::Entity::find()
                .filter(registration::Column::MeetingId.eq(m.id))
                .filter(registration::Column::Status.eq("confirmed"))
                .all(&txn)
                .await?
                .into_iter()
                .map(|r| r.person_id)
                .collect();
            let accepted: Vec<invitation::Model> = invitation::Entity::find()
                .filter(invitation::Column::MeetingId.eq(m.id))
                .filter(invitation::Column::Answer.eq("accepted"))
                .all(&txn)
                .await?;
            let people = person::Entity::find()
                .filter(person::Column::Id.is_in(registered.clone()))
                .all(&txn)
                .await?;
            let mut seen = std::collections::BTreeSet::new();
            let mut recipients: Vec<Recipient> = Vec::new();
            for p in people.iter().filter(|p| p.active && p.notify_reminders) {
                if seen.insert(p.email_normalized.clone()) {
                    recipients.push(Recipient {
                        email: p.email.clone(),
                        name: p.name.clone(),
                        language: p.language.clone(),
                    });
                }
            }
            for i in &accepted {
                let wants = match i.person_id {
                    Some(pid) => person::Entity::find_by_id(pid)
                        .one(&txn)
                        .await?
                        .is_none_or(|p| p.notify_reminders),
                    None => true,
                };
                if wants && seen.insert(i.email_normalized.clone()) {
                    recipients.push(recipient(i));
                }
            }
            for to in &recipients {
                let mut mail = mail_for(state, &loaded, &agenda, Kind::Reminder, None);
                mail.note = (!m.reminder_text.is_empty()).then(|| m.reminder_text.clone());
                enqueue_mail(&txn, state, "reminder", m.id, to, &mail).await?;
            }
            // Nobody to remind yet (a meeting just created): leave it for a later pass.
            if recipients.is_empty() {
                continue;
            }
        }
        txn.commit().await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::ctx::Keys;

    #[test]
    fn answer_tokens_work_until_they_expire_and_only_as_signed() {
        let keys = Keys::new(b"0123456789abcdef0123456789abcdef".to_vec());
        let token = sign_token(&keys, 42, 1_000);
        assert_eq!(verify_token_at(&keys, &token, 999), Some(42));
        assert_eq!(verify_token_at(&keys, &token, 1_001), None, "expired");
        let other = Keys::new(b"another secret, another server!!".to_vec());
        assert_eq!(
            verify_token_at(&other, &token, 999),
            None,
            "signed elsewhere"
        );
        let tampered = token.replacen("42.", "43.", 1);
        assert_eq!(
            verify_token_at(&keys, &tampered, 999),
            None,
            "another invitation"
        );
        let extended = token.replacen(".1000.", ".9999.", 1);
        assert_eq!(
            verify_token_at(&keys, &extended, 999),
            None,
            "a longer life"
        );
        assert_eq!(verify_token_at(&keys, "n'importe quoi", 0), None);
    }
}

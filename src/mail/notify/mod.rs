//! What the app tells people by email, composed from a meeting and written to the outbox inside
//! the caller's transaction: invitations and their updates and cancellations (with iTIP
//! calendar parts), registration notices, reminders, "minutes published".

mod itip;
mod links;
mod reminders;
pub mod sessions;
#[cfg(test)]
mod tests;

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

use super::compose::{self, Kind, MeetingMail, Recipient};
use super::outbox;
use crate::calendar::ics::Method;
use crate::entities::invitation::Answer;
use crate::entities::outbox_message::OutboxKind;
use crate::entities::{
    agenda_item, invitation, occurrence, occurrence_change, person, platform_membership,
};
use crate::events::Change;
use crate::mail::MailContext;
use crate::meetings::views::when_fr;
use crate::meetings::{self, Loaded};

pub use links::{answer_links, sign_token, verify_token, verify_token_at};
pub use reminders::{answer_reminders, due_reminders};
pub use sessions::Session;

/// When and where, in French. A series whose stored rule cannot be read is an error naming it.
fn meeting_text(loaded: &Loaded) -> Result<(String, Option<String>), DbErr> {
    let m = &loaded.meeting;
    let (start, end) = (m.start_local.naive(), m.end_local.naive());
    let when = match meetings::schedule::rule_of(m)? {
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
    Ok((when, (!place.is_empty()).then_some(place)))
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
    context: &MailContext,
    loaded: &Loaded,
    agenda: &[agenda_item::Model],
    kind: Kind,
    sent_by: Option<&person::Model>,
) -> Result<MeetingMail, DbErr> {
    let (when, place) = meeting_text(loaded)?;
    let m = &loaded.meeting;
    Ok(MeetingMail {
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
        page_url: format!("{}/reunions/{}", context.base_url, m.id),
        answer_links: None,
        note: None,
        sent_by: sent_by.map(|p| (p.name.clone(), p.email.clone())),
        calendar: None,
    })
}

fn recipient(invitee: &invitation::Model) -> Recipient {
    Recipient {
        email: invitee.email.clone(),
        name: invitee.name.clone(),
        language: invitee.language,
    }
}

async fn enqueue_mail(
    txn: &impl ConnectionTrait,
    context: &MailContext,
    kind: OutboxKind,
    meeting_id: i64,
    to: &Recipient,
    mail: &MeetingMail,
) -> Result<bool, DbErr> {
    match compose::compose(&context.mailer.sender, to, mail) {
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

/// A message with an iTIP calendar to each invitee: the three kinds differ only in what they
/// say and which method their calendar carries.
#[derive(Clone, Copy, Debug)]
enum ToInvitees<'a> {
    /// METHOD:REQUEST, with answer links.
    Invitation,
    /// METHOD:REQUEST (same UID, the new SEQUENCE), with answer links; `what` changed. `only`:
    /// the one session of a series the change is about (moved, or back at its own date): the
    /// update carries that session alone (its RECURRENCE-ID), not the whole series.
    Update {
        what: &'a str,
        only: Option<chrono::NaiveDateTime>,
    },
    /// METHOD:CANCEL of the whole meeting, or of one occurrence of a series (its original local
    /// start).
    Cancellation {
        occurrence: Option<chrono::NaiveDateTime>,
    },
}

impl ToInvitees<'_> {
    fn kind(self) -> Kind {
        match self {
            ToInvitees::Invitation => Kind::Invitation,
            ToInvitees::Update { what, .. } => Kind::Update {
                what: what.to_string(),
            },
            ToInvitees::Cancellation { .. } => Kind::Cancellation,
        }
    }

    /// The outbox row's kind.
    fn label(self) -> OutboxKind {
        match self {
            ToInvitees::Invitation => OutboxKind::Invitation,
            ToInvitees::Update { .. } => OutboxKind::Update,
            ToInvitees::Cancellation { .. } => OutboxKind::Cancellation,
        }
    }
}

/// One message per invitee, each with their own calendar (their PARTSTAT) and, for a REQUEST,
/// their own answer links. An invitee to one session of a series hears of that session only
/// (its UID + RECURRENCE-ID, its date in the text); a cancellation of one session goes to those
/// invited to the whole series and to those invited to that session. No REQUEST is sent about a
/// cancelled session (its CANCEL was). Returns how many were written to the outbox.
async fn to_invitees(
    txn: &impl ConnectionTrait,
    context: &MailContext,
    loaded: &Loaded,
    invitees: &[invitation::Model],
    message: ToInvitees<'_>,
    sent_by: Option<&person::Model>,
) -> Result<usize, DbErr> {
    let agenda = agenda_of(txn, loaded.meeting.id).await?;
    let changes = occurrence_change::Entity::find()
        .filter(occurrence_change::Column::MeetingId.eq(loaded.meeting.id))
        .all(txn)
        .await?;
    let (method, only) = match message {
        ToInvitees::Invitation => (Method::Request, None),
        ToInvitees::Update { only, .. } => (Method::Request, only),
        ToInvitees::Cancellation { occurrence } => (Method::Cancel, occurrence),
    };
    let sessions = sessions::of_invitations(txn, invitees).await?;
    let all_day = loaded.meeting.all_day;
    // The one session the message is about, as it now is (at its original times when the index
    // has no row for it: a cancelled date far ahead).
    let only = match only {
        None => None,
        Some(original) => Some(
            match sessions::row_at(txn, loaded.meeting.id, original).await? {
                Some(row) => Session {
                    cancelled: row.cancelled || method == Method::Cancel,
                    ..Session::of(&row)
                },
                None => Session {
                    original,
                    start: original,
                    end: original + meetings::schedule::duration(&loaded.meeting),
                    cancelled: method == Method::Cancel,
                },
            },
        ),
    };
    let mut sent = 0;
    for invitee in invitees {
        let session = match (invitee.occurrence_id, only) {
            (Some(id), _) => match sessions.get(&id) {
                Some(session) => Some(*session),
                None => {
                    return Err(DbErr::Custom(format!(
                        "invitation {} : séance {id} introuvable",
                        invitee.id
                    )));
                }
            },
            (None, only) => only,
        };
        if let (Some(only), Some(session)) = (only, session)
            && session.original != only.original
        {
            continue;
        }
        if method == Method::Request && session.is_some_and(|s| s.cancelled) {
            continue;
        }
        let mut mail = mail_for(context, loaded, &agenda, message.kind(), sent_by)?;
        if method == Method::Request {
            mail.answer_links = Some(answer_links(context, invitee.id, &loaded.meeting));
        }
        match (invitee.occurrence_id, session) {
            (Some(_), Some(session)) => {
                mail.when = session.when_fr(all_day);
                mail.page_url = session.page_url(&context.base_url, loaded.meeting.id);
            }
            (None, Some(session)) => {
                mail.when = format!(
                    "{} (les autres dates sont maintenues)",
                    session.when_fr(all_day)
                );
                mail.page_url = session.page_url(&context.base_url, loaded.meeting.id);
            }
            _ => {}
        }
        let calendar = itip::calendar(
            context,
            (loaded, &agenda, &changes),
            invitee,
            method,
            sent_by,
            session,
        )?;
        mail.calendar = Some((calendar, method));
        let to = recipient(invitee);
        if enqueue_mail(txn, context, message.label(), loaded.meeting.id, &to, &mail).await? {
            sent += 1;
        }
    }
    Ok(sent)
}

/// Invitations (METHOD:REQUEST), one message per invitee.
pub async fn send_invitations(
    txn: &impl ConnectionTrait,
    context: &MailContext,
    loaded: &Loaded,
    invitees: &[invitation::Model],
    sent_by: Option<&person::Model>,
) -> Result<usize, DbErr> {
    let message = ToInvitees::Invitation;
    to_invitees(txn, context, loaded, invitees, message, sent_by).await
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
/// to every invitee who has not declined. Those invited to one session hear of a change of the
/// whole series, or of their own session; not of another session moved.
pub async fn meeting_changed(
    txn: &impl ConnectionTrait,
    context: &MailContext,
    loaded: &Loaded,
    (what, changes): (&str, &[Change]),
    sent_by: Option<&person::Model>,
) -> Result<usize, DbErr> {
    let mut listed = invitees(txn, loaded.meeting.id).await?;
    listed.retain(|i| i.answer != Answer::Declined);
    let sessions = sessions::of_invitations(txn, &listed).await?;
    listed.retain(|i| match i.occurrence_id.and_then(|id| sessions.get(&id)) {
        None => true,
        Some(session) => concerns(changes, session.original),
    });
    let message = ToInvitees::Update {
        what,
        only: one_session(changes),
    };
    to_invitees(txn, context, loaded, &listed, message, sent_by).await
}

/// The one session `changes` are about, when they are all about the same session (moved, or
/// back at its own date); None when they concern the whole meeting.
fn one_session(changes: &[Change]) -> Option<chrono::NaiveDateTime> {
    let mut sessions = changes.iter().map(|change| match change {
        Change::OccurrenceMoved { original } | Change::OccurrenceRestored { original } => {
            Some(*original)
        }
        Change::Schedule | Change::Place | Change::VideoLink | Change::Series => None,
    });
    let first = sessions.next()??;
    sessions.all(|s| s == Some(first)).then_some(first)
}

/// Whether `changes` concern the session first planned at `original`: a change of the whole
/// meeting (or one without a name) does; one session moved or restored concerns that one only.
fn concerns(changes: &[Change], original: chrono::NaiveDateTime) -> bool {
    changes.is_empty()
        || changes.iter().any(|change| match change {
            Change::Schedule | Change::Place | Change::VideoLink | Change::Series => true,
            Change::OccurrenceMoved { original: o }
            | Change::OccurrenceRestored { original: o } => *o == original,
        })
}

/// A cancellation (METHOD:CANCEL) of the whole meeting, or of one occurrence of a series.
pub async fn meeting_cancelled(
    txn: &impl ConnectionTrait,
    context: &MailContext,
    loaded: &Loaded,
    occurrence: Option<chrono::NaiveDateTime>,
    sent_by: Option<&person::Model>,
) -> Result<usize, DbErr> {
    let listed = invitees(txn, loaded.meeting.id).await?;
    let message = ToInvitees::Cancellation { occurrence };
    to_invitees(txn, context, loaded, &listed, message, sent_by).await
}

/// Registration notices (confirmed, waiting list, promoted), for people who want them. About one
/// session of a series (`session`: its original local start), the text names that session and
/// the message carries its calendar (PUBLISH, the series' UID and the session's RECURRENCE-ID).
pub async fn registration_notice(
    txn: &impl ConnectionTrait,
    context: &MailContext,
    (meeting_id, session): (i64, Option<chrono::NaiveDateTime>),
    person_id: i64,
    kind: Kind,
) -> Result<(), DbErr> {
    let Some(person) = person::Entity::find_by_id(person_id).one(txn).await? else {
        return Ok(());
    };
    if !person.notify_confirmations || !person.active {
        return Ok(());
    }
    let Some(loaded) = meetings::load_in(txn, meeting_id).await? else {
        return Ok(());
    };
    let agenda = agenda_of(txn, meeting_id).await?;
    let mut mail = mail_for(context, &loaded, &agenda, kind, None)?;
    if let Some(original) = session {
        about_session(txn, context, (&loaded, &agenda), original, &mut mail).await?;
    }
    let to = Recipient {
        email: person.email.clone(),
        name: person.name.clone(),
        language: person.language,
    };
    enqueue_mail(
        txn,
        context,
        OutboxKind::Registration,
        meeting_id,
        &to,
        &mail,
    )
    .await?;
    Ok(())
}

/// Turns `mail` about a series into a mail about its session first planned at `original`: its
/// date in the text, its page, its calendar (PUBLISH). Returns the session's row as the index
/// holds it. A session the index does not know is an error naming it.
async fn about_session(
    txn: &impl ConnectionTrait,
    context: &MailContext,
    (loaded, agenda): (&Loaded, &[agenda_item::Model]),
    original: chrono::NaiveDateTime,
    mail: &mut MeetingMail,
) -> Result<occurrence::Model, DbErr> {
    let m = &loaded.meeting;
    let row = sessions::row_at(txn, m.id, original)
        .await?
        .ok_or_else(|| {
            DbErr::Custom(format!(
                "réunion {} : séance du {original} absente de l'index",
                m.id
            ))
        })?;
    let session = Session::of(&row);
    let changes = occurrence_change::Entity::find()
        .filter(occurrence_change::Column::MeetingId.eq(m.id))
        .all(txn)
        .await?;
    mail.when = session.when_fr(m.all_day);
    mail.page_url = session.page_url(&context.base_url, m.id);
    let calendar = itip::published_session(context, (loaded, agenda, &changes), session)?;
    mail.calendar = Some((calendar, Method::Publish));
    Ok(row)
}

/// "Minutes published" to the members of the meeting's platform (or group) who want it; about
/// one session of a series (`session`), its own minutes, its date and its calendar.
pub async fn minutes_published(
    txn: &impl ConnectionTrait,
    context: &MailContext,
    loaded: &Loaded,
    session: Option<chrono::NaiveDateTime>,
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
    let mut template = mail_for(context, loaded, &agenda, Kind::MinutesPublished, None)?;
    let minutes = match session {
        Some(original) => {
            about_session(txn, context, (loaded, &agenda), original, &mut template)
                .await?
                .minutes
        }
        None => loaded.meeting.minutes.clone(),
    };
    template.note = Some(minutes.chars().take(600).collect());
    let mut sent = 0;
    for p in people {
        let to = Recipient {
            email: p.email.clone(),
            name: p.name.clone(),
            language: p.language,
        };
        if enqueue_mail(
            txn,
            context,
            OutboxKind::Minutes,
            loaded.meeting.id,
            &to,
            &template,
        )
        .await?
        {
            sent += 1;
        }
    }
    Ok(sent)
}

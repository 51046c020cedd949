//! Reminders: before a meeting to those who registered or accepted, and to invitees who have not
//! answered; each sent once, claimed by a conditional update.

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, Set,
};

use super::{agenda_of, answer_links, enqueue_mail, invitees, mail_for, recipient};
use crate::entities::invitation::Answer;
use crate::entities::meeting::MeetingStatus;
use crate::entities::outbox_message::OutboxKind;
use crate::entities::registration::RegistrationStatus;
use crate::entities::{invitation, meeting, person, registration};
use crate::mail::MailContext;
use crate::mail::compose::{Kind, Recipient};
use crate::meetings::{self, Loaded};
use crate::state::AppState;

/// A reminder to invitees who have not answered (once).
pub async fn answer_reminders(
    txn: &impl ConnectionTrait,
    context: &MailContext,
    loaded: &Loaded,
) -> Result<usize, DbErr> {
    let agenda = agenda_of(txn, loaded.meeting.id).await?;
    let mut sent = 0;
    let listed = invitees(txn, loaded.meeting.id).await?;
    let sessions = super::sessions::of_invitations(txn, &listed).await?;
    let now = meetings::now_local();
    for invitee in listed.iter().filter(|i| i.answer == Answer::Pending) {
        let mut mail = mail_for(context, loaded, &agenda, Kind::AnswerReminder, None)?;
        mail.answer_links = Some(answer_links(context, invitee.id, &loaded.meeting));
        // An invitee to one session is reminded of that session, unless it is over or off.
        if let Some(session) = invitee.occurrence_id.and_then(|id| sessions.get(&id)) {
            if session.cancelled || session.end < now {
                continue;
            }
            mail.when = session.when_fr(loaded.meeting.all_day);
            mail.page_url = session.page_url(&context.base_url, loaded.meeting.id);
        }
        if enqueue_mail(
            txn,
            context,
            OutboxKind::AnswerReminder,
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
    let context = &MailContext::of(state);
    let now = Utc::now();
    let soon = meeting::Entity::find()
        .filter(meeting::Column::Status.eq(MeetingStatus::Scheduled))
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
            answer_reminders(&txn, context, &loaded).await?;
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
                .filter(registration::Column::Status.eq(RegistrationStatus::Confirmed))
                .all(&txn)
                .await?
                .into_iter()
                .map(|r| r.person_id)
                .collect();
            let accepted: Vec<invitation::Model> = invitation::Entity::find()
                .filter(invitation::Column::MeetingId.eq(m.id))
                .filter(invitation::Column::Answer.eq(Answer::Accepted))
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
                        language: p.language,
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
                let mut mail = mail_for(context, &loaded, &agenda, Kind::Reminder, None)?;
                mail.note = (!m.reminder_text.is_empty()).then(|| m.reminder_text.clone());
                enqueue_mail(&txn, context, OutboxKind::Reminder, m.id, to, &mail).await?;
            }
            // Nobody to remind yet (a meeting just created): the claim is undone, for a later
            // pass.
            if recipients.is_empty() {
                txn.rollback().await?;
                continue;
            }
        }
        txn.commit().await?;
    }
    Ok(())
}

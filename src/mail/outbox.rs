//! The outbox: messages are written here in the transaction of the change that causes them, then
//! claimed by a worker under a lease (FOR UPDATE SKIP LOCKED on PostgreSQL, so two instances never
//! take the same message; SQLite serialises writers), sent, and marked. A temporary failure waits
//! with exponential backoff; a permanent one is recorded for the coordinator. A process killed
//! mid-send leaves its lease to expire: the message is sent at most once more, never dropped.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr,
    EntityTrait, QueryFilter, Set, Statement,
};

use super::{Failure, Mailer};
use crate::entities::outbox_message::{self, OutboxKind, OutboxStatus};

/// How long a claim lasts before another worker may take the message again.
pub const LEASE_SECS: i64 = 120;
/// Temporary failures are retried this many times before the message is marked failed.
pub const MAX_ATTEMPTS: i32 = 10;
const BATCH: i64 = 20;

/// Writes one message to send. Call it inside the transaction that makes the change.
pub async fn enqueue(
    txn: &impl ConnectionTrait,
    kind: OutboxKind,
    meeting_id: Option<i64>,
    recipient: &str,
    subject: &str,
    message: &lettre::Message,
) -> Result<(), DbErr> {
    let bytes = message.formatted();
    outbox_message::ActiveModel {
        kind: Set(kind),
        meeting_id: Set(meeting_id),
        recipient: Set(recipient.to_string()),
        subject: Set(subject.to_string()),
        message: Set(String::from_utf8_lossy(&bytes).into_owned()),
        status: Set(OutboxStatus::Pending),
        attempts: Set(0),
        next_attempt_at: Set(Utc::now()),
        lease_until: Set(None),
        claimed_by: Set(None),
        last_error: Set(String::new()),
        created_at: Set(Utc::now()),
        sent_at: Set(None),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Claims up to a batch of due messages for this worker; returns them.
pub async fn claim(
    db: &DatabaseConnection,
    worker: &str,
) -> Result<Vec<outbox_message::Model>, DbErr> {
    let now = Utc::now();
    let lease = now + chrono::Duration::seconds(LEASE_SECS);
    let backend = db.get_database_backend();
    // 'pending' and 'sending' are `OutboxStatus::Pending` and `OutboxStatus::Sending` as stored.
    let sql = match backend {
        DbBackend::Postgres => {
            "UPDATE outbox SET status = 'sending', lease_until = $1, claimed_by = $2, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM outbox \
               WHERE (status = 'pending' AND next_attempt_at <= $3) OR (status = 'sending' AND lease_until < $3) \
               ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED) RETURNING id"
        }
        _ => {
            "UPDATE outbox SET status = 'sending', lease_until = ?, claimed_by = ?, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM outbox \
               WHERE (status = 'pending' AND next_attempt_at <= ?) OR (status = 'sending' AND lease_until < ?) \
               ORDER BY id LIMIT ?) RETURNING id"
        }
    };
    let values: Vec<sea_orm::Value> = match backend {
        DbBackend::Postgres => vec![lease.into(), worker.into(), now.into(), BATCH.into()],
        _ => vec![
            lease.into(),
            worker.into(),
            now.into(),
            now.into(),
            BATCH.into(),
        ],
    };
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    let ids: Vec<i64> = rows
        .iter()
        .filter_map(|r| r.try_get::<i64>("", "id").ok())
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    outbox_message::Entity::find()
        .filter(outbox_message::Column::Id.is_in(ids))
        .filter(outbox_message::Column::ClaimedBy.eq(worker))
        .filter(outbox_message::Column::Status.eq(OutboxStatus::Sending))
        .all(db)
        .await
}

fn backoff(base: u64, attempts: i32) -> chrono::Duration {
    let exponent = u32::try_from(attempts.clamp(1, 12) - 1).unwrap_or(0);
    let secs = base.saturating_mul(2u64.saturating_pow(exponent)).min(3600);
    chrono::Duration::seconds(i64::try_from(secs).unwrap_or(3600))
}

/// Marks the outcome, only if this worker still holds the message.
async fn settle(
    db: &DatabaseConnection,
    mailer: &Mailer,
    message: outbox_message::Model,
    outcome: Result<(), Failure>,
) -> Result<(), DbErr> {
    let attempts = message.attempts;
    let id = message.id;
    let mut model: outbox_message::ActiveModel = message.into();
    match outcome {
        Ok(()) => {
            model.status = Set(OutboxStatus::Sent);
            model.sent_at = Set(Some(Utc::now()));
            model.last_error = Set(String::new());
            mailer.set_health(None);
            tracing::info!(message = id, "courriel envoyé");
        }
        Err(Failure::Permanent(error)) => {
            model.status = Set(OutboxStatus::Failed);
            model.last_error = Set(error.chars().take(500).collect());
            tracing::warn!(message = id, "courriel refusé définitivement");
        }
        Err(Failure::Temporary(error)) => {
            if attempts >= MAX_ATTEMPTS {
                model.status = Set(OutboxStatus::Failed);
            } else {
                model.status = Set(OutboxStatus::Pending);
                model.next_attempt_at = Set(Utc::now() + backoff(mailer.retry_secs, attempts));
            }
            mailer.set_health(Some(error.clone()));
            model.last_error = Set(error.chars().take(500).collect());
            tracing::warn!(message = id, tentatives = attempts, "envoi reporté");
        }
    }
    model.lease_until = Set(None);
    model.update(db).await?;
    Ok(())
}

/// One pass: claim what is due and send it. Returns how many were handled.
pub async fn run_once(db: &DatabaseConnection, mailer: &Mailer) -> Result<usize, DbErr> {
    let batch = claim(db, &mailer.worker_id).await?;
    let count = batch.len();
    for message in batch {
        let outcome = mailer
            .deliver(
                message.id,
                message.kind,
                &message.recipient,
                &message.message,
            )
            .await;
        settle(db, mailer, message, outcome).await?;
    }
    Ok(count)
}

/// One full pass of the worker, as its loop below makes between two waits: everything due is
/// sent, then reminders that fell due are queued. Public so that a caller (the test suite) can
/// drive the worker itself and wait for mail without sleeping; it is safe beside the running
/// worker, since messages and reminders are claimed. Returns how many messages were handled.
pub async fn pass(state: &crate::state::AppState) -> Result<usize, DbErr> {
    let mut handled = 0;
    loop {
        let count = run_once(&state.db, &state.mailer).await?;
        if count == 0 {
            break;
        }
        handled += count;
    }
    super::notify::due_reminders(&state.db, state).await?;
    Ok(handled)
}

/// The worker: runs until the app stops.
pub fn spawn(state: crate::state::AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let db = state.db.clone();
        let mailer: Arc<Mailer> = state.mailer.clone();
        mailer.check().await;
        loop {
            match run_once(&db, &mailer).await {
                Ok(n) if n > 0 => continue,
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "file des courriels"),
            }
            if let Err(e) = super::notify::due_reminders(&db, &state).await {
                tracing::error!(error = %e, "rappels");
            }
            tokio::select! {
                _ = mailer.wake.notified() => {},
                _ = tokio::time::sleep(Duration::from_millis(mailer.poll_ms)) => {},
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially_up_to_an_hour() {
        assert_eq!(backoff(30, 1).num_seconds(), 30);
        assert_eq!(backoff(30, 2).num_seconds(), 60);
        assert_eq!(backoff(30, 4).num_seconds(), 240);
        assert_eq!(backoff(30, 12).num_seconds(), 3600);
    }
}

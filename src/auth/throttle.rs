//! Limits on failed sign-ins. Failures are counted per (account, address): past a few, each
//! further attempt from that address waits longer (1 minute, then 2, 4, … up to an hour), so
//! nobody can lock the owner out from elsewhere. Each address also has a global cap over all
//! accounts. An attempt is reserved (its row written as a failure) before the password is
//! checked, under a lock per address, so simultaneous attempts cannot all pass the count.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set, Statement,
};
use sha2::{Digest, Sha256};

use crate::entities::login_attempt;

/// Failures of one account from one address before attempts are spaced out.
pub const FREE_FAILURES: u64 = 5;
/// Failures from one address, all accounts together, in `ADDRESS_WINDOW_MINUTES`.
pub const MAX_FAILURES_PER_ADDRESS: u64 = 20;
pub const ADDRESS_WINDOW_MINUTES: i64 = 15;
/// How long failures are remembered (older attempts are deleted).
pub const MEMORY_HOURS: i64 = 24;
const FIRST_DELAY_MINUTES: i64 = 1;
const LONGEST_DELAY_MINUTES: i64 = 60;

/// Why an attempt is refused before its password is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Too many failures from this address, whatever the account.
    Address { retry_after: Duration },
    /// Too many failures of this account from this address: wait before the next one.
    Account { retry_after: Duration },
}

impl Refusal {
    pub fn retry_after(&self) -> Duration {
        match self {
            Self::Address { retry_after } | Self::Account { retry_after } => *retry_after,
        }
    }
}

/// The wait after `failures` failures of an account from one address, if any.
pub fn delay_after(failures: u64) -> Option<Duration> {
    let extra = failures.checked_sub(FREE_FAILURES)?;
    // Past 2^16 minutes the cap applies anyway; clamping the shift keeps the factor positive
    // (1 << 63 would be negative).
    let factor = 1_i64 << extra.min(16);
    let minutes = FIRST_DELAY_MINUTES
        .saturating_mul(factor)
        .min(LONGEST_DELAY_MINUTES);
    Some(Duration::minutes(minutes))
}

/// What the counts say about a new attempt.
pub fn decide(
    pair_failures: u64,
    last_pair_failure: Option<DateTime<Utc>>,
    address_failures: u64,
    now: DateTime<Utc>,
) -> Result<(), Refusal> {
    if address_failures >= MAX_FAILURES_PER_ADDRESS {
        return Err(Refusal::Address {
            retry_after: Duration::minutes(ADDRESS_WINDOW_MINUTES),
        });
    }
    if let (Some(delay), Some(last)) = (delay_after(pair_failures), last_pair_failure) {
        let allowed_at = last + delay;
        if now < allowed_at {
            return Err(Refusal::Account {
                retry_after: allowed_at - now,
            });
        }
    }
    Ok(())
}

/// A lock key per address: attempts from one address wait for each other while counting.
fn lock_key(address: &str) -> i64 {
    let digest = Sha256::digest(format!("maillage-connexion\0{address}").as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(bytes)
}

/// Counts, decides and, if allowed, writes the attempt as a failure; returns its id, to be marked
/// a success once the password is right.
pub async fn reserve(
    db: &DatabaseConnection,
    email: &str,
    address: &str,
) -> Result<Result<i64, Refusal>, sea_orm::DbErr> {
    // On SQLite this takes the database's write lock at once; on PostgreSQL a lock per address
    // held until commit.
    let txn = crate::db::begin_write(db).await?;
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1)",
            [lock_key(address).into()],
        ))
        .await?;
    }
    let now = Utc::now();
    let pair = || {
        login_attempt::Entity::find()
            .filter(login_attempt::Column::EmailNormalized.eq(email))
            .filter(login_attempt::Column::Ip.eq(address))
    };
    let last_success = pair()
        .filter(login_attempt::Column::Succeeded.eq(true))
        .order_by_desc(login_attempt::Column::AttemptedAt)
        .one(&txn)
        .await?
        .map(|a| a.attempted_at);
    let since = last_success
        .unwrap_or(now - Duration::hours(MEMORY_HOURS))
        .max(now - Duration::hours(MEMORY_HOURS));
    let pair_failures = pair()
        .filter(login_attempt::Column::Succeeded.eq(false))
        .filter(login_attempt::Column::AttemptedAt.gt(since));
    let last_pair_failure = pair_failures
        .clone()
        .order_by_desc(login_attempt::Column::AttemptedAt)
        .one(&txn)
        .await?
        .map(|a| a.attempted_at);
    let pair_count = pair_failures.count(&txn).await?;
    let address_count = login_attempt::Entity::find()
        .filter(login_attempt::Column::Ip.eq(address))
        .filter(login_attempt::Column::Succeeded.eq(false))
        .filter(
            login_attempt::Column::AttemptedAt.gt(now - Duration::minutes(ADDRESS_WINDOW_MINUTES)),
        )
        .count(&txn)
        .await?;
    if let Err(refusal) = decide(pair_count, last_pair_failure, address_count, now) {
        txn.rollback().await?;
        return Ok(Err(refusal));
    }
    let id = login_attempt::Entity::insert(login_attempt::ActiveModel {
        email_normalized: Set(email.to_string()),
        ip: Set(address.to_string()),
        succeeded: Set(false),
        attempted_at: Set(now),
        ..Default::default()
    })
    .exec(&txn)
    .await?
    .last_insert_id;
    txn.commit().await?;
    Ok(Ok(id))
}

/// The reserved attempt turned out right.
pub async fn succeeded(db: &impl ConnectionTrait, attempt_id: i64) -> Result<(), sea_orm::DbErr> {
    login_attempt::Entity::update_many()
        .col_expr(login_attempt::Column::Succeeded, Expr::value(true))
        .filter(login_attempt::Column::Id.eq(attempt_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Attempts older than the memory go (cheap, bounded: run at each sign-in).
pub async fn forget_old(db: &impl ConnectionTrait) -> Result<(), sea_orm::DbErr> {
    login_attempt::Entity::delete_many()
        .filter(login_attempt::Column::AttemptedAt.lt(Utc::now() - Duration::hours(MEMORY_HOURS)))
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_start_after_five_failures_and_grow_up_to_an_hour() {
        let delays: Vec<_> = (0..14)
            .map(|n| delay_after(n).map(|d| d.num_minutes()))
            .collect();
        assert_eq!(
            delays,
            [
                None,
                None,
                None,
                None,
                None,
                Some(1),
                Some(2),
                Some(4),
                Some(8),
                Some(16),
                Some(32),
                Some(60),
                Some(60),
                Some(60)
            ]
        );
        assert_eq!(delay_after(u64::MAX).map(|d| d.num_minutes()), Some(60));
        // 1 << 63 is negative: the shift is clamped so that no count gives a wait below the cap.
        for failures in FREE_FAILURES + 60..FREE_FAILURES + 66 {
            assert_eq!(delay_after(failures).map(|d| d.num_minutes()), Some(60));
        }
    }

    #[test]
    fn an_attempt_waits_for_the_delay_since_the_last_failure() {
        let now = Utc::now();
        assert_eq!(decide(4, Some(now), 4, now), Ok(()));
        assert_eq!(
            decide(5, Some(now - Duration::seconds(20)), 5, now),
            Err(Refusal::Account {
                retry_after: Duration::seconds(40)
            })
        );
        assert_eq!(decide(5, Some(now - Duration::seconds(61)), 5, now), Ok(()));
        assert!(decide(6, Some(now - Duration::seconds(61)), 6, now).is_err());
        assert_eq!(
            decide(6, Some(now - Duration::seconds(121)), 6, now),
            Ok(())
        );
    }

    #[test]
    fn an_address_with_twenty_recent_failures_is_refused_for_every_account() {
        let now = Utc::now();
        assert!(matches!(
            decide(0, None, MAX_FAILURES_PER_ADDRESS, now),
            Err(Refusal::Address { .. })
        ));
        assert_eq!(decide(0, None, MAX_FAILURES_PER_ADDRESS - 1, now), Ok(()));
    }

    #[test]
    fn each_address_has_its_own_lock() {
        assert_ne!(lock_key("127.0.0.1"), lock_key("127.0.0.2"));
        assert_eq!(lock_key("::1"), lock_key("::1"));
    }
}

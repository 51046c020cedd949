//! Passwords: argon2id (the `argon2` crate's default), hashed off the async threads, a few at
//! a time: each check holds about 19 MiB, so a burst of sign-ins must queue, not pile up memory.

use std::sync::LazyLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::rngs::OsRng;

pub const MIN_LENGTH: usize = 10;

/// A hash of a fixed password, verified when the email is unknown so that timing does not tell
/// which addresses have an account.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$4vGxXd3gKkz2JZUt1KuVr0FeWkGg0d7ttGmV6qAGK6I";

pub fn hash(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hachage du mot de passe impossible : {e}"))
}

pub fn verify(password: &str, stored: Option<&str>) -> bool {
    let stored = stored.unwrap_or(DUMMY_HASH);
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
}

/// Hashes and checks running at once: one per core (more would only share the cores and add
/// 19 MiB each).
static PERMITS: LazyLock<tokio::sync::Semaphore> = LazyLock::new(|| {
    tokio::sync::Semaphore::new(max_at_once())
});
static RUNNING: AtomicUsize = AtomicUsize::new(0);
static MOST_AT_ONCE: AtomicUsize = AtomicUsize::new(0);

/// How many hashes or checks may run at once.
pub fn max_at_once() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// The most hashes or checks that ran at the same moment since the process started (for the
/// tests and the benchmark, which check that the bound holds).
pub fn most_at_once() -> usize {
    MOST_AT_ONCE.load(Ordering::SeqCst)
}

/// Runs `work` on a blocking thread once a permit is free.
async fn bounded<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> anyhow::Result<T> {
    let _permit = PERMITS
        .acquire()
        .await
        .map_err(|e| anyhow::anyhow!("file des mots de passe fermée : {e}"))?;
    let result = tokio::task::spawn_blocking(move || {
        let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
        MOST_AT_ONCE.fetch_max(now, Ordering::SeqCst);
        let result = work();
        RUNNING.fetch_sub(1, Ordering::SeqCst);
        result
    })
    .await?;
    Ok(result)
}

pub async fn hash_async(password: String) -> anyhow::Result<String> {
    bounded(move || hash(&password)).await?
}

pub async fn verify_async(password: String, stored: Option<String>) -> bool {
    bounded(move || verify(&password, stored.as_deref()))
        .await
        .unwrap_or(false)
}

/// A French reason why a new password is refused, if it is.
pub fn check_strength(password: &str) -> Option<String> {
    if password.chars().count() < MIN_LENGTH {
        return Some(format!(
            "Le mot de passe doit compter au moins {MIN_LENGTH} caractères."
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let stored = hash("correct horse battery").unwrap_or_default();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", Some(&stored)));
        assert!(!verify("wrong", Some(&stored)));
        assert!(!verify("anything", None));
        assert!(!verify("anything", Some("not a hash")));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn no_more_checks_run_at_once_than_there_are_permits() {
        let stored = hash("correct horse battery").unwrap_or_default();
        let checks: Vec<_> = (0..4 * max_at_once() + 4)
            .map(|_| tokio::spawn(verify_async("wrong".into(), Some(stored.clone()))))
            .collect();
        for check in checks {
            assert!(!check.await.unwrap_or(true));
        }
        assert!(most_at_once() >= 1);
        assert!(
            most_at_once() <= max_at_once(),
            "{} checks ran at once, bound {}",
            most_at_once(),
            max_at_once()
        );
    }

    #[test]
    fn short_passwords_are_refused_in_french() {
        assert!(check_strength("court").is_some_and(|m| m.contains("au moins")));
        assert!(check_strength("suffisamment long").is_none());
    }
}

//! Passwords: argon2id (the `argon2` crate's default), hashed off the async threads, a few at
//! a time on threads of their own: each check holds about 19 MiB, so a burst of sign-ins must
//! queue, not pile up memory.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, Mutex, mpsc};

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

/// Work for the password threads.
type Job = Box<dyn FnOnce() + Send>;

/// A few threads of their own, one per core, fed by a queue: no more checks run at once than
/// there are cores, and memory stays flat. (On tokio's blocking pool, each check could land on
/// a new thread, and each thread's allocator arena kept its own 19 MiB: a burst of 60 sign-ins
/// left the process at ~350 MiB even with only two checks at a time.)
static QUEUE: LazyLock<Mutex<mpsc::Sender<Job>>> = LazyLock::new(|| {
    let (sender, receiver) = mpsc::channel::<Job>();
    let receiver = Arc::new(Mutex::new(receiver));
    for i in 0..max_at_once() {
        let receiver = Arc::clone(&receiver);
        let started = std::thread::Builder::new()
            .name(format!("mots-de-passe-{i}"))
            .spawn(move || {
                loop {
                    // The lock is released before the work runs.
                    let job = match receiver.lock() {
                        Ok(queue) => queue.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                }
            });
        if let Err(e) = started {
            tracing::error!(error = %e, "fil des mots de passe non démarré");
        }
    }
    Mutex::new(sender)
});
static RUNNING: AtomicUsize = AtomicUsize::new(0);
static MOST_AT_ONCE: AtomicUsize = AtomicUsize::new(0);

/// How many hashes or checks may run at once.
pub fn max_at_once() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// The most hashes or checks that ran at the same moment since the process started (for the
/// tests, which check that the bound holds).
pub fn most_at_once() -> usize {
    MOST_AT_ONCE.load(Ordering::SeqCst)
}

/// Runs `work` on a password thread, in turn.
async fn bounded<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> anyhow::Result<T> {
    let (done, result) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
        MOST_AT_ONCE.fetch_max(now, Ordering::SeqCst);
        let value = work();
        RUNNING.fetch_sub(1, Ordering::SeqCst);
        let _ = done.send(value);
    });
    QUEUE
        .lock()
        .map_err(|_| anyhow::anyhow!("file des mots de passe inutilisable"))?
        .send(job)
        .map_err(|_| anyhow::anyhow!("aucun fil pour les mots de passe"))?;
    result
        .await
        .map_err(|_| anyhow::anyhow!("vérification du mot de passe interrompue"))
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
    async fn no_more_checks_run_at_once_than_there_are_cores() {
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

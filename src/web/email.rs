//! Email addresses as plumbing: the one normal form every room compares (sign-in, people,
//! invitations), kept below them all.

/// The form of an address used for uniqueness and sign-in: trimmed, lower-case.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

//! Shared web plumbing: the context middleware (sessions, CSRF, flash), the error type,
//! the layout and components, extractors whose refusals speak French, and French dates.

pub mod components;
pub mod ctx;
pub mod error;
pub mod extract;
pub mod french;
pub mod layout;
pub mod logging;

pub use ctx::Ctx;
pub use error::{AppError, AppResult};

/// Percent-encodes a string for use in a URL query.
pub fn urlencode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// A local path to come back to after signing in; anything else (another site) becomes `/`.
pub fn safe_next(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") {
        next
    } else {
        "/"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(
            safe_next("/plateformes/citoyennete"),
            "/plateformes/citoyennete"
        );
        assert_eq!(safe_next("//evil.example"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
    }

    #[test]
    fn urlencode_keeps_paths_readable() {
        assert_eq!(urlencode("/a b?c=d"), "/a%20b%3Fc%3Dd");
    }
}

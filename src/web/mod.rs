//! Shared web plumbing: the context middleware (sessions, CSRF, flash), the error type,
//! the layout and components, extractors whose refusals speak French, and French dates.

pub mod client_ip;
pub mod components;
pub mod ctx;
pub mod email;
pub mod error;
pub mod extract;
pub mod french;
pub mod layout;
pub mod logging;
pub mod token;

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
///
/// Browsers clean a `Location` up before resolving it (WHATWG URL: tabs and newlines dropped,
/// `\\` read as `/`), so `/\t/evil.example` or `/\\evil.example` would lead elsewhere. Only
/// visible ASCII without a backslash is kept (the paths we send people to are percent-encoded),
/// and it must start with one `/` and not two.
pub fn safe_next(next: &str) -> &str {
    let clean = next.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    if clean && next.starts_with('/') && !next.starts_with("//") {
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
        for bad in [
            "/\t/evil.example/x",
            "/\n/evil.example/x",
            "/\r/evil.example",
            "\t//evil.example",
            "/\\/evil.example",
            "\\\\evil.example",
            "/ /evil.example",
            "/r\u{e9}unions",
            "/\u{7f}/evil.example",
            "",
            "reunions",
        ] {
            assert_eq!(safe_next(bad), "/", "{bad:?}");
        }
        assert_eq!(safe_next("/reunions/3?x=1#a"), "/reunions/3?x=1#a");
        assert_eq!(
            safe_next("/r%C3%A9unions?q=a%20b"),
            "/r%C3%A9unions?q=a%20b"
        );
    }

    #[test]
    fn urlencode_keeps_paths_readable() {
        assert_eq!(urlencode("/a b?c=d"), "/a%20b%3Fc%3Dd");
    }
}

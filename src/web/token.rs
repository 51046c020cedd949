//! Random tokens (sessions, browser ids, CSRF, feed addresses): 32 bytes from the OS, URL-safe.

use base64::Engine;
use rand::RngCore;

/// 32 random bytes, base64url without padding (43 characters).
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

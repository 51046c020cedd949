use super::*;
use crate::web::ctx::Keys;

#[test]
fn answer_tokens_work_until_they_expire_and_only_as_signed() {
    let keys = Keys::new(b"0123456789abcdef0123456789abcdef".to_vec());
    let token = sign_token(&keys, 42, 1_000);
    assert_eq!(verify_token_at(&keys, &token, 999), Some(42));
    assert_eq!(verify_token_at(&keys, &token, 1_001), None, "expired");
    let other = Keys::new(b"another secret, another server!!".to_vec());
    assert_eq!(
        verify_token_at(&other, &token, 999),
        None,
        "signed elsewhere"
    );
    let tampered = token.replacen("42.", "43.", 1);
    assert_eq!(
        verify_token_at(&keys, &tampered, 999),
        None,
        "another invitation"
    );
    let extended = token.replacen(".1000.", ".9999.", 1);
    assert_eq!(
        verify_token_at(&keys, &extended, 999),
        None,
        "a longer life"
    );
    assert_eq!(verify_token_at(&keys, "n'importe quoi", 0), None);
}

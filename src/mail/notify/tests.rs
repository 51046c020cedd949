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

#[test]
fn an_update_is_about_one_session_only_when_every_change_is_about_that_session() {
    let day = |d: u32| {
        chrono::NaiveDate::from_ymd_opt(2027, 3, d)
            .and_then(|day| day.and_hms_opt(14, 0, 0))
            .unwrap_or_default()
    };
    let moved = Change::OccurrenceMoved { original: day(9) };
    let restored = Change::OccurrenceRestored { original: day(9) };
    let other = Change::OccurrenceMoved { original: day(16) };
    assert_eq!(one_session(&[moved]), Some(day(9)));
    assert_eq!(one_session(&[moved, restored]), Some(day(9)));
    assert_eq!(one_session(&[moved, other]), None);
    assert_eq!(one_session(&[moved, Change::Place]), None);
    assert_eq!(one_session(&[]), None);
    // Invitees to one session hear of the whole series' changes and of their own session.
    assert!(concerns(&[Change::Place], day(16)));
    assert!(concerns(&[], day(16)));
    assert!(concerns(&[moved], day(9)));
    assert!(!concerns(&[moved], day(16)));
}

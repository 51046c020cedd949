use chrono::{NaiveDate, NaiveDateTime};
use sea_orm::sea_query::ValueType;
use sea_orm::{ConnectionTrait, Database, DbErr, Statement, TryGetError, TryGetable, Value};

use super::LocalDateTime;

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, mo, d)
        .unwrap()
        .and_hms_opt(h, mi, 0)
        .unwrap()
}

#[test]
fn the_stored_text_reads_back_to_the_same_value() {
    let value = LocalDateTime::from(at(2027, 6, 8, 9, 0));
    assert_eq!(value.to_string(), "2027-06-08T09:00:00");
    assert_eq!(LocalDateTime::parse("2027-06-08T09:00:00"), Some(value));
    assert_eq!(
        Value::from(value),
        Value::String(Some("2027-06-08T09:00:00".into()))
    );
    assert_eq!(
        <LocalDateTime as ValueType>::try_from(Value::from(value)).ok(),
        Some(value)
    );
    assert_eq!(value.naive(), at(2027, 6, 8, 9, 0));
}

#[test]
fn text_that_is_not_the_stored_format_is_refused() {
    for bad in [
        "",
        "garbage",
        "2027-06-08",
        "2027-06-08 09:00:00",
        "2027-13-08T09:00:00",
        "2027-02-30T09:00:00",
        "2027-06-08T25:00:00",
        "2027-06-08T09:00",
    ] {
        assert_eq!(LocalDateTime::parse(bad), None, "{bad}");
    }
    assert!(<LocalDateTime as ValueType>::try_from(Value::String(Some("x".into()))).is_err());
}

#[test]
fn text_order_is_chronological_order() {
    let times = [
        at(999, 1, 1, 0, 0),
        at(2027, 1, 9, 23, 59),
        at(2027, 1, 10, 0, 0),
        at(2027, 10, 1, 8, 0),
        at(2028, 1, 1, 0, 0),
    ];
    for pair in times.windows(2) {
        let (a, b) = (LocalDateTime::from(pair[0]), LocalDateTime::from(pair[1]));
        assert!(a < b);
        assert!(a.to_string() < b.to_string(), "{a} {b}");
    }
}

async fn read(sql: &str, column: &str) -> Result<LocalDateTime, TryGetError> {
    let db = Database::connect("sqlite::memory:").await.unwrap();
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap();
    LocalDateTime::try_get_by(&row, column)
}

fn message(result: Result<LocalDateTime, TryGetError>) -> String {
    match result {
        Err(TryGetError::DbErr(DbErr::Type(message))) => message,
        other => panic!("expected a type error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_stored_value_is_read_once_into_its_type() {
    let value = read(
        "SELECT 7 AS id, '2027-06-08T09:00:00' AS start_local",
        "start_local",
    )
    .await
    .unwrap();
    assert_eq!(value.naive(), at(2027, 6, 8, 9, 0));
    let missing = read("SELECT 7 AS id, NULL AS new_start_local", "new_start_local").await;
    assert!(matches!(missing, Err(TryGetError::Null(_))), "{missing:?}");
    let absent = <Option<LocalDateTime>>::try_get_by(
        &Database::connect("sqlite::memory:")
            .await
            .unwrap()
            .query_one_raw(Statement::from_string(
                sea_orm::DatabaseBackend::Sqlite,
                "SELECT NULL AS new_end_local",
            ))
            .await
            .unwrap()
            .unwrap(),
        "new_end_local",
    );
    assert_eq!(absent.unwrap(), None);
}

#[tokio::test]
async fn an_unreadable_value_is_an_error_naming_column_row_and_text() {
    let text = message(
        read(
            "SELECT 12 AS id, '2027-02-30T09:00:00' AS start_local",
            "start_local",
        )
        .await,
    );
    assert!(text.contains("start_local"), "{text}");
    assert!(text.contains("id=12"), "{text}");
    assert!(text.contains("« 2027-02-30T09:00:00 »"), "{text}");

    let text = message(
        read(
            "SELECT 5 AS id, 12 AS meeting_id, 'hier' AS original_start_local",
            "original_start_local",
        )
        .await,
    );
    assert!(text.contains("id=5, meeting_id=12"), "{text}");
    assert!(text.contains("« hier »"), "{text}");

    // Read under a prefix (a join): the ids are those of the same prefix, not the other table's.
    let text = message(
        read(
            "SELECT 99 AS id, 12 AS r0_id, 'x' AS r0_end_local",
            "r0_end_local",
        )
        .await,
    );
    assert!(text.contains("id=12"), "{text}");
    assert!(!text.contains("99"), "{text}");
}

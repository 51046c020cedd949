use chrono::NaiveDate;

use super::Horizon;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn the_horizon_runs_from_three_months_back_to_twenty_four_ahead_at_midnight() {
    let h = Horizon::around(day(2026, 12, 1));
    assert_eq!(h.from, day(2026, 9, 1).and_hms_opt(0, 0, 0).unwrap());
    assert_eq!(h.to, day(2028, 12, 1).and_hms_opt(0, 0, 0).unwrap());
}

#[test]
fn a_day_missing_in_the_target_month_takes_its_last_day() {
    let h = Horizon::around(day(2027, 5, 31));
    assert_eq!(h.from, day(2027, 2, 28).and_hms_opt(0, 0, 0).unwrap());
    assert_eq!(h.to, day(2029, 5, 31).and_hms_opt(0, 0, 0).unwrap());
}

//! The simple shapes the meeting form offers, to and from a rule.

use super::error::RuleError;
use super::rule::{DaySpec, Freq, Rule, Until};
use super::{MAX_COUNT, MAX_INTERVAL, year_in_range};
use chrono::{NaiveDate, Weekday};

/// What the meeting form offers, so nobody has to type an RRULE.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pattern {
    Daily {
        interval: u32,
    },
    Weekly {
        interval: u32,
        days: Vec<Weekday>,
    },
    /// ordinals: 1..=5 or -1 (last); e.g. [2, 4] with Fri = 2nd and 4th Friday.
    MonthlyNth {
        ordinals: Vec<i8>,
        weekday: Weekday,
    },
    MonthlyDay {
        day: u32,
    },
}

pub(super) fn check_form_interval(interval: u32) -> Result<u32, RuleError> {
    if (1..=MAX_INTERVAL).contains(&interval) {
        Ok(interval)
    } else {
        Err(RuleError::Interval)
    }
}

impl Pattern {
    /// The rule for this choice, ending at `until` (a local date, inclusive) or after `count`
    /// meetings, or never. Err shows as a French sentence for the form.
    pub fn to_rule(&self, until: Option<NaiveDate>, count: Option<u32>) -> Result<Rule, RuleError> {
        if until.is_some() && count.is_some() {
            return Err(RuleError::EndAndCount);
        }
        if count == Some(0) {
            return Err(RuleError::NoMeeting);
        }
        if count.is_some_and(|c| c > MAX_COUNT) {
            return Err(RuleError::TooManyMeetings);
        }
        if until.is_some_and(|d| !year_in_range(d)) {
            return Err(RuleError::EndOutOfRange);
        }
        let mut rule = match self {
            Pattern::Daily { interval } => Rule {
                interval: check_form_interval(*interval)?,
                ..Rule::bare(Freq::Daily)
            },
            Pattern::Weekly { interval, days } => {
                if days.is_empty() {
                    return Err(RuleError::NoWeekday);
                }
                Rule {
                    interval: check_form_interval(*interval)?,
                    by_day: days
                        .iter()
                        .map(|&weekday| DaySpec {
                            ordinal: None,
                            weekday,
                        })
                        .collect(),
                    ..Rule::bare(Freq::Weekly)
                }
            }
            Pattern::MonthlyNth { ordinals, weekday } => {
                if ordinals.is_empty() {
                    return Err(RuleError::NoWeekOfMonth);
                }
                if let Some(bad) = ordinals.iter().find(|n| !matches!(n, 1..=5 | -1)) {
                    return Err(RuleError::NotWeekOfMonth(*bad));
                }
                Rule {
                    by_day: ordinals
                        .iter()
                        .map(|&n| DaySpec {
                            ordinal: Some(i32::from(n)),
                            weekday: *weekday,
                        })
                        .collect(),
                    ..Rule::bare(Freq::Monthly)
                }
            }
            Pattern::MonthlyDay { day } => {
                let day = i32::try_from(*day)
                    .ok()
                    .filter(|d| (1..=31).contains(d))
                    .ok_or(RuleError::NotDayOfMonth(*day))?;
                Rule {
                    by_month_day: vec![day],
                    ..Rule::bare(Freq::Monthly)
                }
            }
        };
        rule.count = count;
        rule.until = until.map(Until::Date);
        rule.check()?;
        rule.normalize();
        Ok(rule)
    }

    /// The reverse, when a rule is one of these simple shapes (to pre-fill the form); None otherwise.
    /// UNTIL comes back as its local date (a UTC or floating DATE-TIME loses its time of day);
    /// WKST is ignored where it changes nothing (weekly rules with INTERVAL=1).
    pub fn from_rule(rule: &Rule) -> Option<(Pattern, Option<NaiveDate>, Option<u32>)> {
        let mut bare = rule.clone();
        bare.count = None;
        bare.until = None;
        if bare.freq == Freq::Weekly && bare.interval == 1 {
            bare.wkst = Weekday::Mon;
        }
        let pattern = match rule.freq {
            Freq::Daily => Pattern::Daily {
                interval: rule.interval,
            },
            Freq::Weekly => Pattern::Weekly {
                interval: rule.interval,
                days: rule.by_day.iter().map(|d| d.weekday).collect(),
            },
            Freq::Monthly if rule.by_month_day.is_empty() => {
                let weekday = rule.by_day.first()?.weekday;
                Pattern::MonthlyNth {
                    ordinals: rule
                        .by_day
                        .iter()
                        .map(|d| d.ordinal.and_then(|n| i8::try_from(n).ok()))
                        .collect::<Option<Vec<i8>>>()?,
                    weekday,
                }
            }
            Freq::Monthly => Pattern::MonthlyDay {
                day: u32::try_from(*rule.by_month_day.first()?).ok()?,
            },
            Freq::Yearly => return None,
        };
        let rebuilt = pattern.to_rule(None, None).ok()?;
        (rebuilt == bare).then(|| (pattern, rule.until_date(), rule.count))
    }
}

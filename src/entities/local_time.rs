//! A Brussels wall-clock date-time as the meetings tables store it: the text
//! "YYYY-MM-DDTHH:MM:SS" (so that text order is chronological order on SQLite and PostgreSQL
//! alike, and the indexes and triggers of the schema keep working), read into a typed value once,
//! when the row is read. A stored value that does not parse makes the read fail with a database
//! error naming the column, the row (`id`, and `meeting_id` when the row has one) and the text;
//! it never becomes a default date.

use std::fmt;

use chrono::NaiveDateTime;
use sea_orm::sea_query::{ArrayType, ColumnType, Nullable, StringLen, ValueType, ValueTypeErr};
use sea_orm::{ColIdx, DbErr, QueryResult, TryGetError, TryGetable, Value};

/// The stored text format. Fixed width: its text order is its chronological order.
pub const FORMAT: &str = "%Y-%m-%dT%H:%M:%S";
/// The width of the stored text (the columns are VARCHAR(19)).
const WIDTH: u32 = 19;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalDateTime(NaiveDateTime);

impl LocalDateTime {
    /// Reads the stored format exactly ("2027-06-08T09:00:00").
    pub fn parse(text: &str) -> Option<Self> {
        NaiveDateTime::parse_from_str(text, FORMAT).ok().map(Self)
    }

    /// The wall-clock date-time itself.
    pub fn naive(self) -> NaiveDateTime {
        self.0
    }
}

impl From<NaiveDateTime> for LocalDateTime {
    fn from(value: NaiveDateTime) -> Self {
        Self(value)
    }
}

impl From<LocalDateTime> for NaiveDateTime {
    fn from(value: LocalDateTime) -> Self {
        value.0
    }
}

/// The stored text.
impl fmt::Display for LocalDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format(FORMAT))
    }
}

impl From<LocalDateTime> for Value {
    fn from(value: LocalDateTime) -> Self {
        Value::String(Some(value.to_string()))
    }
}

impl TryGetable for LocalDateTime {
    fn try_get_by<I: ColIdx>(res: &QueryResult, index: I) -> Result<Self, TryGetError> {
        let text = String::try_get_by(res, index)?;
        Self::parse(&text).ok_or_else(|| {
            let column = index
                .as_str()
                .map(str::to_string)
                .or_else(|| index.as_usize().map(|i| format!("n° {i}")))
                .unwrap_or_default();
            TryGetError::DbErr(DbErr::Type(format!(
                "colonne {column} illisible ({}) : « {text} » n'est pas une date et heure \
                 locale AAAA-MM-JJTHH:MM:SS",
                row_of(res, index.as_str())
            )))
        })
    }
}

/// Which row a bad value was read from: its `id`, and its `meeting_id` when it has one. The
/// column may be read with a prefix (`{prefix}{column}`, in joins): the ids are looked for under
/// the longest prefix of the column's name, cut at an underscore, that has an `id` column.
fn row_of(res: &QueryResult, column: Option<&str>) -> String {
    let column = column.unwrap_or("");
    let prefixes = column
        .match_indices('_')
        .map(|(at, _)| &column[..=at])
        .rev()
        .chain([""]);
    for prefix in prefixes {
        if let Ok(id) = res.try_get::<i64>(prefix, "id") {
            return match res.try_get::<i64>(prefix, "meeting_id") {
                Ok(meeting) => format!("id={id}, meeting_id={meeting}"),
                Err(_) => format!("id={id}"),
            };
        }
    }
    "ligne sans id".to_string()
}

impl ValueType for LocalDateTime {
    fn try_from(v: Value) -> Result<Self, ValueTypeErr> {
        let text = <String as ValueType>::try_from(v)?;
        Self::parse(&text).ok_or(ValueTypeErr)
    }

    fn type_name() -> String {
        "LocalDateTime".to_string()
    }

    fn array_type() -> ArrayType {
        ArrayType::String
    }

    fn column_type() -> ColumnType {
        ColumnType::String(StringLen::N(WIDTH))
    }
}

impl Nullable for LocalDateTime {
    fn null() -> Value {
        Value::String(None)
    }
}

impl sea_orm::IntoActiveValue<LocalDateTime> for LocalDateTime {
    fn into_active_value(self) -> sea_orm::ActiveValue<LocalDateTime> {
        sea_orm::ActiveValue::Set(self)
    }
}

#[cfg(test)]
mod tests;

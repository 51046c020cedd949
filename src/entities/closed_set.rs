//! Closed sets stored as text. `closed_set!` declares one enum with its sea-orm mapping (the
//! stored strings are those the columns always held, so no data changed when they became enums),
//! and around it `ALL`, `as_str`, `FromStr` (forms, query strings), `Display` and serde (the demo's
//! data files): one list of strings per set, never two spellings.
//!
//! Reading a row whose column holds a string outside the set is a database error
//! (`DbErr::Type`, naming the set and the value), never a silent default.

/// A string that is not one of a closed set's values.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("« {value} » inconnu (attendu : {expected})")]
pub struct UnknownValue {
    /// The enum's name, for logs.
    pub set: &'static str,
    pub value: String,
    /// The accepted values, comma-separated.
    pub expected: String,
}

/// `closed_set! { /// doc  pub enum Name in "String(…)" { Variant = "stored", … } }`; the
/// string after `in` is the column's sea-orm type, as its migration created it.
macro_rules! closed_set {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident in $db:tt {
            $( $(#[$vmeta:meta])* $variant:ident = $value:tt ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord,
            sea_orm::EnumIter, sea_orm::DeriveActiveEnum,
        )]
        #[sea_orm(rs_type = "String", db_type = $db)]
        $vis enum $name {
            $( $(#[$vmeta])* #[sea_orm(string_value = $value)] $variant, )+
        }

        impl $name {
            /// Every value, in the order forms list them.
            pub const ALL: [$name; <[&str]>::len(&[$($value),+])] = [$($name::$variant),+];

            /// The value as stored in the database (and sent by forms).
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $value, )+
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::entities::closed_set::UnknownValue;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                match value {
                    $( $value => Ok($name::$variant), )+
                    _ => Err($crate::entities::closed_set::UnknownValue {
                        set: stringify!($name),
                        value: value.to_string(),
                        expected: [$($value),+].join(", "),
                    }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = <String as serde::Deserialize>::deserialize(deserializer)?;
                raw.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

pub(crate) use closed_set;

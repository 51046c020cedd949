//! Who may see a platform or a meeting: both tables store it alike.
use super::closed_set::closed_set;

closed_set! {
    /// Public: everyone, partners without an account included; members: those of the platform
    /// (or group) it belongs to. Each room words its choices in its own form.
    pub enum Visibility in "String(sea_orm::sea_query::StringLen::N(16))" {
        Public = "public",
        Members = "members",
    }
}

impl Visibility {
    /// Whether anyone, signed in or not, may see it.
    pub fn is_public(self) -> bool {
        match self {
            Visibility::Public => true,
            Visibility::Members => false,
        }
    }
}

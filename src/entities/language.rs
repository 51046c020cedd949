//! The language a person (or an invitee without an account) wants their messages in.
use super::closed_set::closed_set;

closed_set! {
    /// Messages are written in French, Dutch or English; German readers get French.
    pub enum Language in "String(sea_orm::sea_query::StringLen::N(8))" {
        Fr = "fr",
        Nl = "nl",
        En = "en",
        De = "de",
    }
}

impl Language {
    /// The language's own name, as the person choosing it reads it.
    pub fn name(self) -> &'static str {
        match self {
            Language::Fr => "Français",
            Language::Nl => "Nederlands",
            Language::En => "English",
            Language::De => "Deutsch",
        }
    }
}

//! The role of a person in a platform or a working group (both membership tables store it).
use super::closed_set::closed_set;

closed_set! {
    /// What a member may do is decided in `auth::permissions`, from this.
    pub enum Role in "String(sea_orm::sea_query::StringLen::N(16))" {
        Coordinator = "coordinator",
        Member = "member",
        Observer = "observer",
    }
}

impl Role {
    pub fn label_fr(self) -> &'static str {
        match self {
            Role::Coordinator => "Coordination",
            Role::Member => "Membre",
            Role::Observer => "Observateur·rice",
        }
    }
}

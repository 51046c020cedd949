//! Who may do what: the one place that decides. Every route asks `allows` (through
//! `Ctx::require`); views ask it too, to show only the buttons that will work.
//!
//! Roles: a network administrator (may do everything); a coordinator of a platform (runs the
//! platform, its working groups and their members); a coordinator of a working group (runs that
//! group); a member or observer (sees what their platforms and groups hold, and the directory);
//! an anonymous visitor (sees public platforms only).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    Coordinator,
    Member,
    Observer,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Coordinator, Role::Member, Role::Observer];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Coordinator => "coordinator",
            Role::Member => "member",
            Role::Observer => "observer",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Coordinator => "Coordination",
            Role::Member => "Membre",
            Role::Observer => "Observateur·rice",
        }
    }

    pub fn parse(value: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == value)
    }
}

/// What the permission rules need to know of a platform.
#[derive(Clone, Copy, Debug)]
pub struct PlatformRef {
    pub id: i64,
    pub public: bool,
    pub archived: bool,
}

/// What the permission rules need to know of a working group.
#[derive(Clone, Copy, Debug)]
pub struct GroupRef {
    pub id: i64,
    pub platform: PlatformRef,
}

/// The person asking, reduced to what the rules look at.
#[derive(Clone, Debug, Default)]
pub struct Actor {
    pub person_id: Option<i64>,
    pub is_admin: bool,
    pub platforms: HashMap<i64, Role>,
    pub groups: HashMap<i64, Role>,
}

impl Actor {
    pub fn anonymous() -> Self {
        Self::default()
    }

    pub fn signed_in(&self) -> bool {
        self.person_id.is_some()
    }

    fn platform_role(&self, platform_id: i64) -> Option<Role> {
        self.platforms.get(&platform_id).copied()
    }

    fn coordinates_platform(&self, platform_id: i64) -> bool {
        self.platform_role(platform_id) == Some(Role::Coordinator)
    }

    fn coordinates_group(&self, group: &GroupRef) -> bool {
        self.coordinates_platform(group.platform.id)
            || self.groups.get(&group.id) == Some(&Role::Coordinator)
    }

    /// Coordinates at least one platform or working group.
    pub fn is_coordinator(&self) -> bool {
        self.platforms.values().any(|r| *r == Role::Coordinator)
            || self.groups.values().any(|r| *r == Role::Coordinator)
    }
}

#[derive(Clone, Copy, Debug)]
pub enum Action<'a> {
    ViewPlatform(&'a PlatformRef),
    CreatePlatform,
    EditPlatform(&'a PlatformRef),
    ArchivePlatform(&'a PlatformRef),
    ManagePlatformMembers(&'a PlatformRef),
    ViewGroup(&'a GroupRef),
    CreateGroup(&'a PlatformRef),
    EditGroup(&'a GroupRef),
    ManageGroupMembers(&'a GroupRef),
    /// The directory of organisations and people.
    ViewDirectory,
    ManageOrganisations,
    ManagePeople,
    ViewAudit,
}

pub fn allows(actor: &Actor, action: &Action<'_>) -> bool {
    if actor.is_admin {
        return true;
    }
    match action {
        Action::ViewPlatform(platform) => can_view_platform(actor, platform),
        Action::CreatePlatform | Action::ArchivePlatform(_) => false,
        Action::EditPlatform(platform) | Action::ManagePlatformMembers(platform) => {
            !platform.archived && actor.coordinates_platform(platform.id)
        }
        Action::ViewGroup(group) => can_view_platform(actor, &group.platform),
        Action::CreateGroup(platform) => {
            !platform.archived && actor.coordinates_platform(platform.id)
        }
        Action::EditGroup(group) | Action::ManageGroupMembers(group) => {
            !group.platform.archived && actor.coordinates_group(group)
        }
        Action::ViewDirectory => actor.signed_in(),
        Action::ManageOrganisations | Action::ManagePeople | Action::ViewAudit => false,
    }
}

fn can_view_platform(actor: &Actor, platform: &PlatformRef) -> bool {
    let member = actor.platform_role(platform.id).is_some();
    if platform.archived {
        return member;
    }
    platform.public || member
}

#[cfg(test)]
mod tests {
    use super::*;

    const PUBLIC: PlatformRef = PlatformRef {
        id: 1,
        public: true,
        archived: false,
    };
    const PRIVATE: PlatformRef = PlatformRef {
        id: 2,
        public: false,
        archived: false,
    };
    const ARCHIVED: PlatformRef = PlatformRef {
        id: 3,
        public: true,
        archived: true,
    };

    fn person(platforms: &[(i64, Role)], groups: &[(i64, Role)]) -> Actor {
        Actor {
            person_id: Some(7),
            is_admin: false,
            platforms: platforms.iter().copied().collect(),
            groups: groups.iter().copied().collect(),
        }
    }

    #[test]
    fn anonymous_visitors_see_public_platforms_only() {
        let anonymous = Actor::anonymous();
        assert!(allows(&anonymous, &Action::ViewPlatform(&PUBLIC)));
        assert!(!allows(&anonymous, &Action::ViewPlatform(&PRIVATE)));
        assert!(!allows(&anonymous, &Action::ViewPlatform(&ARCHIVED)));
        assert!(!allows(&anonymous, &Action::ViewDirectory));
    }

    #[test]
    fn members_see_their_private_platform_but_cannot_run_it() {
        let member = person(&[(2, Role::Member)], &[]);
        assert!(allows(&member, &Action::ViewPlatform(&PRIVATE)));
        assert!(!allows(&member, &Action::EditPlatform(&PRIVATE)));
        assert!(!allows(&member, &Action::ManagePlatformMembers(&PRIVATE)));
        assert!(allows(&member, &Action::ViewDirectory));
        let outsider = person(&[(1, Role::Member)], &[]);
        assert!(!allows(&outsider, &Action::ViewPlatform(&PRIVATE)));
    }

    #[test]
    fn platform_coordinators_run_their_platform_and_its_groups_only() {
        let coordinator = person(&[(2, Role::Coordinator)], &[]);
        let own_group = GroupRef {
            id: 10,
            platform: PRIVATE,
        };
        let other_group = GroupRef {
            id: 11,
            platform: PUBLIC,
        };
        assert!(allows(&coordinator, &Action::EditPlatform(&PRIVATE)));
        assert!(allows(&coordinator, &Action::CreateGroup(&PRIVATE)));
        assert!(allows(
            &coordinator,
            &Action::ManageGroupMembers(&own_group)
        ));
        assert!(!allows(&coordinator, &Action::EditPlatform(&PUBLIC)));
        assert!(!allows(&coordinator, &Action::EditGroup(&other_group)));
        assert!(!allows(&coordinator, &Action::CreatePlatform));
        assert!(!allows(&coordinator, &Action::ArchivePlatform(&PRIVATE)));
        assert!(!allows(&coordinator, &Action::ManagePeople));
    }

    #[test]
    fn group_coordinators_run_their_group_but_not_the_platform() {
        let group = GroupRef {
            id: 10,
            platform: PUBLIC,
        };
        let coordinator = person(&[(1, Role::Member)], &[(10, Role::Coordinator)]);
        assert!(allows(&coordinator, &Action::EditGroup(&group)));
        assert!(allows(&coordinator, &Action::ManageGroupMembers(&group)));
        assert!(!allows(&coordinator, &Action::EditPlatform(&PUBLIC)));
        assert!(!allows(&coordinator, &Action::CreateGroup(&PUBLIC)));
    }

    #[test]
    fn archived_platforms_are_read_only_except_for_administrators() {
        let coordinator = person(&[(3, Role::Coordinator)], &[]);
        assert!(allows(&coordinator, &Action::ViewPlatform(&ARCHIVED)));
        assert!(!allows(&coordinator, &Action::EditPlatform(&ARCHIVED)));
        let admin = Actor {
            is_admin: true,
            ..person(&[], &[])
        };
        assert!(allows(&admin, &Action::EditPlatform(&ARCHIVED)));
        assert!(allows(&admin, &Action::ArchivePlatform(&PUBLIC)));
        assert!(allows(&admin, &Action::ViewAudit));
    }

    #[test]
    fn roles_parse_only_from_known_names() {
        assert_eq!(Role::parse("coordinator"), Some(Role::Coordinator));
        assert_eq!(Role::parse("owner"), None);
        assert_eq!(Role::parse(""), None);
    }
}

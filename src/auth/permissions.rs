//! Who may do what: the one place that decides. Every route asks `allows` (through
//! `Ctx::require`); views ask it too, to show only the buttons that will work.
//!
//! Roles: a network administrator (may do everything); a coordinator of a platform (runs the
//! platform, its working groups and their members); a coordinator of a working group (runs that
//! group); a member or observer (sees what their platforms and groups hold, and the directory);
//! an anonymous visitor (sees public platforms only).

use std::collections::HashMap;

/// Stored on each membership; defined with its table.
pub use crate::entities::role::Role;

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

/// What the permission rules need to know of a meeting: where it belongs and who may see it.
#[derive(Clone, Copy, Debug)]
pub struct MeetingRef {
    pub public: bool,
    pub platform: Option<PlatformRef>,
    pub group: Option<GroupRef>,
}

/// Where a new meeting would belong.
#[derive(Clone, Copy, Debug)]
pub enum MeetingScope<'a> {
    Network,
    Platform(&'a PlatformRef),
    Group(&'a GroupRef),
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
    /// Who came to the group's meetings: for the group's members and its coordinators only
    /// (a public group page is not a public register of absences). A member sees their own row.
    ViewGroupAttendance(&'a GroupRef),
    /// Every member's row of the group's attendance: its coordinators (and the platform's).
    ViewEveryonesGroupAttendance(&'a GroupRef),
    /// Who came to the platform's own meetings: its members (their own row) and coordinators.
    ViewPlatformAttendance(&'a PlatformRef),
    /// Every member's row of the platform's attendance: its coordinators.
    ViewEveryonesPlatformAttendance(&'a PlatformRef),
    /// The directory of organisations and people.
    ViewDirectory,
    ManageOrganisations,
    ManagePeople,
    ViewAudit,
    CreateMeeting(MeetingScope<'a>),
    ViewMeeting(&'a MeetingRef),
    /// Edit, cancel, manage registrations, workshops, attendance and minutes.
    ManageMeeting(&'a MeetingRef),
    /// Register oneself (also needs the meeting to accept registrations).
    RegisterForMeeting(&'a MeetingRef),
    ReadMinutes(&'a MeetingRef),
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
        Action::ViewGroupAttendance(group) => {
            actor.groups.contains_key(&group.id) || actor.coordinates_group(group)
        }
        Action::ViewEveryonesGroupAttendance(group) => actor.coordinates_group(group),
        Action::ViewPlatformAttendance(platform) => actor.platform_role(platform.id).is_some(),
        Action::ViewEveryonesPlatformAttendance(platform) => {
            actor.coordinates_platform(platform.id)
        }
        Action::ViewDirectory => actor.signed_in(),
        Action::ManageOrganisations | Action::ManagePeople | Action::ViewAudit => false,
        Action::CreateMeeting(scope) => match scope {
            MeetingScope::Network => false,
            MeetingScope::Platform(p) => !p.archived && actor.coordinates_platform(p.id),
            MeetingScope::Group(g) => !g.platform.archived && actor.coordinates_group(g),
        },
        Action::ViewMeeting(meeting) => meeting.public || is_meeting_member(actor, meeting),
        Action::ManageMeeting(meeting) => manages_meeting(actor, meeting),
        Action::RegisterForMeeting(meeting) => {
            actor.signed_in() && (meeting.public || is_meeting_member(actor, meeting))
        }
        Action::ReadMinutes(meeting) => {
            is_meeting_member(actor, meeting) || manages_meeting(actor, meeting)
        }
    }
}

/// Members of the meeting's platform (or group); any signed-in person for network meetings.
fn is_meeting_member(actor: &Actor, meeting: &MeetingRef) -> bool {
    if !actor.signed_in() {
        return false;
    }
    match (meeting.group, meeting.platform) {
        (Some(group), _) => {
            actor.groups.contains_key(&group.id) || actor.platforms.contains_key(&group.platform.id)
        }
        (None, Some(platform)) => actor.platforms.contains_key(&platform.id),
        (None, None) => true,
    }
}

fn manages_meeting(actor: &Actor, meeting: &MeetingRef) -> bool {
    match (meeting.group, meeting.platform) {
        (Some(group), _) => actor.coordinates_group(&group),
        (None, Some(platform)) => actor.coordinates_platform(platform.id),
        (None, None) => false,
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
    fn meetings_follow_their_platform_and_group() {
        let group = GroupRef {
            id: 10,
            platform: PRIVATE,
        };
        let members_only = MeetingRef {
            public: false,
            platform: Some(PRIVATE),
            group: Some(group),
        };
        let network = MeetingRef {
            public: false,
            platform: None,
            group: None,
        };
        let member = person(&[(2, Role::Member)], &[]);
        let outsider = person(&[(1, Role::Member)], &[]);
        let group_coordinator = person(&[], &[(10, Role::Coordinator)]);
        assert!(allows(&member, &Action::ViewMeeting(&members_only)));
        assert!(allows(&member, &Action::ReadMinutes(&members_only)));
        assert!(!allows(&member, &Action::ManageMeeting(&members_only)));
        assert!(!allows(&outsider, &Action::ViewMeeting(&members_only)));
        assert!(!allows(
            &Actor::anonymous(),
            &Action::ViewMeeting(&members_only)
        ));
        assert!(allows(
            &group_coordinator,
            &Action::ManageMeeting(&members_only)
        ));
        assert!(allows(
            &group_coordinator,
            &Action::CreateMeeting(MeetingScope::Group(&group))
        ));
        assert!(!allows(
            &group_coordinator,
            &Action::CreateMeeting(MeetingScope::Platform(&PRIVATE))
        ));
        assert!(!allows(
            &member,
            &Action::CreateMeeting(MeetingScope::Network)
        ));
        assert!(
            allows(&outsider, &Action::ViewMeeting(&network)),
            "network meetings are for every member"
        );
        assert!(!allows(
            &Actor::anonymous(),
            &Action::RegisterForMeeting(&MeetingRef {
                public: true,
                ..network
            })
        ));
    }

    #[test]
    fn group_attendance_is_for_the_group_and_its_coordinators_only() {
        let group = GroupRef {
            id: 10,
            platform: PUBLIC,
        };
        let group_member = person(&[], &[(10, Role::Member)]);
        let platform_coordinator = person(&[(1, Role::Coordinator)], &[]);
        let platform_member = person(&[(1, Role::Member)], &[]);
        let other_platform = person(&[(2, Role::Coordinator)], &[]);
        assert!(allows(&group_member, &Action::ViewGroupAttendance(&group)));
        assert!(allows(
            &platform_coordinator,
            &Action::ViewGroupAttendance(&group)
        ));
        assert!(!allows(
            &platform_member,
            &Action::ViewGroupAttendance(&group)
        ));
        assert!(!allows(
            &other_platform,
            &Action::ViewGroupAttendance(&group)
        ));
        assert!(!allows(
            &Actor::anonymous(),
            &Action::ViewGroupAttendance(&group)
        ));
    }

    #[test]
    fn everyones_attendance_is_for_coordinators_a_member_sees_their_own() {
        let group = GroupRef {
            id: 10,
            platform: PUBLIC,
        };
        let group_member = person(&[], &[(10, Role::Member)]);
        let group_coordinator = person(&[], &[(10, Role::Coordinator)]);
        let platform_coordinator = person(&[(1, Role::Coordinator)], &[]);
        let platform_member = person(&[(1, Role::Member)], &[]);
        let observer = person(&[(1, Role::Observer)], &[]);
        let admin = Actor {
            is_admin: true,
            ..person(&[], &[])
        };
        for (who, actor, own, everyone) in [
            ("group member", &group_member, true, false),
            ("group coordinator", &group_coordinator, true, true),
            ("platform coordinator", &platform_coordinator, true, true),
            ("platform member", &platform_member, false, false),
            ("admin", &admin, true, true),
        ] {
            assert_eq!(
                allows(actor, &Action::ViewGroupAttendance(&group)),
                own,
                "{who}"
            );
            assert_eq!(
                allows(actor, &Action::ViewEveryonesGroupAttendance(&group)),
                everyone,
                "{who}"
            );
        }
        for (who, actor, own, everyone) in [
            ("platform member", &platform_member, true, false),
            ("observer", &observer, true, false),
            ("platform coordinator", &platform_coordinator, true, true),
            ("group coordinator", &group_coordinator, false, false),
            ("anonymous", &Actor::anonymous(), false, false),
            ("admin", &admin, true, true),
        ] {
            assert_eq!(
                allows(actor, &Action::ViewPlatformAttendance(&PUBLIC)),
                own,
                "{who}"
            );
            assert_eq!(
                allows(actor, &Action::ViewEveryonesPlatformAttendance(&PUBLIC)),
                everyone,
                "{who}"
            );
        }
    }

    #[test]
    fn roles_parse_only_from_known_names() {
        assert_eq!("coordinator".parse(), Ok(Role::Coordinator));
        assert!("owner".parse::<Role>().is_err());
        assert!("".parse::<Role>().is_err());
    }
}

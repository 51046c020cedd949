//! Platforms, working groups, organisations, people and memberships of the demo, each looked up
//! by its natural key and inserted only if missing.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, QueryFilter, Set,
};

use crate::entities::{
    group_membership, municipality, organisation, person, platform, platform_membership,
    working_group,
};
use crate::people::rules::normalize_email;
use crate::platforms::rules::slugify;

use super::fixtures::Fixtures;
use super::{ADMIN_EMAIL, Added, PASSWORD, lookup};

/// Platform ids by platform name.
pub(super) async fn load_platforms<'f>(
    txn: &DatabaseTransaction,
    fixtures: &'f Fixtures,
    added: &mut Added,
) -> anyhow::Result<HashMap<&'f str, i64>> {
    let mut ids = HashMap::new();
    for fixture in &fixtures.platforms {
        let slug = slugify(&fixture.name);
        // Names are unique too: match either, so that a renamed slug does not collide.
        let existing = platform::Entity::find()
            .filter(
                Condition::any()
                    .add(platform::Column::Slug.eq(slug.as_str()))
                    .add(platform::Column::Name.eq(fixture.name.as_str())),
            )
            .one(txn)
            .await?;
        let id = match existing {
            Some(row) => row.id,
            None => {
                let now = Utc::now();
                let row = platform::ActiveModel {
                    name: Set(fixture.name.clone()),
                    slug: Set(slug),
                    theme: Set(fixture.theme.clone()),
                    description: Set(fixture.description.clone()),
                    visibility: Set(fixture.visibility),
                    archived: Set(false),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                added.platforms += 1;
                row.id
            }
        };
        ids.insert(fixture.name.as_str(), id);
    }
    Ok(ids)
}

/// Working-group ids by (platform name, group name).
pub(super) async fn load_groups<'f>(
    txn: &DatabaseTransaction,
    fixtures: &'f Fixtures,
    platform_ids: &HashMap<&'f str, i64>,
    added: &mut Added,
) -> anyhow::Result<HashMap<(&'f str, &'f str), i64>> {
    let mut ids = HashMap::new();
    for platform_fixture in &fixtures.platforms {
        let platform_name = platform_fixture.name.as_str();
        let platform_id = lookup(platform_ids, platform_name, "plateforme")?;
        for group in &platform_fixture.groups {
            let name = group.name.as_str();
            let existing = working_group::Entity::find()
                .filter(working_group::Column::PlatformId.eq(platform_id))
                .filter(working_group::Column::Name.eq(name))
                .one(txn)
                .await?;
            let id = match existing {
                Some(row) => row.id,
                None => {
                    let now = Utc::now();
                    let row = working_group::ActiveModel {
                        platform_id: Set(platform_id),
                        name: Set(name.to_string()),
                        mandate: Set(group.mandate.clone()),
                        status: Set(working_group::GroupStatus::Active),
                        created_at: Set(now),
                        updated_at: Set(now),
                        ..Default::default()
                    }
                    .insert(txn)
                    .await?;
                    added.groups += 1;
                    row.id
                }
            };
            ids.insert((platform_name, name), id);
        }
    }
    Ok(ids)
}

/// Organisation ids by name.
pub(super) async fn load_organisations<'f>(
    txn: &DatabaseTransaction,
    fixtures: &'f Fixtures,
    added: &mut Added,
) -> anyhow::Result<HashMap<&'f str, i64>> {
    let municipalities: HashMap<String, i64> = municipality::Entity::find()
        .all(txn)
        .await?
        .into_iter()
        .map(|m| (m.name, m.id))
        .collect();
    let mut ids = HashMap::new();
    for fixture in &fixtures.organisations {
        let existing = organisation::Entity::find()
            .filter(organisation::Column::Name.eq(fixture.name.as_str()))
            .one(txn)
            .await?;
        let id = match existing {
            Some(row) => row.id,
            None => {
                let municipality_id = municipalities
                    .get(&fixture.municipality)
                    .copied()
                    .ok_or_else(|| {
                        anyhow::anyhow!(
                            "commune « {} » introuvable : les migrations ont-elles été appliquées ?",
                            fixture.municipality
                        )
                    })?;
                let now = Utc::now();
                let row = organisation::ActiveModel {
                    name: Set(fixture.name.clone()),
                    kind: Set(fixture.kind),
                    municipality_id: Set(Some(municipality_id)),
                    website: Set(format!("https://www.{}", fixture.domain)),
                    archived: Set(false),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                added.organisations += 1;
                row.id
            }
        };
        ids.insert(fixture.name.as_str(), id);
    }
    Ok(ids)
}

/// Person ids by email (as written in the data files).
pub(super) async fn load_people<'f>(
    txn: &DatabaseTransaction,
    fixtures: &'f Fixtures,
    organisation_ids: &HashMap<&'f str, i64>,
    added: &mut Added,
) -> anyhow::Result<HashMap<&'f str, i64>> {
    // Argon2 is slow: hash once, and only if someone is missing, then share the hash.
    let mut password_hash: Option<String> = None;
    let mut ids = HashMap::new();
    for fixture in fixtures.everyone() {
        let email = fixture.email.as_str();
        let email_normalized = normalize_email(email);
        let existing = person::Entity::find()
            .filter(person::Column::EmailNormalized.eq(email_normalized.as_str()))
            .one(txn)
            .await?;
        let id = match existing {
            Some(row) => row.id,
            None => {
                let organisation_id =
                    lookup(organisation_ids, &fixture.organisation, "organisation")?;
                let hash = match &password_hash {
                    Some(hash) => hash.clone(),
                    None => {
                        let hash = crate::auth::password::hash(PASSWORD)?;
                        password_hash = Some(hash.clone());
                        hash
                    }
                };
                let now = Utc::now();
                let row = person::ActiveModel {
                    name: Set(fixture.name.clone()),
                    email: Set(email.to_string()),
                    email_normalized: Set(email_normalized),
                    organisation_id: Set(Some(organisation_id)),
                    language: Set(fixture.language),
                    active: Set(true),
                    is_admin: Set(email == ADMIN_EMAIL),
                    password_hash: Set(Some(hash)),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                added.people += 1;
                row.id
            }
        };
        ids.insert(email, id);
    }
    Ok(ids)
}

pub(super) async fn load_platform_memberships(
    txn: &DatabaseTransaction,
    fixtures: &Fixtures,
    platform_ids: &HashMap<&str, i64>,
    person_ids: &HashMap<&str, i64>,
    added: &mut Added,
) -> anyhow::Result<()> {
    for platform_fixture in &fixtures.platforms {
        let platform_id = lookup(platform_ids, &platform_fixture.name, "plateforme")?;
        for member in &platform_fixture.members {
            let person_id = lookup(person_ids, &member.email, "personne")?;
            let existing = platform_membership::Entity::find()
                .filter(platform_membership::Column::PlatformId.eq(platform_id))
                .filter(platform_membership::Column::PersonId.eq(person_id))
                .one(txn)
                .await?;
            if existing.is_none() {
                platform_membership::ActiveModel {
                    platform_id: Set(platform_id),
                    person_id: Set(person_id),
                    role: Set(member.role),
                    created_at: Set(Utc::now()),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                added.memberships += 1;
            }
        }
    }
    Ok(())
}

pub(super) async fn load_group_memberships(
    txn: &DatabaseTransaction,
    fixtures: &Fixtures,
    group_ids: &HashMap<(&str, &str), i64>,
    person_ids: &HashMap<&str, i64>,
    added: &mut Added,
) -> anyhow::Result<()> {
    for platform_fixture in &fixtures.platforms {
        for group in &platform_fixture.groups {
            let working_group_id = group_ids
                .get(&(platform_fixture.name.as_str(), group.name.as_str()))
                .copied()
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "groupe de travail « {} » absent du jeu de démonstration",
                        group.name
                    )
                })?;
            for member in &group.members {
                let person_id = lookup(person_ids, &member.email, "personne")?;
                let existing = group_membership::Entity::find()
                    .filter(group_membership::Column::WorkingGroupId.eq(working_group_id))
                    .filter(group_membership::Column::PersonId.eq(person_id))
                    .one(txn)
                    .await?;
                if existing.is_none() {
                    group_membership::ActiveModel {
                        working_group_id: Set(working_group_id),
                        person_id: Set(person_id),
                        role: Set(member.role),
                        created_at: Set(Utc::now()),
                        ..Default::default()
                    }
                    .insert(txn)
                    .await?;
                    added.memberships += 1;
                }
            }
        }
    }
    Ok(())
}

//! Reference data: the eight reception offices ("bureaux d'accueil") of the province of Namur and
//! the municipalities each one covers. This is the territory list that findings and meetings are
//! tagged with, so it belongs to every installation (unlike the demo dataset, which is a command).

use sea_orm_migration::prelude::*;

use crate::m20261129_000001_foundation::{Municipalities, ReceptionOffices};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (name, slug, schedule, municipalities)
pub const OFFICES: [(&str, &str, &str, &[&str]); 8] = [
    (
        "Namur",
        "namur",
        "",
        &[
            "Namur",
            "Profondeville",
            "Floreffe",
            "La Bruyère",
            "Fernelmont",
        ],
    ),
    (
        "Andenne",
        "andenne",
        "2e et 4e vendredis du mois, 13:00–16:00",
        &["Andenne", "Gesves", "Ohey"],
    ),
    (
        "Beauraing",
        "beauraing",
        "3e jeudi du mois",
        &["Beauraing", "Gedinne", "Bièvre", "Vresse-sur-Semois"],
    ),
    (
        "Ciney",
        "ciney",
        "1er et 3e jeudis du mois",
        &[
            "Ciney",
            "Assesse",
            "Hamois",
            "Rochefort",
            "Somme-Leuze",
            "Havelange",
        ],
    ),
    (
        "Dinant",
        "dinant",
        "2e et 4e jeudis du mois",
        &["Dinant", "Hastière", "Yvoir", "Houyet", "Anhée", "Onhaye"],
    ),
    (
        "Gembloux",
        "gembloux",
        "2e et 4e jeudis du mois",
        &["Gembloux", "Sombreffe", "Eghezée"],
    ),
    (
        "Philippeville",
        "philippeville",
        "Deux demi-journées par mois",
        &[
            "Philippeville",
            "Cerfontaine",
            "Couvin",
            "Doische",
            "Walcourt",
            "Mettet",
            "Florennes",
            "Viroinval",
        ],
    ),
    (
        "Sambreville",
        "sambreville",
        "Un lundi sur deux",
        &["Sambreville", "Fosses-la-Ville", "Jemeppe-sur-Sambre"],
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (index, (name, slug, schedule, municipalities)) in OFFICES.iter().enumerate() {
            let office_id = (index + 1) as i64;
            manager
                .exec_stmt(
                    Query::insert()
                        .into_table(ReceptionOffices::Table)
                        .columns([
                            ReceptionOffices::Id,
                            ReceptionOffices::Name,
                            ReceptionOffices::Slug,
                            ReceptionOffices::Schedule,
                        ])
                        .values_panic([
                            office_id.into(),
                            (*name).into(),
                            (*slug).into(),
                            (*schedule).into(),
                        ])
                        .to_owned(),
                )
                .await?;
            let mut insert = Query::insert()
                .into_table(Municipalities::Table)
                .columns([Municipalities::Name, Municipalities::OfficeId])
                .to_owned();
            for municipality in municipalities.iter() {
                insert.values_panic([(*municipality).into(), office_id.into()]);
            }
            manager.exec_stmt(insert).await?;
        }
        if manager.get_database_backend() == sea_orm::DbBackend::Postgres {
            // Ids were given explicitly: move the identity past them.
            manager
                .get_connection()
                .execute_unprepared(
                    "SELECT setval(pg_get_serial_sequence('reception_offices', 'id'), \
                     (SELECT MAX(id) FROM reception_offices))",
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .exec_stmt(Query::delete().from_table(Municipalities::Table).to_owned())
            .await?;
        manager
            .exec_stmt(
                Query::delete()
                    .from_table(ReceptionOffices::Table)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}

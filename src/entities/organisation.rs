//! Table `organisations`, and their kinds.
use sea_orm::entity::prelude::*;

use super::closed_set::closed_set;

closed_set! {
    pub enum OrganisationKind in "String(sea_orm::sea_query::StringLen::None)" {
        Asbl = "asbl",
        Ili = "ili",
        Cpas = "cpas",
        Municipality = "municipality",
        Pcs = "pcs",
        Training = "training",
        AdultSchool = "adult_school",
        ReceptionCentre = "reception_centre",
        University = "university",
        Union = "union",
        PublicBody = "public_body",
        Cri = "cri",
    }
}

impl OrganisationKind {
    pub fn label_fr(self) -> &'static str {
        match self {
            OrganisationKind::Asbl => "ASBL (association)",
            OrganisationKind::Ili => "Initiative locale d'intégration (ILI)",
            OrganisationKind::Cpas => "CPAS",
            OrganisationKind::Municipality => "Commune / service communal",
            OrganisationKind::Pcs => "Plan de cohésion sociale (PCS)",
            OrganisationKind::Training => "Opérateur de formation",
            OrganisationKind::AdultSchool => "École de promotion sociale",
            OrganisationKind::ReceptionCentre => "Centre d'accueil (Fedasil, Croix-Rouge)",
            OrganisationKind::University => "Université / haute école",
            OrganisationKind::Union => "Syndicat",
            OrganisationKind::PublicBody => "Organisme public",
            OrganisationKind::Cri => "Centre régional d'intégration",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organisations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub kind: OrganisationKind,
    pub municipality_id: Option<i64>,
    pub website: String,
    pub archived: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! Organisations: kinds, and the form parsed into a checked value.

use serde::Deserialize;

use crate::web::components::FieldErrors;

pub use crate::entities::organisation::OrganisationKind;

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct OrganisationForm {
    pub name: String,
    pub kind: String,
    pub municipality_id: String,
    pub website: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationInput {
    pub name: String,
    pub kind: OrganisationKind,
    pub municipality_id: Option<i64>,
    pub website: String,
}

impl OrganisationForm {
    /// `municipalities`: the ids that exist.
    pub fn parse(&self, municipalities: &[i64]) -> Result<OrganisationInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = crate::web::components::name_field(&self.name, 200, "Le nom est obligatoire.")
            .unwrap_or_else(|message| {
                errors.add("name", message);
                String::new()
            });
        let kind = self.kind.parse().unwrap_or_else(|_| {
            errors.add("kind", "Choisissez un type d'organisation dans la liste.");
            OrganisationKind::Asbl
        });
        let municipality_id = match self.municipality_id.trim() {
            "" => None,
            raw => match raw.parse::<i64>() {
                Ok(id) if municipalities.contains(&id) => Some(id),
                _ => {
                    errors.add("municipality_id", "Choisissez une commune dans la liste.");
                    None
                }
            },
        };
        let website = self.website.trim().to_string();
        let has_scheme = website.starts_with("https://") || website.starts_with("http://");
        if !website.is_empty() && !has_scheme {
            errors.add(
                "website",
                "L'adresse du site doit commencer par https:// ou http://.",
            );
        }
        errors.into_result(OrganisationInput {
            name,
            kind,
            municipality_id,
            website,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_name_and_an_unknown_kind_are_refused() {
        let form = OrganisationForm {
            name: "  ".into(),
            kind: "sect".into(),
            ..Default::default()
        };
        let errors = form.parse(&[]).err().unwrap_or_default();
        assert!(errors.get("name").is_some());
        assert!(errors.get("kind").is_some());
    }

    #[test]
    fn a_valid_form_becomes_a_trimmed_input() {
        let form = OrganisationForm {
            name: " CPAS de Dinant ".into(),
            kind: "cpas".into(),
            municipality_id: "4".into(),
            website: String::new(),
        };
        let input = form.parse(&[4]).ok();
        assert_eq!(
            input.map(|i| (i.name, i.municipality_id)),
            Some(("CPAS de Dinant".to_string(), Some(4)))
        );
    }

    #[test]
    fn a_municipality_that_does_not_exist_is_refused() {
        let form = OrganisationForm {
            name: "X".into(),
            kind: "asbl".into(),
            municipality_id: "999".into(),
            website: "ftp://x".into(),
        };
        let errors = form.parse(&[1, 2]).err().unwrap_or_default();
        assert!(errors.get("municipality_id").is_some());
        assert!(errors.get("website").is_some());
    }
}

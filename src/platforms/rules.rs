//! Platforms: slugs, visibility, and the platform form parsed into a checked value.

use serde::Deserialize;

use crate::web::components::FieldErrors;

pub use crate::entities::platform::Visibility;

/// A platform's visibility as its form offers it.
pub fn visibility_label(visibility: Visibility) -> &'static str {
    match visibility {
        Visibility::Public => "Publique (visible par tous, y compris les partenaires sans compte)",
        Visibility::Members => "Réservée aux membres de la plateforme",
    }
}

/// A URL-friendly name: lower-case ASCII letters, digits and hyphens ("Lutte contre le
/// racisme" → "lutte-contre-le-racisme").
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(fold_accent) {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    slug.chars()
        .take(60)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

/// A key to sort French names the way people expect: case and accents ignored
/// ("CSC" after "Centre", "Écrire" with the e's).
pub fn sort_key(text: &str) -> String {
    text.chars()
        .flat_map(fold_accent)
        .flat_map(char::to_lowercase)
        .collect()
}

fn fold_accent(c: char) -> Vec<char> {
    let folded = match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' | 'À' | 'Á' | 'Â' | 'Ä' | 'Ã' | 'Å' => 'a',
        'ç' | 'Ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ñ' | 'Ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'Ò' | 'Ó' | 'Ô' | 'Ö' | 'Õ' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ÿ' | 'ý' | 'Ý' => 'y',
        'œ' | 'Œ' => return vec!['o', 'e'],
        'æ' | 'Æ' => return vec!['a', 'e'],
        other => other,
    };
    vec![folded]
}

pub fn valid_slug(slug: &str) -> bool {
    (2..=60).contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
        && slug != "nouvelle"
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct PlatformForm {
    pub name: String,
    pub slug: String,
    pub theme: String,
    pub description: String,
    pub visibility: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformInput {
    pub name: String,
    pub slug: String,
    pub theme: String,
    pub description: String,
    pub visibility: Visibility,
}

impl PlatformForm {
    pub fn parse(&self) -> Result<PlatformInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = crate::web::components::name_field(&self.name, 150, "Le nom est obligatoire.")
            .unwrap_or_else(|message| {
                errors.add("name", message);
                String::new()
            });
        let slug = match self.slug.trim() {
            "" => slugify(&name),
            given => given.to_string(),
        };
        if !name.is_empty() && !valid_slug(&slug) {
            errors.add(
                "slug",
                "L'adresse courte ne peut contenir que des lettres minuscules sans accent, des chiffres et des tirets (2 à 60 caractères).",
            );
        }
        let visibility = self.visibility.parse().unwrap_or_else(|_| {
            errors.add("visibility", "Choisissez qui peut voir la plateforme.");
            Visibility::Members
        });
        errors.into_result(PlatformInput {
            name,
            slug,
            theme: self.theme.trim().to_string(),
            description: self.description.trim().to_string(),
            visibility,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_drop_accents_and_punctuation() {
        assert_eq!(
            slugify("Formation à la langue française"),
            "formation-a-la-langue-francaise"
        );
        assert_eq!(slugify("  Sans-papiers !  "), "sans-papiers");
        assert_eq!(slugify("Œuvrer"), "oeuvrer");
        assert!(valid_slug(&slugify("Lutte contre le racisme")));
    }

    #[test]
    fn names_sort_without_regard_to_case_or_accents() {
        let mut names = vec![
            "CSC Namur-Dinant",
            "Centre Croix-Rouge",
            "École de Namur",
            "ASBL Exemple",
        ];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(
            names,
            [
                "ASBL Exemple",
                "Centre Croix-Rouge",
                "CSC Namur-Dinant",
                "École de Namur"
            ]
        );
    }

    #[test]
    fn an_empty_name_and_a_bad_slug_are_refused() {
        let errors = PlatformForm {
            visibility: "public".into(),
            ..Default::default()
        }
        .parse()
        .err()
        .unwrap_or_default();
        assert!(errors.get("name").is_some());
        let errors = PlatformForm {
            name: "Citoyenneté".into(),
            slug: "Avec Espaces".into(),
            visibility: "secret".into(),
            ..Default::default()
        }
        .parse()
        .err()
        .unwrap_or_default();
        assert!(errors.get("slug").is_some());
        assert!(errors.get("visibility").is_some());
    }

    #[test]
    fn the_slug_is_made_from_the_name_when_left_empty() {
        let input = PlatformForm {
            name: "Citoyenneté".into(),
            visibility: "members".into(),
            ..Default::default()
        }
        .parse()
        .ok();
        assert_eq!(
            input.map(|i| (i.slug, i.visibility)),
            Some(("citoyennete".to_string(), Visibility::Members))
        );
    }
}

//! People: email addresses, languages, and the person form parsed into a checked value.

use serde::Deserialize;

use crate::auth::password;
use crate::web::components::FieldErrors;

pub use crate::entities::person::Language;

/// Kept here too: people's rules are where rooms above look for it.
pub use crate::web::email::normalize_email;

/// Why an email address typed in a form is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EmailRefusal {
    #[error("L'adresse e-mail est obligatoire.")]
    Missing,
    #[error("Cette adresse e-mail n'est pas valide (exemple : prenom.nom@organisation.be).")]
    Invalid,
}

/// A plausible email address (what a person can type by mistake is refused; deliverability is
/// the mail server's business).
pub fn parse_email(raw: &str) -> Result<String, EmailRefusal> {
    let email = raw.trim();
    if email.is_empty() {
        return Err(EmailRefusal::Missing);
    }
    let valid = email.len() <= 254
        && !email
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>(),;:\"[]\\".contains(c))
        && match email.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && local.len() <= 64
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains("..")
                    && !domain.starts_with('-')
            }
            None => false,
        };
    if valid {
        Ok(email.to_string())
    } else {
        Err(EmailRefusal::Invalid)
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct PersonForm {
    pub name: String,
    pub email: String,
    pub organisation_id: String,
    pub language: String,
    pub password: String,
    pub is_admin: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonInput {
    pub name: String,
    pub email: String,
    pub organisation_id: Option<i64>,
    pub language: Language,
    /// A new password to set, if one was typed.
    pub password: Option<String>,
    pub is_admin: bool,
}

impl PersonForm {
    pub fn parse(&self, organisations: &[i64]) -> Result<PersonInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = crate::web::components::name_field(&self.name, 200, "Le nom est obligatoire.")
            .unwrap_or_else(|message| {
                errors.add("name", message);
                String::new()
            });
        let email = match parse_email(&self.email) {
            Ok(email) => email,
            Err(message) => {
                errors.add("email", message);
                String::new()
            }
        };
        let organisation_id = match self.organisation_id.trim() {
            "" => None,
            raw => match raw.parse::<i64>() {
                Ok(id) if organisations.contains(&id) => Some(id),
                _ => {
                    errors.add(
                        "organisation_id",
                        "Choisissez une organisation dans la liste.",
                    );
                    None
                }
            },
        };
        let language = if self.language.is_empty() {
            Language::Fr
        } else {
            self.language.parse().unwrap_or_else(|_| {
                errors.add("language", "Choisissez une langue dans la liste.");
                Language::Fr
            })
        };
        let password = if self.password.is_empty() {
            None
        } else {
            if let Some(reason) = password::check_strength(&self.password) {
                errors.add("password", reason);
            }
            Some(self.password.clone())
        };
        errors.into_result(PersonInput {
            name,
            email,
            organisation_id,
            language,
            password,
            is_admin: self.is_admin.is_some(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_for_uniqueness() {
        assert_eq!(
            normalize_email("  Marie.Dupont@CPAS-Namur.be "),
            "marie.dupont@cpas-namur.be"
        );
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in [
            "",
            "marie",
            "marie@",
            "@cpas.be",
            "marie@cpas",
            "ma rie@cpas.be",
            "a@b@c.be",
            "m@.cpas.be",
            "m@cpas..be",
        ] {
            assert!(parse_email(bad).is_err(), "{bad} should be refused");
        }
        assert_eq!(
            parse_email(" m.dupont@cpas-namur.be "),
            Ok("m.dupont@cpas-namur.be".to_string())
        );
    }

    #[test]
    fn the_person_form_collects_every_error() {
        let form = PersonForm {
            name: String::new(),
            email: "pas-une-adresse".into(),
            organisation_id: "12".into(),
            language: "xx".into(),
            password: "court".into(),
            is_admin: None,
        };
        let errors = form.parse(&[1]).err().unwrap_or_default();
        for field in ["name", "email", "organisation_id", "language", "password"] {
            assert!(errors.get(field).is_some(), "{field} should have an error");
        }
    }

    #[test]
    fn an_empty_password_keeps_the_current_one() {
        let form = PersonForm {
            name: "Amina".into(),
            email: "amina@exemple.be".into(),
            ..Default::default()
        };
        let input = form.parse(&[]).ok();
        assert_eq!(input.as_ref().map(|i| i.password.is_none()), Some(true));
        assert_eq!(input.map(|i| i.language), Some(Language::Fr));
    }
}

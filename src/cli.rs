//! The commands behind `maillage --help`: serve (default), migrate, demo, create-admin.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use crate::app::{self, AppState};
use crate::auth::password;
use crate::config::{Config, LogFormat, redact_url};
use crate::entities::person;
use crate::people::rules::{normalize_email, parse_email};

pub enum Command {
    Serve,
    Migrate,
    Demo,
    CreateAdmin {
        email: String,
        name: String,
        /// `None`: asked on the terminal, or read from standard input.
        password: Option<String>,
    },
}

pub fn init_tracing(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn,sea_orm_migration=warn".into());
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let result = match config.log_format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Readable => builder.try_init(),
    };
    if result.is_err() {
        eprintln!("journalisation déjà initialisée");
    }
}

pub async fn run(command: Option<Command>) -> anyhow::Result<()> {
    let config = Config::load()?;
    init_tracing(&config);
    match command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            let db = crate::db::connect(&config).await?;
            crate::db::migrate(&db).await?;
            println!(
                "Migrations appliquées sur {}.",
                redact_url(&config.database_url)
            );
            Ok(())
        }
        Command::Demo => {
            let db = crate::db::connect(&config).await?;
            crate::db::migrate(&db).await?;
            let summary = crate::demo::load(&db).await?;
            println!("{summary}");
            println!(
                "Démarrez le serveur (cargo run) puis ouvrez {} :",
                config.base_url
            );
            println!(
                "  administration : {} / {}",
                crate::demo::ADMIN_EMAIL,
                crate::demo::PASSWORD
            );
            println!(
                "  coordination   : {} / {}",
                crate::demo::COORDINATOR_EMAIL,
                crate::demo::PASSWORD
            );
            println!(
                "  membre         : {} / {}",
                crate::demo::MEMBER_EMAIL,
                crate::demo::PASSWORD
            );
            Ok(())
        }
        Command::CreateAdmin {
            email,
            name,
            password,
        } => {
            let password = match password {
                Some(password) => password,
                None => read_password()?,
            };
            let db = crate::db::connect(&config).await?;
            crate::db::migrate(&db).await?;
            let id = create_admin(&db, &email, &name, &password).await?;
            println!(
                "Compte d'administration prêt (personne #{id}) : connectez-vous avec {email}."
            );
            Ok(())
        }
    }
}

/// The password, asked twice on the terminal without echo, or the first line of standard input
/// when it is not a terminal (`echo "$PASS" | maillage create-admin …`).
fn read_password() -> anyhow::Result<String> {
    use std::io::{BufRead, IsTerminal};
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Mot de passe : ")?;
        let again = rpassword::prompt_password("Le même mot de passe, encore : ")?;
        if first != again {
            anyhow::bail!("les deux mots de passe ne correspondent pas");
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

async fn serve(config: Config) -> anyhow::Result<()> {
    tracing::info!(database = %redact_url(&config.database_url), "démarrage de maillage");
    let bind = config.bind.clone();
    let base_url = config.base_url.clone();
    let state = AppState::start(config).await?;
    let listener = tokio::net::TcpListener::bind(&bind)
        .await
        .map_err(|e| anyhow::anyhow!("impossible d'écouter sur {bind} : {e}"))?;
    tracing::info!(adresse = %bind, "maillage écoute sur {base_url}");
    app::serve(state, listener, app::shutdown_signal()).await?;
    tracing::info!("maillage arrêté proprement");
    Ok(())
}

/// Creates an administrator, or makes an existing person (same email) an active administrator
/// with this password.
pub async fn create_admin(
    db: &DatabaseConnection,
    email: &str,
    name: &str,
    new_password: &str,
) -> anyhow::Result<i64> {
    let email = parse_email(email)?;
    let name = name.trim();
    if name.is_empty() {
        anyhow::bail!("le nom est obligatoire");
    }
    if let Some(reason) = password::check_strength(new_password) {
        anyhow::bail!(reason);
    }
    let hash = password::hash_async(new_password.to_string()).await?;
    let now = Utc::now();
    let existing = person::Entity::find()
        .filter(person::Column::EmailNormalized.eq(normalize_email(&email)))
        .one(db)
        .await?;
    let id = match existing {
        Some(found) => {
            let id = found.id;
            let mut model: person::ActiveModel = found.into();
            model.name = Set(name.to_string());
            model.is_admin = Set(true);
            model.active = Set(true);
            model.password_hash = Set(Some(hash));
            model.updated_at = Set(now);
            model.update(db).await?;
            id
        }
        None => {
            person::ActiveModel {
                name: Set(name.to_string()),
                email_normalized: Set(normalize_email(&email)),
                email: Set(email.clone()),
                organisation_id: Set(None),
                language: Set(person::Language::Fr),
                active: Set(true),
                is_admin: Set(true),
                password_hash: Set(Some(hash)),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?
            .id
        }
    };
    crate::audit::record(
        db,
        None,
        "créer un compte d'administration",
        "personne",
        Some(id),
        format!("Administration accordée à « {name} » en ligne de commande"),
    )
    .await?;
    Ok(id)
}

use clap::{Parser, Subcommand};

/// mimalloc rather than glibc's malloc: the server's threads (tokio's, SQLite's, those that
/// write and compress feeds) each got an arena of their own that kept what they freed; mimalloc
/// gives freed pages back to the system (see "Mémoire" in the README).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// maillage — coordination du réseau provincial d'intégration.
#[derive(Parser)]
#[command(name = "maillage", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Démarre le serveur web (commande par défaut) ; applique d'abord les migrations.
    Serve,
    /// Applique les migrations de la base de données, puis s'arrête.
    Migrate,
    /// Charge le jeu de données de démonstration (sans doublon si relancé).
    Demo,
    /// Crée (ou met à jour) un compte d'administration du réseau.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Pour les scripts ; sans elle, le mot de passe est demandé au terminal (sans écho) ou lu
        /// sur l'entrée standard, et ne paraît ni dans `ps` ni dans l'historique.
        #[arg(long)]
        password: Option<String>,
    },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match maillage::cli::run(cli.command.map(|c| match c {
        Command::Serve => maillage::cli::Command::Serve,
        Command::Migrate => maillage::cli::Command::Migrate,
        Command::Demo => maillage::cli::Command::Demo,
        Command::CreateAdmin {
            email,
            name,
            password,
        } => maillage::cli::Command::CreateAdmin {
            email,
            name,
            password,
        },
    }))
    .await
    {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("maillage : {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

use clap::{Parser, Subcommand};

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

fn main() -> std::process::ExitCode {
    limit_malloc_arenas();
    start()
}

/// glibc's malloc gives each thread that allocates an arena of its own (up to eight per core:
/// tokio's threads, one per SQLite connection, those that write and compress feeds), and each
/// arena keeps what its thread freed: with 2,000 meetings, 68 MB after the feed load against
/// 56 MB with two arenas (`cargo bench --bench memory`, README « Mémoire »). The crate has no
/// unsafe code, so no `mallopt`; glibc reads `MALLOC_ARENA_MAX` when a program starts, so the
/// program starts itself again once with it set (`exec`: the same process, the same arguments).
/// A value already set wins: `MALLOC_ARENA_MAX=8` (or any) keeps glibc's choice.
fn limit_malloc_arenas() {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        if std::env::var_os("MALLOC_ARENA_MAX").is_some() {
            return;
        }
        let Ok(program) = std::env::current_exe() else {
            return;
        };
        let error = std::process::Command::new(program)
            .args(std::env::args_os().skip(1))
            .env("MALLOC_ARENA_MAX", "2")
            .exec();
        // Only reached if the program could not start again: it goes on as it is.
        eprintln!("maillage : MALLOC_ARENA_MAX non appliqué ({error})");
    }
}

#[tokio::main]
async fn start() -> std::process::ExitCode {
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

//! The `maillage` binary's commands, run for real against the test database.

use std::process::Command;

use maillage::entities::{organisation, person, platform, platform_membership, working_group};
use reqwest::StatusCode;
use sea_orm::{EntityTrait, PaginatorTrait};

use crate::helpers::TestApp;

/// Runs the binary and waits for it on the blocking pool: the test's own runtime keeps running
/// the app under test meanwhile. (Waiting on the runtime's thread froze the app's background
/// passes mid-transaction, holding a meeting's row lock the command then waited on: a hang.)
async fn maillage(database_url: &str, args: &[&str]) -> (bool, String) {
    let database_url = database_url.to_string();
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_maillage"))
            .args(&args)
            .env("DATABASE_URL", &database_url)
            .env("MAILLAGE_CONFIG", "/nonexistent/maillage.toml")
            .env("RUST_LOG", "warn")
            .output()
            .expect("run maillage")
    })
    .await
    .expect("the command's thread");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[tokio::test]
async fn help_lists_the_commands() {
    let (ok, text) = maillage("sqlite::memory:", &["--help"]).await;
    assert!(ok, "{text}");
    for command in ["serve", "migrate", "demo", "create-admin"] {
        assert!(text.contains(command), "{command} missing from:\n{text}");
    }
}

#[tokio::test]
async fn create_admin_makes_an_account_that_signs_in_and_refuses_bad_input() {
    let app = TestApp::spawn().await;
    let (ok, text) = maillage(
        &app.database_url,
        &[
            "create-admin",
            "--email",
            "Direction@CRI-Namur.example",
            "--name",
            "Direction du CRI",
            "--password",
            "une phrase de passe",
        ],
    )
    .await;
    assert!(ok, "{text}");
    assert!(
        !text.contains("une phrase de passe"),
        "the password is never printed"
    );
    let browser = app.visitor();
    browser
        .sign_in("direction@cri-namur.example", "une phrase de passe")
        .await;
    assert_eq!(browser.get("/admin/journal").await.status(), StatusCode::OK);

    let (ok, text) = maillage(
        &app.database_url,
        &[
            "create-admin",
            "--email",
            "pas-une-adresse",
            "--name",
            "X",
            "--password",
            "une phrase de passe",
        ],
    )
    .await;
    assert!(!ok);
    assert!(text.contains("adresse e-mail"), "{text}");
    let (ok, _) = maillage(
        &app.database_url,
        &[
            "create-admin",
            "--email",
            "x@y.example",
            "--name",
            "X",
            "--password",
            "court",
        ],
    )
    .await;
    assert!(!ok);
    assert_eq!(person::Entity::find().count(&app.db).await.unwrap(), 1);
}

#[tokio::test]
async fn the_demo_loads_once_and_a_second_run_duplicates_nothing() {
    let app = TestApp::spawn().await;
    let (ok, text) = maillage(&app.database_url, &["demo"]).await;
    assert!(ok, "{text}");
    assert!(
        text.contains(maillage::demo::ADMIN_EMAIL),
        "it prints how to sign in:\n{text}"
    );
    let counts = async || {
        (
            platform::Entity::find().count(&app.db).await.unwrap(),
            working_group::Entity::find().count(&app.db).await.unwrap(),
            organisation::Entity::find().count(&app.db).await.unwrap(),
            person::Entity::find().count(&app.db).await.unwrap(),
            platform_membership::Entity::find()
                .count(&app.db)
                .await
                .unwrap(),
        )
    };
    let first = counts().await;
    assert!(first.0 >= 6, "the real platforms: {first:?}");
    assert!(first.1 >= 9, "their working groups: {first:?}");
    assert!(first.2 >= 25, "about 30 organisations: {first:?}");
    assert!(first.3 >= 50, "about 60 people: {first:?}");
    let (ok, text) = maillage(&app.database_url, &["demo"]).await;
    assert!(ok, "{text}");
    assert_eq!(counts().await, first);

    // The accounts it prints work, with the rights it says.
    let admin = app.visitor();
    admin
        .sign_in(maillage::demo::ADMIN_EMAIL, maillage::demo::PASSWORD)
        .await;
    assert_eq!(
        admin.get("/plateformes/nouvelle").await.status(),
        StatusCode::OK
    );
    let coordinator = app.visitor();
    coordinator
        .sign_in(maillage::demo::COORDINATOR_EMAIL, maillage::demo::PASSWORD)
        .await;
    let (_, page) = coordinator.get_html("/plateformes/sociojuridique").await;
    assert!(page.contains("Relevé de constats et interpellations"));
    assert!(
        page.contains("picker-q"),
        "the coordinator manages the members"
    );
    let (_, list) = app.anonymous.get_html("/plateformes").await;
    assert!(list.contains("Formation à la langue française"));
}

#[tokio::test]
async fn migrate_applies_the_schema_and_can_run_again() {
    let app = TestApp::spawn().await;
    let (ok, text) = maillage(&app.database_url, &["migrate"]).await;
    assert!(ok, "{text}");
    assert!(text.contains("Migrations appliquées"));
    assert!(
        !text.contains("postgres@") || !app.database_url.contains(':'),
        "no secrets in output"
    );
}

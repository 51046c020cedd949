//! Bad input never causes a 500 (nor a panic), and changes nothing.

use maillage::entities::{audit_entry, meeting, organisation, person, platform, working_group};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait};

use crate::helpers::{MeetingForm, TestApp};

#[tokio::test]
async fn garbage_sent_to_every_form_gets_a_4xx_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let platform_id = app
        .create_platform("Sociojuridique", "sociojuridique", true)
        .await;
    let group = app.create_group(platform_id, "Interpellation").await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    let token = admin.csrf().await;
    let before = (
        platform::Entity::find().count(&app.db).await.unwrap(),
        working_group::Entity::find().count(&app.db).await.unwrap(),
        organisation::Entity::find().count(&app.db).await.unwrap(),
        person::Entity::find().count(&app.db).await.unwrap(),
        audit_entry::Entity::find().count(&app.db).await.unwrap(),
    );
    let long = "é".repeat(100_000);
    let bodies: Vec<Vec<u8>> = vec![
        format!("csrf_token={token}&name=&email=&kind=&role=&person_id=").into_bytes(),
        format!("csrf_token={token}&name=%FF%FE&email=%00&person_id=-1&role=%00").into_bytes(),
        format!("csrf_token={token}&person_id=99999999999999999999999&role=coordinator&municipality_id=1e9&organisation_id=x").into_bytes(),
        format!("csrf_token={token}&name=%20&name=%20&visibility=public&visibility=members&slug=..%2F..").into_bytes(),
        format!("csrf_token={token}&email={long}&name={long}&kind=asbl&language=fr").into_bytes(),
        [format!("csrf_token={token}&name=").into_bytes(), vec![0xff, 0xfe, 0x00]].concat(),
    ];
    let paths = [
        "/plateformes".to_string(),
        "/plateformes/sociojuridique".to_string(),
        "/plateformes/sociojuridique/gt".to_string(),
        "/plateformes/sociojuridique/membres".to_string(),
        "/plateformes/sociojuridique/membres/1/role".to_string(),
        "/plateformes/sociojuridique/membres/abc/role".to_string(),
        format!("/gt/{group}/membres"),
        "/organisations".to_string(),
        "/organisations/1".to_string(),
        "/personnes".to_string(),
        "/personnes/-5".to_string(),
        "/connexion".to_string(),
        "/profil/mot-de-passe".to_string(),
    ];
    for path in &paths {
        for body in &bodies {
            let response = admin
                .client
                .post(admin.url(path))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body.clone())
                .send()
                .await
                .unwrap();
            let status = response.status();
            assert!(status.is_client_error(), "POST {path} answered {status}");
            let html = response.text().await.unwrap();
            assert!(html.contains("lang=\"fr\""), "POST {path}: a French page");
        }
    }
    for path in [
        "/personnes/99999999999999999999999",
        "/gt/-1",
        "/organisations/%00",
        "/plateformes/%FF",
        "/personnes?q=%FF",
    ] {
        let status = admin.get(path).await.status();
        assert!(
            status.is_client_error() || status == StatusCode::OK,
            "GET {path} answered {status}"
        );
    }
    let after = (
        platform::Entity::find().count(&app.db).await.unwrap(),
        working_group::Entity::find().count(&app.db).await.unwrap(),
        organisation::Entity::find().count(&app.db).await.unwrap(),
        person::Entity::find().count(&app.db).await.unwrap(),
        audit_entry::Entity::find().count(&app.db).await.unwrap(),
    );
    assert_eq!(before, after);
}

/// A status written by hand outside its closed set (a script, an old import) is not read as some
/// default: the meeting's page is a server error, and the error names the meeting and the value.
#[tokio::test]
async fn a_meeting_row_holding_an_unknown_status_is_an_error_naming_it_not_a_default() {
    let app = TestApp::spawn().await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    let id = MeetingForm::new("Plénière du PPLI")
        .on("2027-06-08")
        .from("09:00")
        .to("16:00")
        .schedule(&admin)
        .await;
    assert_eq!(
        admin.get(&format!("/reunions/{id}")).await.status(),
        StatusCode::OK
    );

    app.db
        .execute_unprepared(&format!(
            "UPDATE meetings SET status = 'reportée' WHERE id = {id}"
        ))
        .await
        .unwrap();

    assert_eq!(
        admin.get(&format!("/reunions/{id}")).await.status(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
    let Err(error) = maillage::meetings::load(&app.state, id).await else {
        panic!("a meeting with an unknown status was read");
    };
    let error = error.to_string();
    assert!(
        error.contains(&format!("réunion {id} ")) && error.contains("reportée"),
        "{error}"
    );
    assert!(
        meeting::Entity::find_by_id(id).one(&app.db).await.is_err(),
        "sea-orm refuses the row too"
    );
}

//! End-to-end in a real browser: headless Chromium driven through chromedriver (WebDriver), on
//! the real app. It proves what the HTTP-level tests cannot: that htmx, loaded by the page,
//! really wires the picker and swaps the members panel in place.
//!
//! Needs `chromedriver` (and Chromium). Without it the test is skipped, unless
//! `MAILLAGE_REQUIRE_BROWSER=1` (CI), where a missing chromedriver is a failure.
//! `CHROMEDRIVER` names the driver binary, `CHROME_BIN` the browser binary
//! (tests/app/helpers/chrome.rs).

use fantoccini::{ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use maillage::entities::platform_membership;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::helpers::chrome::{
    ChromeDriver, capabilities, find_chromedriver, wait_for_htmx, wait_for_text,
};
use crate::helpers::{PASSWORD, TestApp, skipped};

#[tokio::test]
async fn a_coordinator_signs_in_and_adds_a_member_through_the_htmx_picker_in_a_real_browser() {
    let Some(chromedriver) = find_chromedriver() else {
        assert!(
            std::env::var("MAILLAGE_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "MAILLAGE_REQUIRE_BROWSER=1 but chromedriver was not found (CHROMEDRIVER, \
             /usr/bin/chromedriver, PATH): install chromium and chromium-driver"
        );
        skipped(
            "Chromium et chromedriver",
            "apt-get install chromium chromium-driver, ou CHROMEDRIVER=…",
        );
        return;
    };

    // Arrange.
    let app = TestApp::spawn().await;
    let platform = app
        .create_platform("Sociojuridique", "sociojuridique", true)
        .await;
    let coralie = app
        .create_person("Coralie Lefèvre", "coralie@cri-namur.example", false)
        .await;
    app.add_to_platform(platform, coralie, "coordinator").await;
    let amina = app
        .create_person("Amina Benali", "amina@cpas-dinant.example", false)
        .await;

    // Declared before the driver, so dropped after it: the browser is gone before its profile.
    let profile = tempfile::tempdir().expect("browser profile dir");
    let driver = ChromeDriver::start(&chromedriver).await;
    // Plain HTTP to the loopback driver: no TLS stack (and no process-wide rustls provider) needed.
    let client = ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities(profile.path()))
        .connect(&driver.url())
        .await
        .expect("a chromium session through chromedriver");

    // Sign in through the real form.
    client
        .goto(&format!("{}/connexion", app.address))
        .await
        .expect("open /connexion");
    client
        .find(Locator::Css("#email"))
        .await
        .expect("email field")
        .send_keys("coralie@cri-namur.example")
        .await
        .expect("type the email");
    client
        .find(Locator::Css("#password"))
        .await
        .expect("password field")
        .send_keys(PASSWORD)
        .await
        .expect("type the password");
    client
        .find(Locator::Css(
            r#"form[action="/connexion"] button[type="submit"]"#,
        ))
        .await
        .expect("sign-in button")
        .click()
        .await
        .expect("submit the sign-in form");
    wait_for_text(&client, "h1", &["Bonjour Coralie Lefèvre"]).await;
    assert_eq!(client.current_url().await.expect("url").path(), "/");

    // The platform page; a marker that only survives if the page is never reloaded.
    client
        .goto(&format!("{}/plateformes/sociojuridique", app.address))
        .await
        .expect("open the platform");
    wait_for_htmx(&client).await;
    client
        .execute("window.__pasRecharge = 42;", vec![])
        .await
        .expect("set the marker");
    wait_for_text(&client, "#membres", &["Membres (1)"]).await;

    // Search through the picker, add from the results.
    client
        .find(Locator::Css("#picker-q"))
        .await
        .expect("picker search field")
        .send_keys("Amina")
        .await
        .expect("type in the picker");
    wait_for_text(&client, "#picker-results", &["Amina Benali"]).await;
    client
        .find(Locator::Css(&format!(
            r#"#picker-results button[data-add="{amina}"]"#
        )))
        .await
        .expect("the Ajouter button for Amina")
        .click()
        .await
        .expect("click Ajouter");
    wait_for_text(
        &client,
        "#membres",
        &["Amina Benali ajouté·e", "Membres (2)"],
    )
    .await;

    // Updated in place by htmx: same address, same page (the marker is still there).
    assert_eq!(
        client.current_url().await.expect("url").path(),
        "/plateformes/sociojuridique"
    );
    let marker = client
        .execute("return window.__pasRecharge ?? null;", vec![])
        .await
        .expect("read the marker");
    assert_eq!(
        marker,
        json!(42),
        "the page was reloaded instead of swapped by htmx"
    );

    let membership = platform_membership::Entity::find()
        .filter(platform_membership::Column::PlatformId.eq(platform))
        .filter(platform_membership::Column::PersonId.eq(amina))
        .one(&app.db)
        .await
        .expect("query memberships")
        .expect("Amina is now a member of the platform");
    assert_eq!(membership.role, platform_membership::Role::Member);

    client.close().await.expect("close the browser session");
    drop(driver);
}

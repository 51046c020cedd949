use reqwest::StatusCode;

use crate::helpers::TestApp;

#[tokio::test]
async fn healthz_answers_ok_when_the_database_answers() {
    let app = TestApp::spawn().await;
    let response = app.anonymous.get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");
}

#[tokio::test]
async fn unknown_pages_get_a_french_404_page() {
    let app = TestApp::spawn().await;
    for path in [
        "/nulle-part",
        "/plateformes/inconnue",
        "/gt/999999",
        "/gt/pas-un-nombre",
        "/personnes/abc",
    ] {
        let (status, html) = app.anonymous.get_html(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(html.contains("Page introuvable"), "{path}: {html}");
    }
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_security_headers() {
    let app = TestApp::spawn().await;
    let response = app.anonymous.get("/").await;
    let headers = response.headers();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert!(
        headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'self'")
    );
    assert_eq!(headers["x-request-id"].len(), 32);
}

#[tokio::test]
async fn static_files_are_served_with_an_etag_and_304() {
    let app = TestApp::spawn().await;
    let response = app.anonymous.get("/static/htmx.min.js").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    let etag = response.headers()["etag"].to_str().unwrap().to_string();
    let body = response.text().await.unwrap();
    assert!(body.contains("htmx"), "the vendored htmx is served");
    let again = app
        .anonymous
        .client
        .get(app.anonymous.url("/static/htmx.min.js"))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    let css = app.anonymous.get("/static/style.css").await;
    assert!(
        css.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
}

#[tokio::test]
async fn pages_are_compressed_when_the_client_accepts_it() {
    let app = TestApp::spawn().await;
    let response = app
        .anonymous
        .client
        .get(app.anonymous.url("/static/htmx.min.js"))
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-encoding"], "gzip");
}

#[tokio::test]
async fn the_server_stops_gracefully_and_then_refuses_connections() {
    let mut app = TestApp::spawn().await;
    assert_eq!(app.anonymous.get("/bureaux").await.status(), StatusCode::OK);
    app.stop().await;
    assert!(
        app.anonymous
            .client
            .get(app.anonymous.url("/healthz"))
            .send()
            .await
            .is_err()
    );
}

//! Boundaries that hold by construction: feeds stay fresh whoever writes the database (triggers,
//! not handlers, log changes), pages of the base rooms get other rooms' data as panels served by
//! those rooms, and a scan of `src/` keeps each room from naming the rooms above it.

use std::path::{Path, PathBuf};

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use sea_orm::ConnectionTrait;

use crate::helpers::{TestApp, Visitor, schedule_meeting};

// ---------------------------------------------------------------------------------------------
// Feeds follow writes made outside the app

/// The feed with its folded lines joined (RFC 5545 §3.1), and its ETag.
async fn feed(visitor: &Visitor, path: &str) -> (String, String) {
    let response = visitor.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let etag = response
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let body = response.text().await.expect("feed body");
    (body.replace("\r\n ", ""), etag)
}

/// A public platform "emploi" with one public meeting next month, scheduled through the app;
/// both feeds that show it are asked for once (so each instance keeps them in memory).
async fn platform_with_meeting(app: &TestApp) -> (i64, i64) {
    let (_, admin) = app
        .signed_in("Coordination", "coordination@example.org", true)
        .await;
    let platform = app.create_platform("Emploi", "emploi", true).await;
    let date = (Utc::now() + Duration::days(30))
        .format("%Y-%m-%d")
        .to_string();
    let meeting = schedule_meeting(
        &admin,
        &[
            ("scope", &format!("platform:{platform}")),
            ("kind", "plenary"),
            ("title", "Plénière d'automne"),
            ("date", &date),
            ("start_time", "09:00"),
            ("end_time", "12:00"),
            ("visibility", "public"),
        ],
    )
    .await;
    for path in ["/agenda/plateformes/emploi.ics", "/agenda/reseau.ics"] {
        let (body, _) = feed(&app.anonymous, path).await;
        assert!(
            body.contains("SUMMARY:Plénière d'automne"),
            "{path}: {body}"
        );
    }
    (platform, meeting)
}

/// The ETag the client holds no longer matches: a conditional request gets the new feed.
async fn assert_not_current(visitor: &Visitor, path: &str, old_etag: &str) {
    let response = visitor
        .client
        .get(visitor.url(path))
        .header("if-none-match", old_etag)
        .send()
        .await
        .expect("conditional GET");
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "{path} still answers 304"
    );
}

#[tokio::test]
async fn a_meeting_title_changed_outside_the_app_shows_in_the_public_feeds_on_the_next_request() {
    let app = TestApp::spawn().await;
    let (_, meeting) = platform_with_meeting(&app).await;
    let (_, old_etag) = feed(&app.anonymous, "/agenda/plateformes/emploi.ics").await;

    // A script, not the app: no handler remembers anything.
    app.db
        .execute_unprepared(&format!(
            "UPDATE meetings SET title = 'Plénière renommée' WHERE id = {meeting}"
        ))
        .await
        .expect("raw update");

    for path in ["/agenda/plateformes/emploi.ics", "/agenda/reseau.ics"] {
        let (body, _) = feed(&app.anonymous, path).await;
        assert!(body.contains("SUMMARY:Plénière renommée"), "{path}: {body}");
        assert!(!body.contains("Plénière d'automne"), "{path}: stale text");
    }
    assert_not_current(&app.anonymous, "/agenda/plateformes/emploi.ics", &old_etag).await;
}

#[tokio::test]
async fn an_agenda_item_inserted_outside_the_app_shows_in_the_public_feed_on_the_next_request() {
    let app = TestApp::spawn().await;
    let (_, meeting) = platform_with_meeting(&app).await;
    let (_, old_etag) = feed(&app.anonymous, "/agenda/plateformes/emploi.ics").await;

    app.db
        .execute_unprepared(&format!(
            "INSERT INTO agenda_items (meeting_id, position, time, title, presenters) \
             VALUES ({meeting}, 1, '09:30', 'Accueil des nouveaux membres', '')"
        ))
        .await
        .expect("raw insert");

    let (body, _) = feed(&app.anonymous, "/agenda/plateformes/emploi.ics").await;
    assert!(
        body.contains("09:30 Accueil des nouveaux membres"),
        "the programme is in the description: {body}"
    );
    assert_not_current(&app.anonymous, "/agenda/plateformes/emploi.ics", &old_etag).await;
}

#[tokio::test]
async fn a_platform_renamed_outside_the_app_shows_in_the_public_feeds_on_the_next_request() {
    let app = TestApp::spawn().await;
    let (platform, _) = platform_with_meeting(&app).await;
    let (_, old_etag) = feed(&app.anonymous, "/agenda/plateformes/emploi.ics").await;

    app.db
        .execute_unprepared(&format!(
            "UPDATE platforms SET name = 'Emploi et formation' WHERE id = {platform}"
        ))
        .await
        .expect("raw update");

    let (body, _) = feed(&app.anonymous, "/agenda/plateformes/emploi.ics").await;
    assert!(
        body.contains("X-WR-CALNAME:Emploi et formation — agenda"),
        "the feed's name: {body}"
    );
    assert!(
        body.contains("CATEGORIES:Emploi et formation"),
        "each meeting's category (kept VEVENTs rewritten): {body}"
    );
    let (network, _) = feed(&app.anonymous, "/agenda/reseau.ics").await;
    assert!(
        network.contains("CATEGORIES:Emploi et formation"),
        "{network}"
    );
    assert_not_current(&app.anonymous, "/agenda/plateformes/emploi.ics", &old_etag).await;
}

#[tokio::test]
async fn a_registration_counter_moving_is_not_a_feed_change() {
    let app = TestApp::spawn().await;
    let (_, meeting) = platform_with_meeting(&app).await;
    let (body, etag) = feed(&app.anonymous, "/agenda/plateformes/emploi.ics").await;

    // What no feed shows: the feed stays as it was (a 304 for the copy held).
    app.db
        .execute_unprepared(&format!(
            "UPDATE meetings SET registration_counter = registration_counter + 1 WHERE id = {meeting}"
        ))
        .await
        .expect("raw update");

    let response = app
        .anonymous
        .client
        .get(app.anonymous.url("/agenda/plateformes/emploi.ics"))
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("conditional GET");
    assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(
        feed(&app.anonymous, "/agenda/plateformes/emploi.ics")
            .await
            .0,
        body
    );
}

// ---------------------------------------------------------------------------------------------
// Pages of the base rooms load other rooms' panels

#[tokio::test]
async fn the_platform_page_loads_its_meetings_from_the_meetings_room_with_a_plain_link_fallback() {
    let app = TestApp::spawn().await;
    platform_with_meeting(&app).await;

    let (status, page) = app.anonymous.get_html("/plateformes/emploi").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(r#"hx-get="/plateformes/emploi/reunions""#),
        "{page}"
    );
    assert!(page.contains(r#"hx-trigger="load""#), "{page}");
    assert!(
        page.contains(
            r#"<a href="/plateformes/emploi/reunions">Voir les réunions de la plateforme</a>"#
        ),
        "{page}"
    );

    let (status, fragment) = app.anonymous.get_htmx("/plateformes/emploi/reunions").await;
    assert_eq!(status, StatusCode::OK);
    assert!(fragment.contains("Plénière d'automne"), "{fragment}");
    assert!(!fragment.contains("<html"), "htmx gets the fragment alone");
    assert!(fragment.starts_with(r#"<div id="reunions-plateforme">"#));

    let (status, whole) = app.anonymous.get_html("/plateformes/emploi/reunions").await;
    assert_eq!(status, StatusCode::OK);
    assert!(whole.contains("<html"), "without JavaScript, a page");
    assert!(whole.contains("Plénière d'automne"), "{whole}");
}

#[tokio::test]
async fn the_group_page_loads_its_meetings_and_attendance_as_panels_for_those_allowed() {
    let app = TestApp::spawn().await;
    let (_, admin) = app
        .signed_in("Coordination", "coordination@example.org", true)
        .await;
    let platform = app.create_platform("Emploi", "emploi", true).await;
    let group = app.create_group(platform, "Insertion").await;
    let date = (Utc::now() + Duration::days(30))
        .format("%Y-%m-%d")
        .to_string();
    schedule_meeting(
        &admin,
        &[
            ("scope", &format!("group:{group}")),
            ("kind", "working_group"),
            ("title", "Réunion du groupe"),
            ("date", &date),
            ("start_time", "09:00"),
            ("end_time", "12:00"),
            ("visibility", "public"),
        ],
    )
    .await;

    let (_, page) = app.anonymous.get_html(&format!("/gt/{group}")).await;
    assert!(
        page.contains(&format!(r#"<a href="/gt/{group}/reunions">"#)),
        "{page}"
    );
    assert!(!page.contains("/presences"), "no attendance for the public");
    let (_, fragment) = app
        .anonymous
        .get_htmx(&format!("/gt/{group}/reunions"))
        .await;
    assert!(fragment.contains("Réunion du groupe"), "{fragment}");
    let response = app.anonymous.get(&format!("/gt/{group}/presences")).await;
    assert_ne!(
        response.status(),
        StatusCode::OK,
        "attendance stays guarded"
    );

    let (_, page) = admin.get_html(&format!("/gt/{group}")).await;
    assert!(
        page.contains(&format!(r#"hx-get="/gt/{group}/presences""#)),
        "{page}"
    );
    let (status, table) = admin.get_htmx(&format!("/gt/{group}/presences")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(table.contains("Présences sur l'année"), "{table}");
}

// ---------------------------------------------------------------------------------------------
// The rooms' boundaries, read from the source

/// Base rooms: they never name the rooms above them.
const BASE_ROOMS: &[&str] = &[
    "platforms",
    "groups",
    "members",
    "organisations",
    "people",
    "offices",
    "auth",
    "web",
];
const ABOVE_BASE: &[&str] = &["meetings", "calendar", "mail"];
/// Meetings never name these: they publish events (`crate::events`); mail and calendar follow.
const ABOVE_MEETINGS: &[&str] = &["calendar", "mail"];
/// `events` is at the bottom, named by every room: it names none of them (nor the state that
/// holds the bus).
const ABOVE_EVENTS: &[&str] = &[
    "platforms",
    "groups",
    "members",
    "organisations",
    "people",
    "offices",
    "auth",
    "web",
    "audit",
    "meetings",
    "calendar",
    "mail",
    "state",
    "app",
];

/// One module path that names a room: where, and as written (`crate::meetings::upcoming`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Named {
    line: usize,
    room: String,
    /// The path from the room on (`meetings::upcoming`).
    item: String,
}

/// `src` with comments, string and character literals blanked (newlines kept, so lines count
/// the same), then every `#[cfg(test)]` item blanked.
fn code_only(src: &str) -> String {
    let chars: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && raw_string_may_start(&chars, i)
        {
            // A raw string: r"…", r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            let close: String = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            let close: Vec<char> = close.chars().collect();
            while j < chars.len() && !chars[j..].starts_with(&close) {
                j += 1;
            }
            j = (j + close.len()).min(chars.len());
            for &k in &chars[i..j] {
                out.push(blank(k));
            }
            i = j;
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < chars.len() {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' && next == Some('\\') {
            // '\n', '\'', '\u{..}'
            let mut j = i + 2;
            j += 1;
            while j < chars.len() && chars[j] != '\'' {
                j += 1;
            }
            for _ in i..=j.min(chars.len() - 1) {
                out.push(' ');
            }
            i = j + 1;
        } else if c == '\'' && chars.get(i + 2) == Some(&'\'') {
            out.push_str("   ");
            i += 3;
        } else {
            out.push(c);
            i += 1;
        }
    }
    blank_test_items(&out)
}

/// Whether the `r` at `i` starts a raw string (`r"`, `br"`), not ends an identifier.
fn raw_string_may_start(chars: &[char], i: usize) -> bool {
    let word = |k: usize| {
        chars
            .get(k)
            .is_some_and(|p| p.is_alphanumeric() || *p == '_')
    };
    match i.checked_sub(1) {
        None => true,
        Some(before) if chars[before] == 'b' => before == 0 || !word(before - 1),
        Some(before) => !word(before),
    }
}

/// Blanks each item under `#[cfg(test)]` (a `mod tests;` line or a braced block).
fn blank_test_items(code: &str) -> String {
    let mut chars: Vec<char> = code.chars().collect();
    let marker: Vec<char> = "#[cfg(test)]".chars().collect();
    let mut i = 0;
    while i + marker.len() <= chars.len() {
        if chars[i..].starts_with(&marker) {
            let mut j = i + marker.len();
            // The item ends at the first `;` before any `{`, or at the brace that closes.
            let mut depth = 0usize;
            while j < chars.len() {
                match chars[j] {
                    ';' if depth == 0 => break,
                    '{' => depth += 1,
                    '}' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            let end = (j + 1).min(chars.len());
            for c in chars.iter_mut().take(end).skip(i) {
                if *c != '\n' {
                    *c = ' ';
                }
            }
            i = j + 1;
        } else {
            i += 1;
        }
    }
    chars.into_iter().collect()
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Path,
    Open,
    Close,
    Comma,
    Other,
}

fn tokens(code: &str) -> Vec<(usize, Token)> {
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push((line, Token::Ident(chars[start..i].iter().collect())));
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            out.push((line, Token::Path));
            i += 2;
        } else {
            out.push((
                line,
                match c {
                    '{' => Token::Open,
                    '}' => Token::Close,
                    ',' => Token::Comma,
                    _ => Token::Other,
                },
            ));
            i += 1;
        }
    }
    out
}

/// The rest of a path from token `i` on (`a::b::C`), as text.
fn path_from(tokens: &[(usize, Token)], mut i: usize) -> String {
    let mut out = String::new();
    while let Some((_, Token::Ident(name))) = tokens.get(i) {
        out.push_str(name);
        if tokens.get(i + 1).map(|t| &t.1) == Some(&Token::Path)
            && matches!(tokens.get(i + 2).map(|t| &t.1), Some(Token::Ident(_)))
        {
            out.push_str("::");
            i += 2;
        } else {
            break;
        }
    }
    out
}

/// Every root module a file names through `crate::`, `super::` or `self::` paths, `use`
/// groups included. `module`: the file's module path (`["meetings", "edit"]`).
fn named_rooms(code: &str, module: &[String]) -> Vec<Named> {
    let tokens = tokens(code);
    let mut found = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let starts_path = i == 0 || tokens[i - 1].1 != Token::Path;
        let (line, Token::Ident(first)) = &tokens[i] else {
            i += 1;
            continue;
        };
        if !starts_path || !matches!(first.as_str(), "crate" | "super" | "self") {
            i += 1;
            continue;
        }
        let mut at: Vec<String> = match first.as_str() {
            "crate" => Vec::new(),
            "self" => module.to_vec(),
            _ => module[..module.len().saturating_sub(1)].to_vec(),
        };
        let mut j = i + 1;
        // More `::super` / `::self`.
        while tokens.get(j).map(|t| &t.1) == Some(&Token::Path) {
            match tokens.get(j + 1).map(|t| &t.1) {
                Some(Token::Ident(s)) if s == "super" => {
                    at.pop();
                    j += 2;
                }
                Some(Token::Ident(s)) if s == "self" => j += 2,
                _ => break,
            }
        }
        if tokens.get(j).map(|t| &t.1) != Some(&Token::Path) {
            i = j;
            continue;
        }
        match tokens.get(j + 1).map(|t| &t.1) {
            Some(Token::Ident(_)) => {
                let rest = path_from(&tokens, j + 1);
                let (room, item) = match at.first() {
                    Some(room) => (room.clone(), format!("{}::{rest}", at.join("::"))),
                    None => (
                        rest.split("::").next().unwrap_or_default().to_string(),
                        rest.clone(),
                    ),
                };
                found.push(Named {
                    line: *line,
                    room,
                    item,
                });
                i = j + 2;
            }
            Some(Token::Open) => {
                // `{a::b, c, d::{e, f}}`: each element at the group's top level.
                let mut k = j + 2;
                let mut depth = 1;
                let mut element_start = true;
                while k < tokens.len() && depth > 0 {
                    match &tokens[k].1 {
                        Token::Open => depth += 1,
                        Token::Close => depth -= 1,
                        Token::Comma if depth == 1 => element_start = true,
                        Token::Ident(_) if depth == 1 && element_start => {
                            element_start = false;
                            let rest = path_from(&tokens, k);
                            let room = match at.first() {
                                Some(room) => room.clone(),
                                None => rest.split("::").next().unwrap_or_default().to_string(),
                            };
                            let item = if at.is_empty() {
                                rest
                            } else {
                                format!("{}::{rest}", at.join("::"))
                            };
                            found.push(Named {
                                line: tokens[k].0,
                                room,
                                item,
                            });
                        }
                        _ => {}
                    }
                    k += 1;
                }
                i = k;
            }
            _ => i = j + 1,
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/meetings/edit.rs` → `["meetings", "edit"]`; `src/meetings/mod.rs` → `["meetings"]`.
fn module_of(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .iter()
        .skip(1)
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// What each file of `src/` names that its room may not: "file:line: …".
fn crossings() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files.sort();
    let mut refused = Vec::new();
    for file in files {
        let relative = file.strip_prefix(root).expect("under the crate");
        let shown = relative.to_string_lossy().replace('\\', "/");
        let module = module_of(relative);
        let Some(room) = module.first().cloned() else {
            continue;
        };
        let forbidden: &[&str] = if BASE_ROOMS.contains(&room.as_str()) {
            ABOVE_BASE
        } else if room == "meetings" {
            ABOVE_MEETINGS
        } else if room == "events" {
            ABOVE_EVENTS
        } else {
            continue;
        };
        let source = std::fs::read_to_string(&file).expect("read source");
        for named in named_rooms(&code_only(&source), &module) {
            if forbidden.contains(&named.room.as_str()) {
                refused.push(format!(
                    "{shown}:{}: the {room} room names `{}` ({})",
                    named.line, named.room, named.item
                ));
            }
        }
    }
    refused
}

#[test]
fn base_rooms_never_name_meetings_calendar_or_mail_and_meetings_never_name_calendar_or_mail() {
    let refused = crossings();
    assert!(
        refused.is_empty(),
        "rooms naming rooms above them (compose from above: a panel, an event, a trigger):\n{}",
        refused.join("\n")
    );
}

#[test]
fn the_boundary_scan_checks_the_events_module_and_the_meetings_room() {
    // The scan would see a meetings → mail call, and one from `events` to any room: these are
    // the files it reads, under the rooms it treats them as.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert_eq!(module_of(Path::new("src/events.rs")), ["events"]);
    assert!(root.join("src/events.rs").exists());
    let meetings_call = "crate::mail::notify::meeting_changed(&txn);";
    let named = named_rooms(
        &code_only(meetings_call),
        &["meetings".to_string(), "edit".to_string()],
    );
    assert_eq!(named[0].room, "mail");
    assert!(ABOVE_MEETINGS.contains(&"mail"));
    let named = named_rooms(
        &code_only("use crate::{entities::domain_event, meetings::booking};"),
        &["events".to_string()],
    );
    let rooms: Vec<&str> = named.iter().map(|n| n.room.as_str()).collect();
    assert_eq!(rooms, ["entities", "meetings"]);
    assert!(!ABOVE_EVENTS.contains(&"entities"));
    assert!(ABOVE_EVENTS.contains(&"meetings"));
}

#[test]
fn the_boundary_scan_sees_inline_paths_groups_and_supers_but_not_comments_strings_or_tests() {
    let source = r##"
use crate::{web::Ctx, meetings::{self, Filter}};
// crate::calendar in a comment
/* crate::mail::notify in a block */
fn f() {
    let s = "crate::calendar::views";
    let r = r#"crate::mail"#;
    let c = '"';
    crate::calendar::views::subscribe();
    super::super::mail::notify::x();
    let calendar = 1;
}
#[cfg(test)]
mod tests {
    use crate::mail::compose;
}
"##;
    let module = vec!["platforms".to_string(), "views".to_string()];
    let named: Vec<(usize, String, String)> = named_rooms(&code_only(source), &module)
        .into_iter()
        .map(|n| (n.line, n.room, n.item))
        .collect();
    assert_eq!(
        named,
        vec![
            (2, "web".into(), "web::Ctx".into()),
            (2, "meetings".into(), "meetings".into()),
            (9, "calendar".into(), "calendar::views::subscribe".into()),
            (10, "mail".into(), "mail::notify::x".into()),
        ]
    );
    // `super::views` from platforms/mod.rs stays in platforms.
    let named = named_rooms(
        "super::views::show();",
        &["platforms".to_string(), "x".to_string()],
    );
    assert_eq!(named[0].room, "platforms");
}

//! Yearly attendance per member (issue #11, point 2): the table of a working group and of a
//! platform, a person's own year, as pages and as CSV; who may see which rows; which columns.
//! The years used are over whenever the suite runs (2024, 2025), so the tables are complete.

use chrono::{NaiveDate, Utc};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use crate::helpers::{MeetingForm, TestApp, Visitor, location};
use maillage::entities::attendance::{self, Presence};
use maillage::entities::platform_membership;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The session of series `meeting_id` on `date` (its row of the index, written if need be).
async fn session(app: &TestApp, meeting_id: i64, date: NaiveDate) -> i64 {
    maillage::meetings::index::session_on(&app.db, meeting_id, date)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("a session on {date}"))
        .id
}

/// An attendance row for a session, written directly (the session attendance form is built
/// elsewhere).
async fn mark_session(
    app: &TestApp,
    meeting_id: i64,
    occurrence_id: i64,
    who: Result<i64, &str>,
    status: Presence,
) {
    let (person_id, name) = match who {
        Ok(id) => (Some(id), String::new()),
        Err(name) => (None, name.to_string()),
    };
    attendance::ActiveModel {
        meeting_id: Set(meeting_id),
        occurrence_id: Set(Some(occurrence_id)),
        person_id: Set(person_id),
        walk_in_name: Set(name),
        status: Set(status),
        marked_by: Set(None),
        marked_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
}

/// Marks a one-off meeting's attendance through its sheet, as a coordinator does.
async fn mark(coordinator: &Visitor, meeting_id: i64, person_id: i64, status: &str) {
    let r = coordinator
        .post_form(
            &format!("/reunions/{meeting_id}/presences/{person_id}"),
            &[("status", status)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{status}");
}

/// The texts of the cells of the table row `id` (`<tr id="membre-7">`), first cell (the name)
/// excluded: the presences, then present, excused, absent, rate.
fn row_cells(html: &str, id: &str) -> Option<Vec<String>> {
    let start = html.find(&format!("<tr id=\"{id}\""))?;
    let row = &html[start..];
    let row = &row[..row.find("</tr>")?];
    Some(
        row.split("<td")
            .skip(1)
            .map(|cell| {
                let text = &cell[cell.find('>').map_or(0, |i| i + 1)..];
                text[..text.find("</td>").unwrap_or(text.len())].to_string()
            })
            .collect(),
    )
}

/// The column headings (dates) of the table, in order.
fn headings(html: &str) -> Vec<String> {
    let Some(start) = html.find("<table class=\"yearly\">") else {
        return Vec::new();
    };
    let head = &html[start..];
    let head = &head[..head.find("</thead>").unwrap_or(head.len())];
    head.split("title=\"")
        .skip(1)
        .map(|h| {
            let date = &h[h.find('>').map_or(0, |i| i + 1)..];
            date[..date.find('<').unwrap_or(date.len())].to_string()
        })
        .collect()
}

/// The CSV body: checks the byte-order mark and the headers, returns the records.
async fn csv_records(browser: &Visitor, path: &str) -> Vec<Vec<String>> {
    let r = browser.get(path).await;
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    let disposition = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.starts_with("attachment; filename=") && disposition.ends_with(".csv\""),
        "{disposition}"
    );
    let bytes = r.bytes().await.unwrap();
    assert!(
        bytes.starts_with(&[0xEF, 0xBB, 0xBF]),
        "UTF-8 byte-order mark"
    );
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(&bytes[3..])
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

struct Group {
    app: TestApp,
    group: i64,
    coordinator: Visitor,
    admin: Visitor,
    mina: (i64, Visitor),
    yves: i64,
    /// Not a member of the group; came once (picked from the directory on the spot).
    outsider: i64,
    platform_member: Visitor,
}

/// A group of the Sociojuridique platform: a monthly series of four sessions from
/// 10 November 2024 and a one-off meeting on 4 March 2025, with attendance in both years.
async fn group_with_a_year_of_attendance() -> Group {
    let app = TestApp::spawn().await;
    let platform = app
        .create_platform("Sociojuridique", "sociojuridique", true)
        .await;
    let group = app
        .create_group(platform, "Relevé de constats et interpellations")
        .await;
    let (_, admin) = app
        .signed_in("Claire Dubois", "admin@x.example", true)
        .await;
    let (coord, coordinator) = app
        .signed_in("Aïcha Benali", "aicha@x.example", false)
        .await;
    app.add_to_platform(platform, coord, "coordinator").await;
    let mina = app.signed_in("Mina Diallo", "mina@x.example", false).await;
    app.add_to_group(group, mina.0, "member").await;
    let yves = app
        .create_person("Yves Martin", "yves@x.example", false)
        .await;
    app.add_to_group(group, yves, "member").await;
    let outsider = app
        .create_person("=HYPERLINK(\"http://x.example\")", "out@x.example", false)
        .await;
    let (pm, platform_member) = app
        .signed_in("Membre de la plateforme", "pm@x.example", false)
        .await;
    app.add_to_platform(platform, pm, "member").await;

    let series = MeetingForm::new("Relevé mensuel des constats")
        .group(group)
        .kind("findings")
        .members_only()
        .on("2024-11-10")
        .from("09:30")
        .to("11:30")
        .set("repeat", "monthly_day")
        .set("count", "4")
        .schedule(&admin)
        .await;
    let december = session(&app, series, day(2024, 12, 10)).await;
    let january = session(&app, series, day(2025, 1, 10)).await;
    let february = session(&app, series, day(2025, 2, 10)).await;
    mark_session(&app, series, december, Ok(mina.0), Presence::Present).await;
    mark_session(&app, series, january, Ok(mina.0), Presence::Absent).await;
    mark_session(&app, series, january, Ok(yves), Presence::Present).await;
    mark_session(&app, series, february, Ok(mina.0), Presence::Present).await;
    mark_session(
        &app,
        series,
        february,
        Err("Voisine du quartier"),
        Presence::Present,
    )
    .await;

    let one_off = MeetingForm::new("GT : préparer l'interpellation du CPAS")
        .group(group)
        .kind("working_group")
        .members_only()
        .on("2025-03-04")
        .from("14:00")
        .to("16:00")
        .status("held")
        .schedule(&coordinator)
        .await;
    mark(&coordinator, one_off, mina.0, "present").await;
    mark(&coordinator, one_off, yves, "excused").await;
    let r = coordinator
        .post_form(
            &format!("/reunions/{one_off}/presences/sur-place"),
            &[("person_id", &outsider.to_string())],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    Group {
        app,
        group,
        coordinator,
        admin,
        mina,
        yves,
        outsider,
        platform_member,
    }
}

#[tokio::test]
async fn the_group_table_puts_sessions_and_meetings_of_the_year_in_their_cells_with_totals() {
    let g = group_with_a_year_of_attendance().await;
    let path = format!("/gt/{}/presences/2025", g.group);
    let (status, html) = g.coordinator.get_html(&path).await;
    assert_eq!(status, StatusCode::OK);
    // The December session belongs to 2024: not a column of 2025.
    assert_eq!(headings(&html), ["10/01", "10/02", "04/03"], "{html}");
    assert_eq!(
        row_cells(&html, &format!("membre-{}", g.mina.0)).unwrap(),
        ["absent·e", "présent·e", "présent·e", "2", "0", "1", "67 %"]
    );
    assert_eq!(
        row_cells(&html, &format!("membre-{}", g.yves)).unwrap(),
        ["présent·e", "—", "excusé·e", "1", "1", "0", "50 %"]
    );
    assert_eq!(
        row_cells(&html, &format!("membre-{}", g.outsider)).unwrap(),
        ["—", "—", "présent·e", "1", "0", "0", "100 %"]
    );
    assert!(html.contains("hors membres"));
    assert_eq!(
        row_cells(&html, "presents-par-reunion").unwrap(),
        ["1", "2", "2", ""],
        "present per meeting: the walk-in by name counts"
    );
    assert_eq!(
        row_cells(&html, "sur-place-par-reunion").unwrap(),
        ["0", "1", "1", ""]
    );
    // Session columns link to the session's page, one-offs to the meeting's.
    assert!(html.contains("/2025-01-10\""), "{html}");
    assert!(html.contains(&format!("href=\"/gt/{}/presences/2024\"", g.group)));
    assert!(html.contains(&format!("href=\"/gt/{}/presences/2026\"", g.group)));
    assert!(html.contains(&format!("href=\"/gt/{}/presences/2025.csv\"", g.group)));

    let (_, previous) = g
        .coordinator
        .get_html(&format!("/gt/{}/presences/2024", g.group))
        .await;
    assert_eq!(headings(&previous), ["10/11", "10/12"]);
    assert_eq!(
        row_cells(&previous, &format!("membre-{}", g.mina.0)).unwrap(),
        ["—", "présent·e", "1", "0", "0", "100 %"]
    );
    assert!(
        row_cells(&previous, &format!("membre-{}", g.outsider)).is_none(),
        "who came in another year has no row"
    );

    let (_, empty) = g
        .coordinator
        .get_html(&format!("/gt/{}/presences/2023", g.group))
        .await;
    assert!(empty.contains("Aucune réunion tenue cette année."));
    for bad in ["2025.pdf", "25", "année"] {
        let r = g
            .coordinator
            .get(&format!("/gt/{}/presences/{bad}", g.group))
            .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{bad}");
    }
}

#[tokio::test]
async fn the_csv_says_what_the_table_says_with_formulas_neutralised() {
    let g = group_with_a_year_of_attendance().await;
    let (_, html) = g
        .coordinator
        .get_html(&format!("/gt/{}/presences/2025", g.group))
        .await;
    let records = csv_records(
        &g.coordinator,
        &format!("/gt/{}/presences/2025.csv", g.group),
    )
    .await;
    assert_eq!(
        records[0],
        [
            "Nom",
            "Organisation",
            "10/01/2025 Relevé mensuel des constats",
            "10/02/2025 Relevé mensuel des constats",
            "04/03/2025 GT : préparer l'interpellation du CPAS",
            "Présent·e",
            "Excusé·e",
            "Absent·e",
            "Taux de présence",
        ]
    );
    // One line per person of the page, the same cells and totals.
    let people: Vec<(String, i64)> = vec![
        ("'=HYPERLINK(\"http://x.example\")".into(), g.outsider),
        ("Mina Diallo".into(), g.mina.0),
        ("Yves Martin".into(), g.yves),
    ];
    assert_eq!(records.len(), 1 + people.len() + 2);
    for ((name, id), record) in people.iter().zip(&records[1..]) {
        assert_eq!(&record[0], name, "formula neutralised, names sorted");
        let cells = row_cells(&html, &format!("membre-{id}")).unwrap();
        assert_eq!(record[2..], cells[..], "{name}");
    }
    assert_eq!(records[4][0], "Présent·es par réunion");
    assert_eq!(records[4][2..5], ["1", "2", "2"]);
    assert_eq!(records[5][2..5], ["0", "1", "1"]);
}

#[tokio::test]
async fn coordinators_see_every_row_a_member_their_own_others_nothing() {
    let g = group_with_a_year_of_attendance().await;
    let path = format!("/gt/{}/presences/2025", g.group);
    for (who, browser) in [("coordinator", &g.coordinator), ("admin", &g.admin)] {
        let (status, html) = browser.get_html(&path).await;
        assert_eq!(status, StatusCode::OK, "{who}");
        assert!(
            row_cells(&html, &format!("membre-{}", g.yves)).is_some(),
            "{who}"
        );
        assert!(html.contains("presents-par-reunion"), "{who}");
    }

    let (status, html) = g.mina.1.get_html(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        row_cells(&html, &format!("membre-{}", g.mina.0)).unwrap(),
        ["absent·e", "présent·e", "présent·e", "2", "0", "1", "67 %"]
    );
    assert!(!html.contains("Yves Martin"), "only her own row");
    assert!(!html.contains("HYPERLINK"));
    assert!(
        !html.contains("presents-par-reunion"),
        "nor the others' counts"
    );
    let records = csv_records(&g.mina.1, &format!("{path}.csv")).await;
    assert_eq!(records.len(), 2, "{records:?}");
    assert_eq!(records[1][0], "Mina Diallo");

    let r = g.platform_member.get(&path).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = g.platform_member.get(&format!("{path}.csv")).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    for path in [path.clone(), format!("{path}.csv")] {
        let r = g.app.anonymous.get(&path).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path}");
        assert!(location(&r).starts_with("/connexion"), "{}", location(&r));
    }

    // The group page's panel is the current year's table, for the same people.
    let (status, panel) = g
        .mina
        .1
        .get_htmx(&format!("/gt/{}/presences", g.group))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(panel.contains("presences-annee"), "{panel}");
    assert!(!panel.contains("<html"), "a fragment for htmx");
}

#[tokio::test]
async fn the_platform_table_covers_its_own_meetings_for_its_coordinators_and_members() {
    let app = TestApp::spawn().await;
    let platform = app
        .create_platform("Sociojuridique", "sociojuridique", true)
        .await;
    let group = app.create_group(platform, "Outils communs").await;
    let (coord, coordinator) = app.signed_in("Marc Lejeune", "marc@x.example", false).await;
    app.add_to_platform(platform, coord, "coordinator").await;
    let (nadia, member) = app
        .signed_in("Nadia El Amrani", "nadia@x.example", false)
        .await;
    app.add_to_platform(platform, nadia, "member").await;
    let sophie = app
        .create_person("Sophie Lambert", "sophie@x.example", false)
        .await;
    app.add_to_platform(platform, sophie, "member").await;
    let (_, stranger) = app
        .signed_in("Personne d'ailleurs", "ailleurs@x.example", false)
        .await;

    let plenary = MeetingForm::new("Plénière de la plateforme Sociojuridique")
        .platform(platform)
        .kind("plenary")
        .on("2025-05-20")
        .from("13:30")
        .to("16:30")
        .status("held")
        .schedule(&coordinator)
        .await;
    let group_meeting = MeetingForm::new("GT Outils : fiches pratiques")
        .group(group)
        .kind("working_group")
        .on("2025-06-03")
        .from("09:30")
        .to("11:30")
        .status("held")
        .schedule(&coordinator)
        .await;
    mark(&coordinator, plenary, nadia, "present").await;
    mark(&coordinator, plenary, sophie, "absent").await;
    mark(&coordinator, group_meeting, nadia, "present").await;

    let path = "/plateformes/sociojuridique/presences/2025";
    let (status, html) = coordinator.get_html(path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headings(&html),
        ["20/05"],
        "the group's meetings are in the group's table"
    );
    assert_eq!(
        row_cells(&html, &format!("membre-{nadia}")).unwrap(),
        ["présent·e", "1", "0", "0", "100 %"]
    );
    assert_eq!(
        row_cells(&html, &format!("membre-{sophie}")).unwrap(),
        ["absent·e", "0", "0", "1", "0 %"]
    );
    assert!(
        row_cells(&html, &format!("membre-{coord}")).is_some(),
        "coordinators are members too"
    );

    let (status, html) = member.get_html(path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(row_cells(&html, &format!("membre-{nadia}")).is_some());
    assert!(!html.contains("Sophie Lambert"));
    assert_eq!(stranger.get(path).await.status(), StatusCode::FORBIDDEN);
    let r = app.anonymous.get(path).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // The platform page links to it for those who may see it.
    let (_, page) = member.get_html("/plateformes/sociojuridique").await;
    assert!(page.contains("href=\"/plateformes/sociojuridique/presences\""));
    let (_, page) = stranger.get_html("/plateformes/sociojuridique").await;
    assert!(!page.contains("/plateformes/sociojuridique/presences"));
    let (status, current) = member
        .get_html("/plateformes/sociojuridique/presences")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(current.contains("presences-annee"));
}

#[tokio::test]
async fn my_year_lists_my_attendance_everywhere_but_only_meetings_i_may_open() {
    let g = group_with_a_year_of_attendance().await;
    let app = &g.app;
    let secret = app
        .create_platform("Sans-papiers", "sans-papiers", false)
        .await;
    app.add_to_platform(secret, g.mina.0, "member").await;
    let hidden = MeetingForm::new("Coordination sans-papiers : circulaire")
        .platform(secret)
        .kind("plenary")
        .members_only()
        .on("2025-04-08")
        .from("10:00")
        .to("12:00")
        .status("held")
        .schedule(&g.admin)
        .await;
    mark(&g.admin, hidden, g.mina.0, "present").await;

    let (_, html) = g.mina.1.get_html("/moi/presences/2025").await;
    assert!(
        html.contains("Coordination sans-papiers : circulaire"),
        "{html}"
    );
    assert!(html.contains("<strong>3</strong> présence(s)"), "{html}");

    // Mina leaves the platform: the meeting is no longer hers to open, nor to list.
    platform_membership::Entity::delete_many()
        .filter(platform_membership::Column::PlatformId.eq(secret))
        .filter(platform_membership::Column::PersonId.eq(g.mina.0))
        .exec(&app.db)
        .await
        .unwrap();
    let (status, html) = g.mina.1.get_html("/moi/presences/2025").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("Coordination sans-papiers"), "{html}");
    assert!(html.contains("<strong>2</strong> présence(s)"), "{html}");
    assert!(
        html.contains("GT : préparer l&#39;interpellation du CPAS")
            || html.contains("GT : préparer l'interpellation du CPAS")
    );
    let records = csv_records(&g.mina.1, "/moi/presences/2025.csv").await;
    assert_eq!(
        records[0],
        ["Date", "Réunion", "Plateforme ou groupe", "Présence"]
    );
    assert_eq!(
        records[1..],
        [
            vec![
                "10/01/2025".to_string(),
                "Relevé mensuel des constats".into(),
                "Sociojuridique — Relevé de constats et interpellations".into(),
                "absent·e".into()
            ],
            vec![
                "10/02/2025".into(),
                "Relevé mensuel des constats".into(),
                "Sociojuridique — Relevé de constats et interpellations".into(),
                "présent·e".into()
            ],
            vec![
                "04/03/2025".into(),
                "GT : préparer l'interpellation du CPAS".into(),
                "Sociojuridique — Relevé de constats et interpellations".into(),
                "présent·e".into()
            ],
        ]
    );
    let (_, earlier) = g.mina.1.get_html("/moi/presences/2024").await;
    assert!(
        earlier.contains("<strong>1</strong> présence(s)"),
        "{earlier}"
    );
    let (_, other) = g.coordinator.get_html("/moi/presences/2025").await;
    assert!(other.contains("Aucune présence notée pour vous cette année."));
    assert!(other.contains("href=\"/moi/presences\"") || other.contains("Mes présences"));
    let r = app.anonymous.get("/moi/presences").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).starts_with("/connexion"));
}

#[tokio::test]
async fn the_demo_fills_the_socio_legal_platforms_table_with_its_monthly_sessions() {
    let app = TestApp::spawn().await;
    maillage::demo::load(&app.db).await.unwrap();
    let coordinator = app.visitor();
    coordinator
        .sign_in(maillage::demo::COORDINATOR_EMAIL, maillage::demo::PASSWORD)
        .await;
    let (status, html) = coordinator
        .get_html("/plateformes/sociojuridique/presences/2026")
        .await;
    assert_eq!(status, StatusCode::OK);
    let columns = headings(&html);
    for date in ["09/06", "14/07", "11/08", "08/09", "13/10", "10/11"] {
        assert!(columns.iter().any(|c| c == date), "{date} in {columns:?}");
    }
    let nadia = maillage::entities::person::Entity::find()
        .filter(
            maillage::entities::person::Column::EmailNormalized.eq(maillage::demo::MEMBER_EMAIL),
        )
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let cells = row_cells(&html, &format!("membre-{}", nadia.id)).unwrap();
    assert_eq!(
        cells.iter().filter(|c| *c == "présent·e").count(),
        4,
        "{cells:?}"
    );
    assert_eq!(cells.iter().filter(|c| *c == "excusé·e").count(), 2);
    // The member's own year, from the demo account.
    let member = app.visitor();
    member
        .sign_in(maillage::demo::MEMBER_EMAIL, maillage::demo::PASSWORD)
        .await;
    let (_, mine) = member.get_html("/moi/presences/2026").await;
    assert!(
        mine.contains("Réunion mensuelle des constats de terrain"),
        "{mine}"
    );
}

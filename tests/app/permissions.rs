//! The permission matrix, route by route: anonymous visitor, member of another platform,
//! member, platform coordinator, administrator — including every refusal.

use maillage::entities::{organisation, platform, working_group};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait, Set};

use crate::helpers::{TestApp, Visitor, as_pairs, location};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    /// 200, or a redirect that is not to the sign-in page.
    Ok,
    /// Redirected to the sign-in page.
    SignIn,
    Forbidden,
}
use Expect::{Forbidden as F, Ok as O, SignIn as S};

const WHO: [&str; 5] = [
    "anonyme",
    "membre d'une autre plateforme",
    "membre",
    "coordination",
    "administration",
];

async fn outcome(response: reqwest::Response) -> (Expect, String) {
    let status = response.status();
    let loc = location(&response);
    let got = match status {
        StatusCode::FORBIDDEN => F,
        StatusCode::SEE_OTHER if loc.starts_with("/connexion") => S,
        s if s.is_success() || s.is_redirection() => O,
        other => return (F, format!("statut inattendu {other}")),
    };
    (got, format!("{status} {loc}"))
}

struct World {
    app: TestApp,
    visitors: Vec<Visitor>,
    group: i64,
    org: i64,
    /// Per actor: a person to add, a member to remove, a person to deactivate.
    to_add: Vec<i64>,
    to_remove: Vec<i64>,
    to_deactivate: Vec<i64>,
    member: i64,
}

async fn world() -> World {
    let app = TestApp::spawn().await;
    let private = app
        .create_platform("Sociojuridique", "sociojuridique", false)
        .await;
    let other = app
        .create_platform("Citoyenneté", "citoyennete", true)
        .await;
    let group = app
        .create_group(private, "Relevé de constats et interpellations")
        .await;
    let now = chrono::Utc::now();
    let org = organisation::ActiveModel {
        name: Set("Lire et Écrire Namur".into()),
        kind: Set(organisation::OrganisationKind::Asbl),
        municipality_id: Set(None),
        website: Set(String::new()),
        archived: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id;

    let (outsider, o) = app
        .signed_in("Olivier Outsider", "olivier@asbl.example", false)
        .await;
    app.add_to_platform(other, outsider, "member").await;
    let (member, m) = app
        .signed_in("Mina Membre", "mina@asbl.example", false)
        .await;
    app.add_to_platform(private, member, "member").await;
    app.add_to_group(group, member, "member").await;
    let (coordinator, c) = app
        .signed_in("Coralie Coordination", "coralie@cri-namur.example", false)
        .await;
    app.add_to_platform(private, coordinator, "coordinator")
        .await;
    let (_, a) = app
        .signed_in("Adam Admin", "adam@cri-namur.example", true)
        .await;
    let n = app.visitor();

    let mut to_add = Vec::new();
    let mut to_remove = Vec::new();
    let mut to_deactivate = Vec::new();
    for i in 0..5 {
        to_add.push(
            app.create_person(
                &format!("À ajouter {i}"),
                &format!("ajout{i}@x.example"),
                false,
            )
            .await,
        );
        let r = app
            .create_person(
                &format!("À retirer {i}"),
                &format!("retrait{i}@x.example"),
                false,
            )
            .await;
        app.add_to_platform(private, r, "member").await;
        to_remove.push(r);
        to_deactivate.push(
            app.create_person(
                &format!("À désactiver {i}"),
                &format!("desact{i}@x.example"),
                false,
            )
            .await,
        );
    }
    World {
        app,
        visitors: vec![n, o, m, c, a],
        group,
        org,
        to_add,
        to_remove,
        to_deactivate,
        member,
    }
}

#[tokio::test]
async fn every_page_answers_each_role_as_the_permission_module_says() {
    let w = world().await;
    let g = w.group;
    let org = w.org;
    let x = w.to_add[0];
    let checks: Vec<(String, [Expect; 5])> = vec![
        ("/".into(), [O, O, O, O, O]),
        ("/plateformes".into(), [O, O, O, O, O]),
        ("/bureaux".into(), [O, O, O, O, O]),
        ("/plateformes/citoyennete".into(), [O, O, O, O, O]),
        ("/plateformes/sociojuridique".into(), [S, F, O, O, O]),
        (
            "/plateformes/sociojuridique/modifier".into(),
            [S, F, F, O, O],
        ),
        ("/plateformes/nouvelle".into(), [S, F, F, F, O]),
        (
            "/plateformes/sociojuridique/gt/nouveau".into(),
            [S, F, F, O, O],
        ),
        (
            "/plateformes/sociojuridique/membres/ajouter?q=ajout".into(),
            [S, F, F, O, O],
        ),
        (format!("/gt/{g}"), [S, F, O, O, O]),
        (format!("/gt/{g}/modifier"), [S, F, F, O, O]),
        (format!("/gt/{g}/membres/ajouter?q=ajout"), [S, F, F, O, O]),
        ("/organisations".into(), [S, O, O, O, O]),
        ("/organisations/nouvelle".into(), [S, F, F, F, O]),
        (format!("/organisations/{org}"), [S, O, O, O, O]),
        (format!("/organisations/{org}/modifier"), [S, F, F, F, O]),
        ("/personnes".into(), [S, O, O, O, O]),
        ("/personnes/nouvelle".into(), [S, F, F, F, O]),
        (format!("/personnes/{x}"), [S, O, O, O, O]),
        (format!("/personnes/{x}/modifier"), [S, F, F, F, O]),
        ("/profil/mot-de-passe".into(), [S, O, O, O, O]),
        ("/admin/journal".into(), [S, F, F, F, O]),
        // Yearly attendance: a member sees their own row, coordinators everyone's.
        (
            "/plateformes/sociojuridique/presences/2025".into(),
            [S, F, O, O, O],
        ),
        (
            "/plateformes/sociojuridique/presences/2025.csv".into(),
            [S, F, O, O, O],
        ),
        ("/plateformes/citoyennete/presences".into(), [S, O, F, F, O]),
        (format!("/gt/{g}/presences/2025"), [S, F, O, O, O]),
        (format!("/gt/{g}/presences/2025.csv"), [S, F, O, O, O]),
        ("/moi/presences".into(), [S, O, O, O, O]),
        ("/moi/presences/2025.csv".into(), [S, O, O, O, O]),
    ];
    let mut failures = Vec::new();
    for (path, expected) in &checks {
        for (i, visitor) in w.visitors.iter().enumerate() {
            let (got, detail) = outcome(visitor.get(path).await).await;
            if got != expected[i] {
                failures.push(format!(
                    "GET {path} en tant que {} : attendu {:?}, obtenu {detail}",
                    WHO[i], expected[i]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[tokio::test]
async fn every_change_is_allowed_or_refused_as_the_permission_module_says_and_refusals_change_nothing()
 {
    let w = world().await;
    let g = w.group;
    let org = w.org;
    let member = w.member;
    let mut failures = Vec::new();
    // (path, fields for actor i, expected per actor)
    type Fields = Box<dyn Fn(usize) -> Vec<(String, String)>>;
    let f = |pairs: &'static [(&'static str, &'static str)]| -> Fields {
        Box::new(move |i| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.replace("{i}", &i.to_string())))
                .collect()
        })
    };
    let to_add = w.to_add.clone();
    let to_add_group = w.to_add.clone();
    let checks: Vec<(String, Fields, [Expect; 5])> = vec![
        (
            "/plateformes".into(),
            f(&[("name", "Nouvelle {i}"), ("visibility", "public")]),
            [S, F, F, F, O],
        ),
        (
            "/plateformes/sociojuridique".into(),
            f(&[
                ("name", "Sociojuridique"),
                ("slug", "sociojuridique"),
                ("theme", "Thème {i}"),
                ("visibility", "members"),
            ]),
            [S, F, F, O, O],
        ),
        (
            "/plateformes/sociojuridique/gt".into(),
            f(&[("name", "GT {i}")]),
            [S, F, F, O, O],
        ),
        (
            format!("/gt/{g}"),
            f(&[
                ("name", "Relevé de constats et interpellations"),
                ("mandate", "Mandat {i}"),
            ]),
            [S, F, F, O, O],
        ),
        (format!("/gt/{g}/cloturer"), f(&[]), [S, F, F, O, O]),
        (format!("/gt/{g}/rouvrir"), f(&[]), [S, F, F, O, O]),
        (
            "/plateformes/sociojuridique/membres".into(),
            Box::new(move |i| {
                vec![
                    ("person_id".into(), to_add[i].to_string()),
                    ("role".into(), "member".into()),
                ]
            }),
            [S, F, F, O, O],
        ),
        (
            format!("/gt/{g}/membres"),
            Box::new(move |i| {
                vec![
                    ("person_id".into(), to_add_group[i].to_string()),
                    ("role".into(), "observer".into()),
                ]
            }),
            [S, F, F, O, O],
        ),
        (
            format!("/plateformes/sociojuridique/membres/{member}/role"),
            f(&[("role", "member")]),
            [S, F, F, O, O],
        ),
        (
            format!("/gt/{g}/membres/{member}/role"),
            f(&[("role", "member")]),
            [S, F, F, O, O],
        ),
        (
            "/organisations".into(),
            f(&[("name", "Organisation {i}"), ("kind", "asbl")]),
            [S, F, F, F, O],
        ),
        (
            format!("/organisations/{org}"),
            f(&[("name", "Lire et Écrire Namur"), ("kind", "asbl")]),
            [S, F, F, F, O],
        ),
        (
            format!("/organisations/{org}/archiver"),
            f(&[]),
            [S, F, F, F, O],
        ),
        (
            format!("/organisations/{org}/reactiver"),
            f(&[]),
            [S, F, F, F, O],
        ),
        (
            "/personnes".into(),
            f(&[
                ("name", "Personne {i}"),
                ("email", "personne{i}@x.example"),
                ("language", "fr"),
            ]),
            [S, F, F, F, O],
        ),
    ];
    for (path, fields, expected) in &checks {
        for (i, visitor) in w.visitors.iter().enumerate() {
            let owned = fields(i);
            let pairs: Vec<(&str, &str)> = owned
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let (got, detail) = outcome(visitor.post_form(path, &pairs).await).await;
            if got != expected[i] {
                failures.push(format!(
                    "POST {path} en tant que {} : attendu {:?}, obtenu {detail}",
                    WHO[i], expected[i]
                ));
            }
        }
    }
    // Per-actor targets for removals and deactivations.
    for (i, visitor) in w.visitors.iter().enumerate() {
        let r = w.to_remove[i];
        let (got, detail) = outcome(
            visitor
                .post_form(
                    &format!("/plateformes/sociojuridique/membres/{r}/retirer"),
                    &[],
                )
                .await,
        )
        .await;
        if got != [S, F, F, O, O][i] {
            failures.push(format!(
                "retirer un membre en tant que {} : {detail}",
                WHO[i]
            ));
        }
        let d = w.to_deactivate[i];
        let (got, detail) = outcome(
            visitor
                .post_form(&format!("/personnes/{d}/desactiver"), &[])
                .await,
        )
        .await;
        if got != [S, F, F, F, O][i] {
            failures.push(format!(
                "désactiver une personne en tant que {} : {detail}",
                WHO[i]
            ));
        }
    }
    // Archiving last: it freezes the platform.
    for (i, visitor) in w.visitors.iter().enumerate() {
        let (got, detail) = outcome(
            visitor
                .post_form("/plateformes/sociojuridique/archiver", &[])
                .await,
        )
        .await;
        if got != [S, F, F, F, O][i] {
            failures.push(format!("archiver en tant que {} : {detail}", WHO[i]));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));

    // Only the allowed changes happened.
    let db = &w.app.db;
    assert_eq!(
        platform::Entity::find().count(db).await.unwrap(),
        3,
        "only the administrator created a platform"
    );
    assert_eq!(
        working_group::Entity::find().count(db).await.unwrap(),
        3,
        "coordination and administration created one each"
    );
    assert_eq!(organisation::Entity::find().count(db).await.unwrap(), 2);
    let theme = platform::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.slug == "sociojuridique")
        .unwrap()
        .theme;
    assert_eq!(
        theme, "Thème 4",
        "the last allowed edit (administration) is the one kept"
    );
}

#[tokio::test]
async fn a_working_group_coordinator_runs_their_group_only() {
    let app = TestApp::spawn().await;
    let platform = app
        .create_platform("Formation à la langue française", "fle", true)
        .await;
    let own = app
        .create_group(platform, "Valorisation des zones rurales")
        .await;
    let other = app
        .create_group(platform, "Interpellation sur la validation")
        .await;
    let (id, coordinator) = app.signed_in("Gaëlle", "gaelle@asbl.example", false).await;
    app.add_to_group(own, id, "coordinator").await;
    let target = app.create_person("Bruno", "bruno@x.example", false).await;
    let fields = [
        ("person_id", target.to_string()),
        ("role", "member".to_string()),
    ];
    let pairs = as_pairs(&fields);
    assert_eq!(
        coordinator
            .get(&format!("/gt/{own}/modifier"))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        coordinator
            .post_form(&format!("/gt/{own}/membres"), &pairs)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        coordinator
            .post_form(&format!("/gt/{other}/membres"), &pairs)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        coordinator.get("/plateformes/fle/modifier").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        coordinator
            .post_form("/plateformes/fle/membres", &pairs)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}

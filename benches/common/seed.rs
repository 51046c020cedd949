//! The data the calendar benches seed: 2,000 public meetings of one public platform (a tenth
//! of them series, a quarter with a programme, some moved, cancelled or skipped occurrences),
//! written straight through the entities the way `meetings::edit::apply()` writes them. Shared
//! by `benches/feeds.rs` and `benches/memory.rs` (`#[path]`), so both measure the same data.
#![allow(dead_code)]

use chrono::{Datelike, Duration as Days, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday};
use maillage::calendar::feeds;
use maillage::entities::meeting::{MeetingKind, MeetingStatus, Visibility};
use maillage::entities::occurrence_change::OccurrenceAction;
use maillage::entities::working_group::GroupStatus;
use maillage::entities::{
    agenda_item, meeting, occurrence_change, platform, reception_office, working_group,
};
use maillage::meetings::recurrence::{self, Rule};
use maillage::meetings::schedule;
use maillage::web::french;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, Set, TransactionTrait};

pub const MEETINGS: usize = 2_000;
pub const SERIES: usize = 200;
pub const PLATFORM_SLUG: &str = "sociojuridique";

pub struct Seeded {
    pub platform_id: i64,
    pub meeting_ids: Vec<i64>,
    pub agenda_items: usize,
    pub changes: usize,
}

const TITLES: [&str; 16] = [
    "Plénière de la plateforme sociojuridique",
    "Intervision entre travailleurs sociaux de première ligne",
    "Groupe de travail « Accès au séjour et regroupement familial »",
    "Comité de pilotage du parcours d'intégration",
    "Séance d'information sur la réforme de l'aide juridique",
    "Coordination locale des acteurs de l'accueil",
    "Formation : accompagner les demandes de nationalité",
    "Réunion consacrée aux constats du terrain",
    "Permanence juridique du bureau d'accueil",
    "Table ronde « Logement et primo-arrivants »",
    "Atelier d'échange de pratiques en interprétariat social",
    "Rencontre avec les CPAS de la province",
    "Groupe de travail « Santé mentale et exil »",
    "Présentation du rapport annuel sur l'accès aux droits",
    "Journée d'étude : mineurs étrangers non accompagnés",
    "Coordination des cours de français langue étrangère",
];

const SENTENCES: [&str; 14] = [
    "Cette rencontre réunit les partenaires du réseau provincial pour faire le point sur les situations rencontrées depuis la dernière séance.",
    "Nous examinerons les difficultés d'accès aux droits sociaux signalées par les bureaux d'accueil, en particulier les délais de traitement des demandes.",
    "Une juriste de l'ADDE présentera les dernières évolutions de la jurisprudence du Conseil du contentieux des étrangers.",
    "Les participant·es sont invité·es à apporter des situations anonymisées ; l'échange se fait dans le respect du secret professionnel partagé.",
    "La séance se terminera par la rédaction collective de constats et de recommandations adressés au comité de pilotage.",
    "Un service d'interprétariat en arabe, en dari et en tigrinya peut être organisé sur demande, au plus tard une semaine avant la réunion.",
    "Le lieu est accessible aux personnes à mobilité réduite ; un parking vélo se trouve à l'arrière du bâtiment.",
    "Pensez à vous inscrire : le nombre de places est limité et un repas est prévu à midi (options végétarienne, sans gluten, sans porc).",
    "Les documents préparatoires (note de synthèse, tableau de suivi des recommandations) seront envoyés aux inscrit·es la veille.",
    "Ordre du jour indicatif, susceptible d'évoluer en fonction de l'actualité ; vos propositions de points sont les bienvenues.",
    "La rencontre est ouverte aux associations, aux CPAS, aux communes, aux écoles de promotion sociale et à toute personne intéressée.",
    "Nous ferons le bilan des permanences décentralisées à Dinant, Philippeville, Ciney et Gembloux, et de leur fréquentation.",
    "Une attention particulière sera portée aux familles monoparentales et aux personnes en situation de séjour précaire.",
    "Le compte rendu sera publié sur maillage dans les quinze jours, après relecture par les membres du groupe.",
];

pub const PLACES: [(&str, &str); 8] = [
    ("CRI Namur", "Rue Docteur Haibe 4, 5002 Saint-Servais"),
    ("Maison des Citoyens", "Hôtel de Ville, 5000 Namur"),
    ("Espace Kegeljan", "Rue Henri Lemaître 78, 5000 Namur"),
    ("Centre culturel de Dinant", "Rue Grande 37, 5500 Dinant"),
    ("CPAS de Ciney", "Rue du Commerce 121, 5590 Ciney"),
    (
        "Maison de la Laïcité",
        "Rue de Gembloux 48, 5002 Saint-Servais",
    ),
    (
        "Salle du Conseil communal",
        "Place de l'Hôtel de Ville 1, 5030 Gembloux",
    ),
    (
        "Bibliothèque communale",
        "Rue de France 5, 5600 Philippeville",
    ),
];

const RULES: [&str; 8] = [
    "FREQ=MONTHLY;BYDAY=2TU",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
    "FREQ=MONTHLY;BYDAY=1TH",
    "FREQ=WEEKLY;BYDAY=WE",
    "FREQ=MONTHLY;BYDAY=-1FR",
    "FREQ=MONTHLY;BYDAY=3TU;COUNT=12",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;COUNT=20",
    "FREQ=MONTHLY;BYMONTHDAY=15;INTERVAL=2",
];

const AGENDA: [(&str, &str, &str); 8] = [
    ("09:00", "Accueil et tour de table", ""),
    ("09:20", "Actualité législative", "Me Claire Dubois (ADDE)"),
    (
        "10:00",
        "Retour des bureaux d'accueil",
        "Équipe des permanences",
    ),
    ("10:45", "Pause", ""),
    (
        "11:00",
        "Étude de situations",
        "Sarah Lambert, assistante sociale",
    ),
    ("11:45", "Constats et recommandations", ""),
    ("12:15", "Divers et prochaine réunion", ""),
    ("12:30", "Repas", ""),
];

fn description(rng: &mut StdRng) -> String {
    let n = rng.gen_range(2..=4);
    let start = rng.gen_range(0..SENTENCES.len());
    (0..n)
        .map(|i| SENTENCES[(start + i * 3) % SENTENCES.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first date from `from` that starts the rule's series (as the meeting form requires).
fn first_start(rule: &Rule, from: NaiveDate, time: NaiveTime) -> NaiveDateTime {
    let mut day = from;
    loop {
        let candidate = day.and_time(time);
        if rule.check_start(candidate).is_ok() {
            return candidate;
        }
        day += Days::days(1);
    }
}

pub async fn seed(db: &DatabaseConnection) -> Seeded {
    let mut rng = StdRng::seed_from_u64(2_000);
    let now = Utc::now();
    let platform = platform::ActiveModel {
        name: Set("Sociojuridique".into()),
        slug: Set(PLATFORM_SLUG.into()),
        theme: Set("Accès aux droits".into()),
        description: Set("Plateforme des juristes et travailleurs sociaux du réseau.".into()),
        visibility: Set(Visibility::Public),
        archived: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("platform");
    let mut groups = Vec::new();
    for name in [
        "Séjour et regroupement familial",
        "Santé mentale et exil",
        "Logement",
        "Nationalité",
    ] {
        groups.push(
            working_group::ActiveModel {
                platform_id: Set(platform.id),
                name: Set(name.into()),
                mandate: Set(
                    "Suivre les constats du terrain et formuler des recommandations.".into(),
                ),
                status: Set(GroupStatus::Active),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await
            .expect("group"),
        );
    }
    let offices: Vec<i64> = reception_office::Entity::find()
        .all(db)
        .await
        .expect("offices")
        .into_iter()
        .map(|o| o.id)
        .collect();

    let today = recurrence::to_local(now).date();
    let times = [(9, 0), (9, 30), (10, 0), (13, 30), (14, 0), (18, 30)];
    let txn = db.begin().await.expect("begin");
    let mut agenda_items = 0;
    let mut changes = 0;
    let mut meeting_ids = Vec::with_capacity(MEETINGS);
    for i in 0..MEETINGS {
        let (h, m) = times[rng.gen_range(0..times.len())];
        let time = NaiveTime::from_hms_opt(h, m, 0).expect("time");
        let length = Days::minutes([90, 120, 150, 180, 210][rng.gen_range(0..5)]);
        let recurring = i % (MEETINGS / SERIES) == 0;
        let (rule, start) = if recurring {
            let text = RULES[rng.gen_range(0..RULES.len())];
            let rule = Rule::parse(text).expect("rule");
            // Series began up to five months ago or begin within two months.
            let from = today + Days::days(rng.gen_range(-150..60));
            let start = first_start(&rule, from, time);
            (Some(rule), start)
        } else {
            // One-off meetings on working days, over the whole feed window.
            let mut day =
                today + Days::days(rng.gen_range(-(feeds::DAYS_BACK - 5)..feeds::DAYS_AHEAD - 5));
            while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
                day += Days::days(1);
            }
            (None, day.and_time(time))
        };
        let end = start + length;
        let group = (rng.gen_range(0..3) == 0).then(|| &groups[rng.gen_range(0..groups.len())]);
        let kind = if recurring && rng.gen_bool(0.3) {
            MeetingKind::OfficeHours
        } else if group.is_some() {
            MeetingKind::WorkingGroup
        } else {
            [
                MeetingKind::Plenary,
                MeetingKind::Findings,
                MeetingKind::PeerSession,
                MeetingKind::Information,
                MeetingKind::Training,
                MeetingKind::PublicEvent,
            ][rng.gen_range(0..6)]
        };
        let (place_name, place_address) = if rng.gen_range(0..10) == 0 {
            ("", "")
        } else {
            PLACES[rng.gen_range(0..PLACES.len())]
        };
        let video_url = if place_name.is_empty() || rng.gen_range(0..5) == 0 {
            format!("https://meet.jit.si/cri-namur-{}", 10_000 + i)
        } else {
            String::new()
        };
        let title = format!(
            "{} — {}",
            TITLES[rng.gen_range(0..TITLES.len())],
            french::date(start.date())
        );
        let created_at = now - Days::days(rng.gen_range(1..200));
        let past = start < recurrence::to_local(now);
        let with_meals = rng.gen_bool(0.3);
        let capacity = rng.gen_bool(0.5).then(|| rng.gen_range(15..120));
        // What meetings::edit::apply() writes, field by field.
        let model = meeting::ActiveModel {
            platform_id: Set(Some(platform.id)),
            working_group_id: Set(group.map(|g| g.id)),
            office_id: Set(
                (kind == MeetingKind::OfficeHours || rng.gen_range(0..4) == 0)
                    .then(|| offices.get(rng.gen_range(0..offices.len().max(1))).copied())
                    .flatten(),
            ),
            kind: Set(kind),
            title: Set(title),
            description: Set(description(&mut rng)),
            all_day: Set(false),
            start_local: Set(start.into()),
            end_local: Set(end.into()),
            starts_at: Set(recurrence::to_utc(start)),
            ends_at: Set(recurrence::to_utc(end)),
            series_ends_at: Set(rule
                .as_ref()
                .and_then(|r| schedule::series_end(start, length, r))),
            tzid: Set(recurrence::TZID.to_string()),
            rrule: Set(rule.as_ref().map(Rule::to_rrule)),
            place_name: Set(place_name.into()),
            place_address: Set(place_address.into()),
            video_url: Set(video_url),
            status: Set(MeetingStatus::Scheduled),
            visibility: Set(Visibility::Public),
            capacity: Set(capacity),
            registration_open: Set(capacity.is_some() && !past),
            registration_deadline: Set(capacity.map(|_| recurrence::to_utc(start - Days::days(3)))),
            meal_options: Set(if with_meals {
                ["Végétarien", "Sans gluten", "Sans porc", "Pas de repas"].join("\n")
            } else {
                String::new()
            }),
            minutes: Set(if past && !recurring {
                "Tour de table, actualité législative et étude de deux situations.".into()
            } else {
                String::new()
            }),
            decisions: Set(String::new()),
            actions: Set(String::new()),
            minutes_published: Set(past && !recurring),
            sequence: Set(rng.gen_range(0..3)),
            registration_counter: Set(0),
            created_by: Set(None),
            created_at: Set(created_at),
            updated_at: Set(created_at + Days::hours(rng.gen_range(0..48))),
            ..Default::default()
        };
        let saved = model.insert(&txn).await.expect("meeting");
        meeting_ids.push(saved.id);

        // A programme for a quarter of the meetings.
        if rng.gen_range(0..4) == 0 {
            let n = rng.gen_range(3..=AGENDA.len());
            for (position, (at, title, presenters)) in AGENDA.iter().take(n).enumerate() {
                agenda_item::ActiveModel {
                    meeting_id: Set(saved.id),
                    position: Set(position as i32),
                    time: Set((*at).into()),
                    title: Set((*title).into()),
                    presenters: Set((*presenters).into()),
                    ..Default::default()
                }
                .insert(&txn)
                .await
                .expect("agenda item");
                agenda_items += 1;
            }
        }

        // A few moved, cancelled or skipped occurrences in one series out of four.
        if let Some(rule) = &rule
            && rng.gen_range(0..4) == 0
        {
            let occurrences = recurrence::expand(
                start,
                length,
                rule,
                &[],
                start + Days::days(1),
                start + Days::days(400),
            );
            let picks = rng.gen_range(1..=3).min(occurrences.len());
            for k in 0..picks {
                let o = &occurrences[k * 2 % occurrences.len().max(1)];
                let action = [
                    OccurrenceAction::Skipped,
                    OccurrenceAction::Cancelled,
                    OccurrenceAction::Moved,
                ][rng.gen_range(0..3)];
                let (new_start, new_end) = if action == OccurrenceAction::Moved {
                    let s = o.start + Days::days(1);
                    (Some(s.into()), Some((s + length).into()))
                } else {
                    (None, None)
                };
                let inserted = occurrence_change::ActiveModel {
                    meeting_id: Set(saved.id),
                    original_start_local: Set(o.start.into()),
                    action: Set(action),
                    new_start_local: Set(new_start),
                    new_end_local: Set(new_end),
                    created_at: Set(now - Days::days(rng.gen_range(0..30))),
                    ..Default::default()
                }
                .insert(&txn)
                .await;
                // Two picks may land on the same occurrence (unique index): keep the first.
                if inserted.is_ok() {
                    changes += 1;
                }
            }
        }
    }
    // The database's triggers logged every row written: public feeds are now out of date.
    txn.commit().await.expect("commit");
    Seeded {
        platform_id: platform.id,
        meeting_ids,
        agenda_items,
        changes,
    }
}

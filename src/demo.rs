//! The demo dataset (`maillage demo`): the real thematic platforms of the province of Namur and
//! their working groups, with fictional but plausible organisations, people and memberships; the
//! reception offices' office hours as recurring series; a year of platform and working-group
//! meetings; and the annual plenary of the PPLI with its workshops and a hundred registrations.
//!
//! Loading is idempotent: every row is looked up by its natural key first (platform slug,
//! organisation name, normalised email, group name within its platform, membership pair, meeting
//! title and local start, registration pair…) and only what is missing is inserted, in one
//! transaction. Every email address is on the reserved `.example` top-level domain so that no
//! real mail can ever be sent to a demo account.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, Set, TransactionTrait,
};

use crate::auth::permissions::Role;
use crate::entities::{
    agenda_item, group_membership, meeting, municipality, occurrence_change, organisation, person,
    platform, platform_membership, reception_office, registration, working_group, workshop,
    workshop_preference,
};
use crate::meetings::recurrence::{self, Rule};
use crate::meetings::rules::{format_local, parse_date, parse_local, parse_time};
use crate::meetings::{booking, schedule};
use crate::people::rules::normalize_email;
use crate::platforms::rules::slugify;

pub const ADMIN_EMAIL: &str = "admin@cri-namur.example";
pub const COORDINATOR_EMAIL: &str = "coordination@cri-namur.example";
pub const MEMBER_EMAIL: &str = "membre@cri-namur.example";
pub const PASSWORD: &str = "maillage-demo";

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

struct PlatformFixture {
    name: &'static str,
    theme: &'static str,
    description: &'static str,
    visibility: &'static str,
}

/// The thematic provincial platforms (real names and activities).
const PLATFORMS: [PlatformFixture; 8] = [
    PlatformFixture {
        name: "Formation à la langue française",
        theme: "Apprentissage du français langue étrangère (FLE) et alphabétisation",
        description: "Réunit les opérateurs de formation en français langue étrangère et en \
            alphabétisation de la province. Lors de sa plénière de juin, la plateforme a constitué \
            quatre groupes de travail : orientation du public et listes d'attente à Namur, \
            validation, zones rurales et fluidité des parcours d'apprentissage. Des intervisions \
            entre formateur·rices se tiennent au rythme du calendrier scolaire.",
        visibility: "public",
    },
    PlatformFixture {
        name: "Citoyenneté",
        theme: "Formation à la citoyenneté (FIC) dans le parcours d'intégration",
        description: "Rassemble les formateur·rices à la citoyenneté du parcours d'intégration. \
            Les rencontres thématiques portent notamment sur le public des formations et sur la \
            dimension interculturelle. La plateforme organise chaque année un événement sur le \
            droit de vote des étrangers.",
        visibility: "public",
    },
    PlatformFixture {
        name: "Sociojuridique",
        theme: "Accompagnement social et juridique en droit des étrangers",
        description: "Dix-huit organisations qui accompagnent les personnes étrangères dans leurs \
            démarches sociales et juridiques. Chaque mois, une réunion est consacrée aux constats \
            de terrain : des obstacles précis et objectivables rencontrés pour faire valoir ses \
            droits auprès des autorités locales ou des associations. Trois groupes de travail et \
            des intervisions juridiques complètent la plénière.",
        visibility: "public",
    },
    PlatformFixture {
        name: "Lutte contre le racisme",
        theme: "Lutte contre le racisme et les discriminations",
        description: "Active depuis 2017, la plateforme rassemble une quarantaine de structures \
            et se réunit huit fois par an. Elle fait le lien entre le terrain et les institutions \
            et organise un événement public autour du 21 mars, journée internationale pour \
            l'élimination de la discrimination raciale. Elle a rédigé un mémorandum sur le \
            racisme et les discriminations en vue des élections communales.",
        visibility: "public",
    },
    PlatformFixture {
        name: "Interculturelle",
        theme: "Initiatives locales d'intégration (ILI)",
        description: "Rassemble toutes les initiatives locales d'intégration subventionnées de la \
            province. Elle analyse les textes qui encadrent le secteur, comme un avant-projet de \
            décret, et systématise les interpellations qui en découlent.",
        visibility: "public",
    },
    PlatformFixture {
        name: "Sans-papiers",
        theme: "Personnes sans titre de séjour",
        description: "Une coordination légère de sept membres qui se réunit deux à trois fois par \
            an. Elle fait circuler l'information et les constats de terrain sur la situation des \
            personnes sans titre de séjour.",
        visibility: "members",
    },
    PlatformFixture {
        name: "Migrants en transit",
        theme: "Personnes migrantes en transit dans la province",
        description: "Concertation des acteurs qui rencontrent des personnes migrantes en transit \
            dans la province : centres d'accueil, associations et services communaux. Elle \
            partage l'information et les constats pour mieux répondre aux besoins de base.",
        visibility: "public",
    },
    PlatformFixture {
        name: "MENA",
        theme: "Mineurs étrangers non accompagnés",
        description: "Concertation provinciale autour des mineurs étrangers non accompagnés \
            (MENA). Elle réunit centres d'accueil, services d'aide aux jeunes et CPAS pour \
            partager les constats et mieux articuler l'accompagnement de ces jeunes.",
        visibility: "members",
    },
];

/// The real working groups: (platform name, group name, mandate).
const WORKING_GROUPS: [(&str, &str, &str); 9] = [
    (
        "Formation à la langue française",
        "Orientation du public et gestion des listes d'attente à Namur",
        "Mieux orienter les apprenant·es vers l'offre de formation adaptée et gérer ensemble les \
         listes d'attente des opérateurs namurois.",
    ),
    (
        "Formation à la langue française",
        "Interpellation sur la validation",
        "Documenter les difficultés de validation des niveaux de langue, dont le niveau A2 exigé \
         pour une demande de nationalité, et préparer une interpellation des autorités \
         compétentes.",
    ),
    (
        "Formation à la langue française",
        "Valorisation des zones rurales",
        "Rendre visible l'offre de formation hors des villes et chercher des réponses aux \
         difficultés de mobilité des apprenant·es en zone rurale.",
    ),
    (
        "Formation à la langue française",
        "Positionnement : comment fluidifier les parcours d'apprentissage",
        "Harmoniser le positionnement des apprenant·es entre opérateurs pour éviter les ruptures \
         de parcours et les inscriptions en double.",
    ),
    (
        "Sociojuridique",
        "Création et partage d'outils communs",
        "Créer et mettre en commun des outils pratiques (fiches, modèles de courrier, répertoires) \
         pour l'accompagnement sociojuridique.",
    ),
    (
        "Sociojuridique",
        "Meilleure connaissance du réseau",
        "Faire connaître les missions et les services de chaque membre pour orienter les personnes \
         vers le bon interlocuteur.",
    ),
    (
        "Sociojuridique",
        "Relevé de constats et interpellations",
        "Recueillir chaque mois les constats de terrain sur les obstacles à l'accès aux droits et \
         en tirer des interpellations argumentées.",
    ),
    (
        "Lutte contre le racisme",
        "Interpellation",
        "Faire le lien entre le terrain et les institutions : porter les constats de \
         discrimination auprès des autorités et suivre les recommandations du mémorandum.",
    ),
    (
        "Lutte contre le racisme",
        "Sensibilisation",
        "Préparer l'événement public autour du 21 mars, journée internationale pour l'élimination \
         de la discrimination raciale (stands, film et débat).",
    ),
];

struct OrganisationFixture {
    name: &'static str,
    /// A key of `crate::organisations::rules::KINDS`.
    kind: &'static str,
    /// A name in the `municipalities` table (filled by a migration).
    municipality: &'static str,
    /// Fictional domain (`.example`) of the website and of its people's email addresses.
    domain: &'static str,
}

const fn org(
    name: &'static str,
    kind: &'static str,
    municipality: &'static str,
    domain: &'static str,
) -> OrganisationFixture {
    OrganisationFixture {
        name,
        kind,
        municipality,
        domain,
    }
}

const CRI: &str = "Centre régional d'intégration de Namur";

/// Member structures (plausible names; websites and addresses are fictional).
const ORGANISATIONS: [OrganisationFixture; 45] = [
    org(CRI, "cri", "Namur", "cri-namur.example"),
    org("CPAS de Namur", "cpas", "Namur", "cpas-namur.example"),
    org("CPAS de Dinant", "cpas", "Dinant", "cpas-dinant.example"),
    org("CPAS d'Andenne", "cpas", "Andenne", "cpas-andenne.example"),
    org("CPAS de Ciney", "cpas", "Ciney", "cpas-ciney.example"),
    org(
        "CPAS de Philippeville",
        "cpas",
        "Philippeville",
        "cpas-philippeville.example",
    ),
    org(
        "Ville de Namur – Service Population-Étrangers",
        "municipality",
        "Namur",
        "ville-namur.example",
    ),
    org(
        "Commune de Beauraing – Service population",
        "municipality",
        "Beauraing",
        "beauraing.example",
    ),
    org(
        "Commune d'Eghezée – Service population",
        "municipality",
        "Eghezée",
        "eghezee.example",
    ),
    org(
        "PCS de Sambreville",
        "pcs",
        "Sambreville",
        "pcs-sambreville.example",
    ),
    org("PCS de Gembloux", "pcs", "Gembloux", "pcs-gembloux.example"),
    org("PCS de Couvin", "pcs", "Couvin", "pcs-couvin.example"),
    org(
        "Lire et Écrire Namur",
        "training",
        "Namur",
        "lire-et-ecrire-namur.example",
    ),
    org(
        "Tremplin Langues Gembloux",
        "training",
        "Gembloux",
        "tremplin-langues.example",
    ),
    org(
        "Mission locale de Sambreville",
        "training",
        "Sambreville",
        "mission-locale-sambreville.example",
    ),
    org(
        "Institut d'enseignement de promotion sociale de Namur",
        "adult_school",
        "Namur",
        "ieps-namur.example",
    ),
    org(
        "Institut de promotion sociale de Dinant",
        "adult_school",
        "Dinant",
        "ips-dinant.example",
    ),
    org(
        "Maison de l'intégration d'Andenne",
        "ili",
        "Andenne",
        "integration-andenne.example",
    ),
    org(
        "Initiative locale d'intégration de Rochefort",
        "ili",
        "Rochefort",
        "ili-rochefort.example",
    ),
    org(
        "Espace citoyen de Jemeppe-sur-Sambre",
        "ili",
        "Jemeppe-sur-Sambre",
        "espace-citoyen-jemeppe.example",
    ),
    org(
        "Centre Croix-Rouge de Jambes",
        "reception_centre",
        "Namur",
        "croix-rouge-jambes.example",
    ),
    org(
        "Centre Fedasil de Florennes",
        "reception_centre",
        "Florennes",
        "fedasil-florennes.example",
    ),
    org(
        "Centre Croix-Rouge de Natoye",
        "reception_centre",
        "Hamois",
        "croix-rouge-natoye.example",
    ),
    org(
        "Université de Namur",
        "university",
        "Namur",
        "unamur.example",
    ),
    org("FGTB Namur", "union", "Namur", "fgtb-namur.example"),
    org(
        "CSC Namur-Dinant",
        "union",
        "Namur",
        "csc-namur-dinant.example",
    ),
    org(
        "Unia – point de contact de Namur",
        "public_body",
        "Namur",
        "unia-namur.example",
    ),
    org(
        "Province de Namur – Service des affaires sociales",
        "public_body",
        "Namur",
        "province-namur.example",
    ),
    org(
        "Service Droit des Jeunes de Namur",
        "asbl",
        "Namur",
        "sdj-namur.example",
    ),
    org(
        "Collectif Transit Namur",
        "asbl",
        "Namur",
        "collectif-transit.example",
    ),
    org(
        "Accueil Sans Frontières Sambreville",
        "asbl",
        "Sambreville",
        "asf-sambreville.example",
    ),
    org(
        "Maison médicale de Dinant",
        "asbl",
        "Dinant",
        "mm-dinant.example",
    ),
    org(
        "Gesves Terre d'Accueil",
        "asbl",
        "Gesves",
        "gesves-accueil.example",
    ),
    // Sectors met at the annual plenary rather than in the platforms.
    org(
        "CPAS de Gembloux",
        "cpas",
        "Gembloux",
        "cpas-gembloux.example",
    ),
    org(
        "CPAS de Sambreville",
        "cpas",
        "Sambreville",
        "cpas-sambreville.example",
    ),
    org(
        "Commune de Ciney – Service population",
        "municipality",
        "Ciney",
        "ciney.example",
    ),
    org(
        "Bibliothèque communale de Gembloux",
        "municipality",
        "Gembloux",
        "biblio-gembloux.example",
    ),
    org("PCS d'Andenne", "pcs", "Andenne", "pcs-andenne.example"),
    org(
        "PCS de Philippeville",
        "pcs",
        "Philippeville",
        "pcs-philippeville.example",
    ),
    org(
        "Forem – Direction régionale de Namur",
        "public_body",
        "Namur",
        "forem-namur.example",
    ),
    org(
        "Agence immobilière sociale namuroise",
        "asbl",
        "Namur",
        "ais-namur.example",
    ),
    org(
        "Centre de santé mentale de Dinant",
        "asbl",
        "Dinant",
        "csm-dinant.example",
    ),
    org(
        "Infor Jeunes Namur",
        "asbl",
        "Namur",
        "inforjeunes-namur.example",
    ),
    org(
        "Planning familial de Namur",
        "asbl",
        "Namur",
        "planning-namur.example",
    ),
    org(
        "Haute école sociale de Namur",
        "university",
        "Namur",
        "hes-namur.example",
    ),
];

/// People (fictional): (name, email, organisation, language). The administrator is the person
/// with `ADMIN_EMAIL`; everyone is active and signs in with `PASSWORD`.
const PEOPLE: [(&str, &str, &str, &str); 60] = [
    // Centre régional d'intégration: staff, coordinators of the platforms.
    ("Claire Dubois", ADMIN_EMAIL, CRI, "fr"),
    ("Marc Lejeune", COORDINATOR_EMAIL, CRI, "fr"),
    ("Nadia El Amrani", MEMBER_EMAIL, CRI, "fr"),
    (
        "Julie Mathieu",
        "julie.mathieu@cri-namur.example",
        CRI,
        "fr",
    ),
    (
        "Thomas Renard",
        "thomas.renard@cri-namur.example",
        CRI,
        "fr",
    ),
    ("Aïcha Benali", "aicha.benali@cri-namur.example", CRI, "fr"),
    (
        "Pieter Vermeulen",
        "pieter.vermeulen@cri-namur.example",
        CRI,
        "nl",
    ),
    (
        "Sarah Collard",
        "sarah.collard@cri-namur.example",
        CRI,
        "fr",
    ),
    // CPAS.
    (
        "Sophie Lambert",
        "sophie.lambert@cpas-namur.example",
        "CPAS de Namur",
        "fr",
    ),
    (
        "Olivier Georges",
        "olivier.georges@cpas-namur.example",
        "CPAS de Namur",
        "fr",
    ),
    (
        "Isabelle Hubert",
        "isabelle.hubert@cpas-dinant.example",
        "CPAS de Dinant",
        "fr",
    ),
    (
        "Vincent Dasnoy",
        "vincent.dasnoy@cpas-dinant.example",
        "CPAS de Dinant",
        "fr",
    ),
    (
        "Laurent Gillet",
        "laurent.gillet@cpas-andenne.example",
        "CPAS d'Andenne",
        "fr",
    ),
    (
        "Martine Wilmotte",
        "martine.wilmotte@cpas-andenne.example",
        "CPAS d'Andenne",
        "fr",
    ),
    (
        "Véronique Maréchal",
        "veronique.marechal@cpas-ciney.example",
        "CPAS de Ciney",
        "fr",
    ),
    (
        "Sandrine Jacquet",
        "sandrine.jacquet@cpas-ciney.example",
        "CPAS de Ciney",
        "fr",
    ),
    (
        "Benoît Dethier",
        "benoit.dethier@cpas-philippeville.example",
        "CPAS de Philippeville",
        "fr",
    ),
    // Municipal services and social cohesion plans.
    (
        "Nathalie Piron",
        "nathalie.piron@ville-namur.example",
        "Ville de Namur – Service Population-Étrangers",
        "fr",
    ),
    (
        "Thierry Lejoly",
        "thierry.lejoly@ville-namur.example",
        "Ville de Namur – Service Population-Étrangers",
        "fr",
    ),
    (
        "Jean-François Massart",
        "jean-francois.massart@beauraing.example",
        "Commune de Beauraing – Service population",
        "fr",
    ),
    (
        "Catherine Degive",
        "catherine.degive@eghezee.example",
        "Commune d'Eghezée – Service population",
        "fr",
    ),
    (
        "Karim Haddad",
        "karim.haddad@pcs-sambreville.example",
        "PCS de Sambreville",
        "fr",
    ),
    (
        "Alessia Russo",
        "alessia.russo@pcs-sambreville.example",
        "PCS de Sambreville",
        "fr",
    ),
    (
        "Élodie Fontaine",
        "elodie.fontaine@pcs-gembloux.example",
        "PCS de Gembloux",
        "fr",
    ),
    (
        "Damien Lecomte",
        "damien.lecomte@pcs-couvin.example",
        "PCS de Couvin",
        "fr",
    ),
    // Training operators and schools for adults.
    (
        "Anne-Sophie Delvaux",
        "anne-sophie.delvaux@lire-et-ecrire-namur.example",
        "Lire et Écrire Namur",
        "fr",
    ),
    (
        "Youssef Amrani",
        "youssef.amrani@lire-et-ecrire-namur.example",
        "Lire et Écrire Namur",
        "fr",
    ),
    (
        "Cécile Thonon",
        "cecile.thonon@lire-et-ecrire-namur.example",
        "Lire et Écrire Namur",
        "fr",
    ),
    (
        "Marie Noël",
        "marie.noel@tremplin-langues.example",
        "Tremplin Langues Gembloux",
        "fr",
    ),
    (
        "Joost Janssens",
        "joost.janssens@tremplin-langues.example",
        "Tremplin Langues Gembloux",
        "nl",
    ),
    (
        "Grégory Henrard",
        "gregory.henrard@mission-locale-sambreville.example",
        "Mission locale de Sambreville",
        "fr",
    ),
    (
        "Nicolas Pirson",
        "nicolas.pirson@mission-locale-sambreville.example",
        "Mission locale de Sambreville",
        "fr",
    ),
    (
        "Patricia Wauthier",
        "patricia.wauthier@ieps-namur.example",
        "Institut d'enseignement de promotion sociale de Namur",
        "fr",
    ),
    (
        "Hendrik Claes",
        "hendrik.claes@ieps-namur.example",
        "Institut d'enseignement de promotion sociale de Namur",
        "nl",
    ),
    (
        "Stéphanie Gérard",
        "stephanie.gerard@ips-dinant.example",
        "Institut de promotion sociale de Dinant",
        "fr",
    ),
    // Local integration initiatives.
    (
        "Samira Bouzid",
        "samira.bouzid@integration-andenne.example",
        "Maison de l'intégration d'Andenne",
        "fr",
    ),
    (
        "François Delcourt",
        "francois.delcourt@integration-andenne.example",
        "Maison de l'intégration d'Andenne",
        "fr",
    ),
    (
        "Pierre Jadot",
        "pierre.jadot@ili-rochefort.example",
        "Initiative locale d'intégration de Rochefort",
        "fr",
    ),
    (
        "Manon Collignon",
        "manon.collignon@espace-citoyen-jemeppe.example",
        "Espace citoyen de Jemeppe-sur-Sambre",
        "fr",
    ),
    // Reception centres.
    (
        "Amélie Rousseau",
        "amelie.rousseau@croix-rouge-jambes.example",
        "Centre Croix-Rouge de Jambes",
        "fr",
    ),
    (
        "Mamadou Diallo",
        "mamadou.diallo@croix-rouge-jambes.example",
        "Centre Croix-Rouge de Jambes",
        "fr",
    ),
    (
        "Kevin Dubuisson",
        "kevin.dubuisson@fedasil-florennes.example",
        "Centre Fedasil de Florennes",
        "fr",
    ),
    (
        "Annelies De Smet",
        "annelies.desmet@fedasil-florennes.example",
        "Centre Fedasil de Florennes",
        "nl",
    ),
    (
        "Aurélie Thiry",
        "aurelie.thiry@croix-rouge-natoye.example",
        "Centre Croix-Rouge de Natoye",
        "fr",
    ),
    (
        "Sylvie Materne",
        "sylvie.materne@croix-rouge-natoye.example",
        "Centre Croix-Rouge de Natoye",
        "fr",
    ),
    // University, unions, public bodies.
    (
        "Hélène Vandenberghe",
        "helene.vandenberghe@unamur.example",
        "Université de Namur",
        "fr",
    ),
    (
        "Daniel Okafor",
        "daniel.okafor@unamur.example",
        "Université de Namur",
        "en",
    ),
    (
        "Michel Gobert",
        "michel.gobert@fgtb-namur.example",
        "FGTB Namur",
        "fr",
    ),
    (
        "Françoise Collin",
        "francoise.collin@csc-namur-dinant.example",
        "CSC Namur-Dinant",
        "fr",
    ),
    (
        "Bart Peeters",
        "bart.peeters@unia-namur.example",
        "Unia – point de contact de Namur",
        "nl",
    ),
    (
        "Luc Delhaye",
        "luc.delhaye@province-namur.example",
        "Province de Namur – Service des affaires sociales",
        "fr",
    ),
    // Associations (ASBL).
    (
        "Caroline Dumont",
        "caroline.dumont@sdj-namur.example",
        "Service Droit des Jeunes de Namur",
        "fr",
    ),
    (
        "Ibrahim Sow",
        "ibrahim.sow@sdj-namur.example",
        "Service Droit des Jeunes de Namur",
        "fr",
    ),
    (
        "Lucas Bertrand",
        "lucas.bertrand@collectif-transit.example",
        "Collectif Transit Namur",
        "fr",
    ),
    (
        "Emily Walsh",
        "emily.walsh@collectif-transit.example",
        "Collectif Transit Namur",
        "en",
    ),
    (
        "Rachid Belkacem",
        "rachid.belkacem@asf-sambreville.example",
        "Accueil Sans Frontières Sambreville",
        "fr",
    ),
    (
        "Laura Hermans",
        "laura.hermans@asf-sambreville.example",
        "Accueil Sans Frontières Sambreville",
        "fr",
    ),
    (
        "Quentin Lefèvre",
        "quentin.lefevre@mm-dinant.example",
        "Maison médicale de Dinant",
        "fr",
    ),
    (
        "Géraldine Hanse",
        "geraldine.hanse@gesves-accueil.example",
        "Gesves Terre d'Accueil",
        "fr",
    ),
    (
        "Paul Lemmens",
        "paul.lemmens@gesves-accueil.example",
        "Gesves Terre d'Accueil",
        "fr",
    ),
];

/// Participants from many sectors who come to the annual plenary of the PPLI without belonging to
/// a platform (fictional, same shape and rules as `PEOPLE`).
const PARTICIPANTS: [(&str, &str, &str, &str); 48] = [
    (
        "Céline Dethise",
        "celine.dethise@cpas-gembloux.example",
        "CPAS de Gembloux",
        "fr",
    ),
    (
        "Arnaud Pirard",
        "arnaud.pirard@cpas-gembloux.example",
        "CPAS de Gembloux",
        "fr",
    ),
    (
        "Fatima Zahra Idrissi",
        "fatima-zahra.idrissi@cpas-sambreville.example",
        "CPAS de Sambreville",
        "fr",
    ),
    (
        "Jérôme Lambotte",
        "jerome.lambotte@cpas-sambreville.example",
        "CPAS de Sambreville",
        "fr",
    ),
    (
        "Valérie Closset",
        "valerie.closset@ciney.example",
        "Commune de Ciney – Service population",
        "fr",
    ),
    (
        "Hugo Marchal",
        "hugo.marchal@ciney.example",
        "Commune de Ciney – Service population",
        "fr",
    ),
    (
        "Odile Fraiture",
        "odile.fraiture@biblio-gembloux.example",
        "Bibliothèque communale de Gembloux",
        "fr",
    ),
    (
        "Ludovic Renson",
        "ludovic.renson@pcs-andenne.example",
        "PCS d'Andenne",
        "fr",
    ),
    (
        "Nora Benhaddou",
        "nora.benhaddou@pcs-andenne.example",
        "PCS d'Andenne",
        "fr",
    ),
    (
        "Jessica Lhermitte",
        "jessica.lhermitte@pcs-philippeville.example",
        "PCS de Philippeville",
        "fr",
    ),
    (
        "Gilles Poncelet",
        "gilles.poncelet@pcs-philippeville.example",
        "PCS de Philippeville",
        "fr",
    ),
    (
        "Christine Lhoest",
        "christine.lhoest@forem-namur.example",
        "Forem – Direction régionale de Namur",
        "fr",
    ),
    (
        "Mehdi Ouali",
        "mehdi.ouali@forem-namur.example",
        "Forem – Direction régionale de Namur",
        "fr",
    ),
    (
        "Bernadette Tilmant",
        "bernadette.tilmant@ais-namur.example",
        "Agence immobilière sociale namuroise",
        "fr",
    ),
    (
        "Sébastien Dorval",
        "sebastien.dorval@ais-namur.example",
        "Agence immobilière sociale namuroise",
        "fr",
    ),
    (
        "Anne Leroy",
        "anne.leroy@csm-dinant.example",
        "Centre de santé mentale de Dinant",
        "fr",
    ),
    (
        "Yannick Mbala",
        "yannick.mbala@csm-dinant.example",
        "Centre de santé mentale de Dinant",
        "fr",
    ),
    (
        "Clara Moreau",
        "clara.moreau@inforjeunes-namur.example",
        "Infor Jeunes Namur",
        "fr",
    ),
    (
        "Bilal Karimi",
        "bilal.karimi@inforjeunes-namur.example",
        "Infor Jeunes Namur",
        "fr",
    ),
    (
        "Inès Carvalho",
        "ines.carvalho@planning-namur.example",
        "Planning familial de Namur",
        "fr",
    ),
    (
        "Margaux Lemaire",
        "margaux.lemaire@planning-namur.example",
        "Planning familial de Namur",
        "fr",
    ),
    (
        "Marianne Debroux",
        "marianne.debroux@hes-namur.example",
        "Haute école sociale de Namur",
        "fr",
    ),
    (
        "Koen Wouters",
        "koen.wouters@hes-namur.example",
        "Haute école sociale de Namur",
        "nl",
    ),
    (
        "Delphine Mottet",
        "delphine.mottet@cpas-namur.example",
        "CPAS de Namur",
        "fr",
    ),
    (
        "Abdelkader Ziani",
        "abdelkader.ziani@cpas-namur.example",
        "CPAS de Namur",
        "fr",
    ),
    (
        "Marie-Claire Bodart",
        "marie-claire.bodart@cpas-dinant.example",
        "CPAS de Dinant",
        "fr",
    ),
    (
        "Raphaël Honnay",
        "raphael.honnay@cpas-andenne.example",
        "CPAS d'Andenne",
        "fr",
    ),
    (
        "Aline Guillaume",
        "aline.guillaume@cpas-ciney.example",
        "CPAS de Ciney",
        "fr",
    ),
    (
        "Stéphane Lurquin",
        "stephane.lurquin@cpas-philippeville.example",
        "CPAS de Philippeville",
        "fr",
    ),
    (
        "Catherine Baudoux",
        "catherine.baudoux@ville-namur.example",
        "Ville de Namur – Service Population-Étrangers",
        "fr",
    ),
    (
        "Olivier Tasiaux",
        "olivier.tasiaux@ville-namur.example",
        "Ville de Namur – Service Population-Étrangers",
        "fr",
    ),
    (
        "Josiane Lebrun",
        "josiane.lebrun@beauraing.example",
        "Commune de Beauraing – Service population",
        "fr",
    ),
    (
        "Philippe Wautelet",
        "philippe.wautelet@eghezee.example",
        "Commune d'Eghezée – Service population",
        "fr",
    ),
    (
        "Angela Ferraro",
        "angela.ferraro@pcs-sambreville.example",
        "PCS de Sambreville",
        "fr",
    ),
    (
        "Romain Delvigne",
        "romain.delvigne@pcs-gembloux.example",
        "PCS de Gembloux",
        "fr",
    ),
    (
        "Sabrina Hardy",
        "sabrina.hardy@pcs-couvin.example",
        "PCS de Couvin",
        "fr",
    ),
    (
        "Bérénice Goffin",
        "berenice.goffin@lire-et-ecrire-namur.example",
        "Lire et Écrire Namur",
        "fr",
    ),
    (
        "Eva Nowak",
        "eva.nowak@tremplin-langues.example",
        "Tremplin Langues Gembloux",
        "en",
    ),
    (
        "Tarik Essaidi",
        "tarik.essaidi@mission-locale-sambreville.example",
        "Mission locale de Sambreville",
        "fr",
    ),
    (
        "Francine Demoulin",
        "francine.demoulin@ieps-namur.example",
        "Institut d'enseignement de promotion sociale de Namur",
        "fr",
    ),
    (
        "Alain Remacle",
        "alain.remacle@ips-dinant.example",
        "Institut de promotion sociale de Dinant",
        "fr",
    ),
    (
        "Oumar Bah",
        "oumar.bah@integration-andenne.example",
        "Maison de l'intégration d'Andenne",
        "fr",
    ),
    (
        "Laetitia Collet",
        "laetitia.collet@ili-rochefort.example",
        "Initiative locale d'intégration de Rochefort",
        "fr",
    ),
    (
        "Gaëlle Piette",
        "gaelle.piette@espace-citoyen-jemeppe.example",
        "Espace citoyen de Jemeppe-sur-Sambre",
        "fr",
    ),
    (
        "Hamid Rahimi",
        "hamid.rahimi@croix-rouge-jambes.example",
        "Centre Croix-Rouge de Jambes",
        "fr",
    ),
    (
        "Nathalie Gosset",
        "nathalie.gosset@fedasil-florennes.example",
        "Centre Fedasil de Florennes",
        "fr",
    ),
    (
        "Jean-Marc Hallet",
        "jean-marc.hallet@croix-rouge-natoye.example",
        "Centre Croix-Rouge de Natoye",
        "fr",
    ),
    (
        "Monique Crahay",
        "monique.crahay@province-namur.example",
        "Province de Namur – Service des affaires sociales",
        "fr",
    ),
];

/// Who belongs to a platform or a group, and how.
type Roster = &'static [(&'static str, Role)];

const COORD: Role = Role::Coordinator;
const MEMBER: Role = Role::Member;
const OBSERVER: Role = Role::Observer;

/// Platform memberships: (platform name, [(email, role)]). Coordinators are CRI staff.
const PLATFORM_MEMBERS: [(&str, Roster); 8] = [
    (
        "Formation à la langue française",
        &[
            (COORDINATOR_EMAIL, COORD),
            ("thomas.renard@cri-namur.example", COORD),
            ("anne-sophie.delvaux@lire-et-ecrire-namur.example", MEMBER),
            ("youssef.amrani@lire-et-ecrire-namur.example", MEMBER),
            ("cecile.thonon@lire-et-ecrire-namur.example", MEMBER),
            ("marie.noel@tremplin-langues.example", MEMBER),
            ("joost.janssens@tremplin-langues.example", MEMBER),
            ("gregory.henrard@mission-locale-sambreville.example", MEMBER),
            ("nicolas.pirson@mission-locale-sambreville.example", MEMBER),
            ("patricia.wauthier@ieps-namur.example", MEMBER),
            ("hendrik.claes@ieps-namur.example", MEMBER),
            ("stephanie.gerard@ips-dinant.example", MEMBER),
            ("samira.bouzid@integration-andenne.example", MEMBER),
            ("pierre.jadot@ili-rochefort.example", MEMBER),
            ("elodie.fontaine@pcs-gembloux.example", MEMBER),
            ("helene.vandenberghe@unamur.example", OBSERVER),
            ("luc.delhaye@province-namur.example", OBSERVER),
        ],
    ),
    (
        "Citoyenneté",
        &[
            ("sarah.collard@cri-namur.example", COORD),
            ("samira.bouzid@integration-andenne.example", MEMBER),
            ("francois.delcourt@integration-andenne.example", MEMBER),
            ("manon.collignon@espace-citoyen-jemeppe.example", MEMBER),
            ("pierre.jadot@ili-rochefort.example", MEMBER),
            ("karim.haddad@pcs-sambreville.example", MEMBER),
            ("alessia.russo@pcs-sambreville.example", MEMBER),
            ("damien.lecomte@pcs-couvin.example", MEMBER),
            ("cecile.thonon@lire-et-ecrire-namur.example", MEMBER),
            ("nathalie.piron@ville-namur.example", OBSERVER),
            ("jean-francois.massart@beauraing.example", OBSERVER),
        ],
    ),
    (
        "Sociojuridique",
        &[
            (COORDINATOR_EMAIL, COORD),
            ("aicha.benali@cri-namur.example", COORD),
            (MEMBER_EMAIL, MEMBER),
            ("sophie.lambert@cpas-namur.example", MEMBER),
            ("isabelle.hubert@cpas-dinant.example", MEMBER),
            ("laurent.gillet@cpas-andenne.example", MEMBER),
            ("veronique.marechal@cpas-ciney.example", MEMBER),
            ("benoit.dethier@cpas-philippeville.example", MEMBER),
            ("caroline.dumont@sdj-namur.example", MEMBER),
            ("ibrahim.sow@sdj-namur.example", MEMBER),
            ("amelie.rousseau@croix-rouge-jambes.example", MEMBER),
            ("kevin.dubuisson@fedasil-florennes.example", MEMBER),
            ("rachid.belkacem@asf-sambreville.example", MEMBER),
            ("quentin.lefevre@mm-dinant.example", MEMBER),
            ("geraldine.hanse@gesves-accueil.example", MEMBER),
            ("francoise.collin@csc-namur-dinant.example", MEMBER),
            ("nathalie.piron@ville-namur.example", OBSERVER),
        ],
    ),
    (
        "Lutte contre le racisme",
        &[
            ("julie.mathieu@cri-namur.example", COORD),
            ("sarah.collard@cri-namur.example", COORD),
            ("bart.peeters@unia-namur.example", MEMBER),
            ("michel.gobert@fgtb-namur.example", MEMBER),
            ("francoise.collin@csc-namur-dinant.example", MEMBER),
            ("helene.vandenberghe@unamur.example", MEMBER),
            ("daniel.okafor@unamur.example", MEMBER),
            ("karim.haddad@pcs-sambreville.example", MEMBER),
            ("elodie.fontaine@pcs-gembloux.example", MEMBER),
            ("damien.lecomte@pcs-couvin.example", MEMBER),
            ("laura.hermans@asf-sambreville.example", MEMBER),
            ("mamadou.diallo@croix-rouge-jambes.example", MEMBER),
            ("thierry.lejoly@ville-namur.example", MEMBER),
            ("olivier.georges@cpas-namur.example", MEMBER),
            ("paul.lemmens@gesves-accueil.example", MEMBER),
            ("luc.delhaye@province-namur.example", OBSERVER),
        ],
    ),
    (
        "Interculturelle",
        &[
            ("thomas.renard@cri-namur.example", COORD),
            ("samira.bouzid@integration-andenne.example", MEMBER),
            ("francois.delcourt@integration-andenne.example", MEMBER),
            ("pierre.jadot@ili-rochefort.example", MEMBER),
            ("manon.collignon@espace-citoyen-jemeppe.example", MEMBER),
            ("geraldine.hanse@gesves-accueil.example", MEMBER),
            ("rachid.belkacem@asf-sambreville.example", MEMBER),
            ("alessia.russo@pcs-sambreville.example", OBSERVER),
            ("luc.delhaye@province-namur.example", OBSERVER),
        ],
    ),
    (
        "Sans-papiers",
        &[
            ("aicha.benali@cri-namur.example", COORD),
            ("caroline.dumont@sdj-namur.example", MEMBER),
            ("ibrahim.sow@sdj-namur.example", MEMBER),
            ("rachid.belkacem@asf-sambreville.example", MEMBER),
            ("quentin.lefevre@mm-dinant.example", MEMBER),
            ("michel.gobert@fgtb-namur.example", MEMBER),
            ("paul.lemmens@gesves-accueil.example", MEMBER),
            ("laura.hermans@asf-sambreville.example", MEMBER),
        ],
    ),
    (
        "Migrants en transit",
        &[
            ("aicha.benali@cri-namur.example", COORD),
            ("pieter.vermeulen@cri-namur.example", COORD),
            ("lucas.bertrand@collectif-transit.example", MEMBER),
            ("emily.walsh@collectif-transit.example", MEMBER),
            ("amelie.rousseau@croix-rouge-jambes.example", MEMBER),
            ("mamadou.diallo@croix-rouge-jambes.example", MEMBER),
            ("sylvie.materne@croix-rouge-natoye.example", MEMBER),
            ("olivier.georges@cpas-namur.example", MEMBER),
            ("geraldine.hanse@gesves-accueil.example", MEMBER),
            ("catherine.degive@eghezee.example", OBSERVER),
        ],
    ),
    (
        "MENA",
        &[
            ("pieter.vermeulen@cri-namur.example", COORD),
            ("caroline.dumont@sdj-namur.example", MEMBER),
            ("kevin.dubuisson@fedasil-florennes.example", MEMBER),
            ("annelies.desmet@fedasil-florennes.example", MEMBER),
            ("aurelie.thiry@croix-rouge-natoye.example", MEMBER),
            ("sylvie.materne@croix-rouge-natoye.example", MEMBER),
            ("sandrine.jacquet@cpas-ciney.example", MEMBER),
            ("martine.wilmotte@cpas-andenne.example", MEMBER),
            ("vincent.dasnoy@cpas-dinant.example", MEMBER),
            ("jean-francois.massart@beauraing.example", OBSERVER),
        ],
    ),
];

/// Working-group memberships: (platform name, group name, [(email, role)]). Everyone here is
/// also a member of the group's platform.
const GROUP_MEMBERS: [(&str, &str, Roster); 9] = [
    (
        "Formation à la langue française",
        "Orientation du public et gestion des listes d'attente à Namur",
        &[
            ("thomas.renard@cri-namur.example", COORD),
            ("anne-sophie.delvaux@lire-et-ecrire-namur.example", MEMBER),
            ("youssef.amrani@lire-et-ecrire-namur.example", MEMBER),
            ("patricia.wauthier@ieps-namur.example", MEMBER),
            ("samira.bouzid@integration-andenne.example", MEMBER),
            ("elodie.fontaine@pcs-gembloux.example", MEMBER),
        ],
    ),
    (
        "Formation à la langue française",
        "Interpellation sur la validation",
        &[
            (COORDINATOR_EMAIL, COORD),
            ("hendrik.claes@ieps-namur.example", MEMBER),
            ("stephanie.gerard@ips-dinant.example", MEMBER),
            ("cecile.thonon@lire-et-ecrire-namur.example", MEMBER),
            ("marie.noel@tremplin-langues.example", MEMBER),
            ("helene.vandenberghe@unamur.example", OBSERVER),
        ],
    ),
    (
        "Formation à la langue française",
        "Valorisation des zones rurales",
        &[
            ("pierre.jadot@ili-rochefort.example", COORD),
            ("stephanie.gerard@ips-dinant.example", MEMBER),
            ("samira.bouzid@integration-andenne.example", MEMBER),
            ("gregory.henrard@mission-locale-sambreville.example", MEMBER),
            ("joost.janssens@tremplin-langues.example", MEMBER),
            ("luc.delhaye@province-namur.example", OBSERVER),
        ],
    ),
    (
        "Formation à la langue française",
        "Positionnement : comment fluidifier les parcours d'apprentissage",
        &[
            ("thomas.renard@cri-namur.example", COORD),
            ("marie.noel@tremplin-langues.example", MEMBER),
            ("nicolas.pirson@mission-locale-sambreville.example", MEMBER),
            ("patricia.wauthier@ieps-namur.example", MEMBER),
            ("anne-sophie.delvaux@lire-et-ecrire-namur.example", MEMBER),
            ("gregory.henrard@mission-locale-sambreville.example", MEMBER),
        ],
    ),
    (
        "Sociojuridique",
        "Création et partage d'outils communs",
        &[
            ("aicha.benali@cri-namur.example", COORD),
            ("sophie.lambert@cpas-namur.example", MEMBER),
            ("caroline.dumont@sdj-namur.example", MEMBER),
            ("amelie.rousseau@croix-rouge-jambes.example", MEMBER),
            ("laurent.gillet@cpas-andenne.example", MEMBER),
            ("rachid.belkacem@asf-sambreville.example", MEMBER),
        ],
    ),
    (
        "Sociojuridique",
        "Meilleure connaissance du réseau",
        &[
            ("isabelle.hubert@cpas-dinant.example", COORD),
            ("veronique.marechal@cpas-ciney.example", MEMBER),
            ("benoit.dethier@cpas-philippeville.example", MEMBER),
            ("quentin.lefevre@mm-dinant.example", MEMBER),
            ("geraldine.hanse@gesves-accueil.example", MEMBER),
        ],
    ),
    (
        "Sociojuridique",
        "Relevé de constats et interpellations",
        &[
            (COORDINATOR_EMAIL, COORD),
            (MEMBER_EMAIL, MEMBER),
            ("ibrahim.sow@sdj-namur.example", MEMBER),
            ("kevin.dubuisson@fedasil-florennes.example", MEMBER),
            ("sophie.lambert@cpas-namur.example", MEMBER),
            ("francoise.collin@csc-namur-dinant.example", MEMBER),
            ("nathalie.piron@ville-namur.example", OBSERVER),
        ],
    ),
    (
        "Lutte contre le racisme",
        "Interpellation",
        &[
            ("julie.mathieu@cri-namur.example", COORD),
            ("bart.peeters@unia-namur.example", MEMBER),
            ("michel.gobert@fgtb-namur.example", MEMBER),
            ("francoise.collin@csc-namur-dinant.example", MEMBER),
            ("olivier.georges@cpas-namur.example", MEMBER),
            ("thierry.lejoly@ville-namur.example", MEMBER),
            ("luc.delhaye@province-namur.example", OBSERVER),
        ],
    ),
    (
        "Lutte contre le racisme",
        "Sensibilisation",
        &[
            ("sarah.collard@cri-namur.example", COORD),
            ("karim.haddad@pcs-sambreville.example", MEMBER),
            ("elodie.fontaine@pcs-gembloux.example", MEMBER),
            ("daniel.okafor@unamur.example", MEMBER),
            ("laura.hermans@asf-sambreville.example", MEMBER),
            ("mamadou.diallo@croix-rouge-jambes.example", MEMBER),
            ("paul.lemmens@gesves-accueil.example", MEMBER),
            ("damien.lecomte@pcs-couvin.example", MEMBER),
        ],
    ),
];

// ---------------------------------------------------------------------------------------------
// Meetings
// ---------------------------------------------------------------------------------------------

/// A place: (name, address). Real rooms of partner buildings; the addresses are plausible.
type Place = (&'static str, &'static str);

const CRI_ROOM: Place = ("Salle du CRI", "Rue Docteur Haibe 2, 5002 Saint-Servais");
const MARLAGNE: Place = (
    "Centre culturel de la Marlagne",
    "Chemin des Marronniers 26, 5100 Wépion",
);
const MAISON_CULTURE: Place = (
    "Maison de la Culture de Namur",
    "Avenue Golenvaux 14, 5000 Namur",
);
const LIRE_ECRIRE_ROOM: Place = (
    "Lire et Écrire Namur – salle de formation",
    "Rue Relis Namurwès 1, 5000 Namur",
);
const UNAMUR_ROOM: Place = (
    "Université de Namur – salle du Conseil",
    "Rue de Bruxelles 61, 5000 Namur",
);
const ANDENNE_ROOM: Place = (
    "Maison de l'intégration d'Andenne",
    "Rue du Commerce 12, 5300 Andenne",
);
const ROCHEFORT_ROOM: Place = (
    "Initiative locale d'intégration de Rochefort",
    "Rue de Behogne 5, 5580 Rochefort",
);
const IEPS_ROOM: Place = (
    "Institut d'enseignement de promotion sociale de Namur – local 12",
    "Rue Pépin 2, 5000 Namur",
);
/// A meeting held only by video.
const ONLINE: Place = ("", "");

/// The public office hours of the eight reception offices: endless series anchored in January
/// 2026 (each anchor is itself one of its rule's dates).
struct OfficeHoursFixture {
    /// The office's name in the `reception_offices` table (filled by a migration).
    office: &'static str,
    /// "d'Andenne", "de Namur": the title and the place say "bureau d'accueil {of_town}".
    of_town: &'static str,
    municipalities: &'static str,
    rrule: &'static str,
    /// Brussels wall clock, "YYYY-MM-DD" and "HH:MM".
    anchor: &'static str,
    start: &'static str,
    end: &'static str,
    address: &'static str,
}

const OFFICE_HOURS: [OfficeHoursFixture; 8] = [
    OfficeHoursFixture {
        office: "Andenne",
        of_town: "d'Andenne",
        municipalities: "Andenne, Gesves et Ohey",
        rrule: "FREQ=MONTHLY;BYDAY=2FR,4FR",
        anchor: "2026-01-09",
        start: "13:00",
        end: "16:00",
        address: "Rue de la Papeterie 5, 5300 Andenne",
    },
    OfficeHoursFixture {
        office: "Beauraing",
        of_town: "de Beauraing",
        municipalities: "Beauraing, Gedinne, Bièvre et Vresse-sur-Semois",
        rrule: "FREQ=MONTHLY;BYDAY=3TH",
        anchor: "2026-01-15",
        start: "09:00",
        end: "12:00",
        address: "Rue de Dinant 12, 5570 Beauraing",
    },
    OfficeHoursFixture {
        office: "Ciney",
        of_town: "de Ciney",
        municipalities: "Ciney, Assesse, Hamois, Rochefort, Somme-Leuze et Havelange",
        rrule: "FREQ=MONTHLY;BYDAY=1TH,3TH",
        // The first Thursday of January 2026 is New Year's Day: the series starts on the third.
        anchor: "2026-01-15",
        start: "09:00",
        end: "12:00",
        address: "Rue du Centre 45, 5590 Ciney",
    },
    OfficeHoursFixture {
        office: "Dinant",
        of_town: "de Dinant",
        municipalities: "Dinant, Hastière, Yvoir, Houyet, Anhée et Onhaye",
        rrule: "FREQ=MONTHLY;BYDAY=2TH,4TH",
        anchor: "2026-01-08",
        start: "13:00",
        end: "16:00",
        address: "Rue Grande 112, 5500 Dinant",
    },
    OfficeHoursFixture {
        office: "Gembloux",
        of_town: "de Gembloux",
        municipalities: "Gembloux, Sombreffe et Eghezée",
        rrule: "FREQ=MONTHLY;BYDAY=2TH,4TH",
        anchor: "2026-01-08",
        start: "09:00",
        end: "12:00",
        address: "Parc d'Épinal 2, 5030 Gembloux",
    },
    OfficeHoursFixture {
        office: "Philippeville",
        of_town: "de Philippeville",
        municipalities: "Philippeville, Cerfontaine, Couvin, Doische, Walcourt, Mettet, \
            Florennes et Viroinval",
        rrule: "FREQ=MONTHLY;BYDAY=1TU,3TU",
        anchor: "2026-01-06",
        start: "09:00",
        end: "12:00",
        address: "Place d'Armes 8, 5600 Philippeville",
    },
    OfficeHoursFixture {
        office: "Sambreville",
        of_town: "de Sambreville",
        municipalities: "Sambreville, Fosses-la-Ville et Jemeppe-sur-Sambre",
        rrule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
        anchor: "2026-01-05",
        start: "09:00",
        end: "12:00",
        address: "Place communale 1, 5060 Sambreville",
    },
    OfficeHoursFixture {
        office: "Namur",
        of_town: "de Namur",
        municipalities: "Namur, Profondeville, Floreffe, La Bruyère et Fernelmont",
        rrule: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        // 1 January 2026 is a holiday and the 2nd a bridge day: the series starts on Monday 5.
        anchor: "2026-01-05",
        start: "09:00",
        end: "12:00",
        address: "Rue Docteur Haibe 2, 5002 Saint-Servais",
    },
];

/// Changes to single office-hours dates: (office, original local start, action).
const OCCURRENCE_CHANGES: [(&str, &str, &str); 2] = [
    // The second Friday of April 2027: the Andenne office is closed that afternoon.
    ("d'Andenne", "2027-04-09T13:00:00", "cancelled"),
    // Christmas Day 2026 is a Friday: no office hours in Namur.
    ("de Namur", "2026-12-25T09:00:00", "skipped"),
];

/// Minutes of a held meeting (published).
struct MinutesFixture {
    minutes: &'static str,
    decisions: &'static str,
    actions: &'static str,
}

/// A platform, group or network meeting (or series). Times are Brussels wall clock. A one-off
/// meeting whose end has passed when the demo is loaded is marked "held".
struct MeetingFixture {
    /// A name of `PLATFORMS`, or "" for the whole network.
    platform: &'static str,
    /// A group of that platform (`WORKING_GROUPS`), or "".
    group: &'static str,
    /// A key of `crate::meetings::rules::KINDS`.
    kind: &'static str,
    title: &'static str,
    description: &'static str,
    /// "YYYY-MM-DD", "HH:MM", "HH:MM".
    date: &'static str,
    start: &'static str,
    end: &'static str,
    /// An RRULE for a series, "" for a one-off meeting.
    rrule: &'static str,
    place: Place,
    video_url: &'static str,
    public: bool,
    cancelled: bool,
    capacity: Option<i32>,
    registration_open: bool,
    /// "YYYY-MM-DDTHH:MM" local, or "".
    deadline: &'static str,
    meal_options: &'static [&'static str],
    /// (time "HH:MM" or "", title, presenters).
    agenda: &'static [(&'static str, &'static str, &'static str)],
    minutes: Option<MinutesFixture>,
}

const MEETING: MeetingFixture = MeetingFixture {
    platform: "",
    group: "",
    kind: "plenary",
    title: "",
    description: "",
    date: "",
    start: "09:30",
    end: "12:00",
    rrule: "",
    place: CRI_ROOM,
    video_url: "",
    public: false,
    cancelled: false,
    capacity: None,
    registration_open: false,
    deadline: "",
    meal_options: &[],
    agenda: &[],
    minutes: None,
};

const SOCIOJURIDIQUE: &str = "Sociojuridique";
const FLE: &str = "Formation à la langue française";
const RACISME: &str = "Lutte contre le racisme";
const CITOYENNETE: &str = "Citoyenneté";
const GT_ORIENTATION: &str = "Orientation du public et gestion des listes d'attente à Namur";
const GT_VALIDATION: &str = "Interpellation sur la validation";
const GT_RURAL: &str = "Valorisation des zones rurales";
const GT_POSITIONNEMENT: &str = "Positionnement : comment fluidifier les parcours d'apprentissage";

/// A year of platform and working-group meetings, June 2026 to June 2027.
const MEETINGS: [MeetingFixture; 33] = [
    // Sociojuridique: the monthly findings meeting, three plenaries, four legal peer sessions.
    MeetingFixture {
        platform: SOCIOJURIDIQUE,
        kind: "findings",
        title: "Réunion mensuelle des constats de terrain",
        description: "Chaque mois, les membres apportent les obstacles précis et objectivables \
            rencontrés par les personnes étrangères pour faire valoir leurs droits : auprès de \
            quelle autorité ou association, depuis quand, pour combien de personnes. Aucun nom ni \
            donnée qui permettrait d'identifier les personnes concernées.",
        date: "2026-06-09",
        start: "09:30",
        end: "12:00",
        rrule: "FREQ=MONTHLY;BYDAY=2TU",
        video_url: "https://visio.example/sociojuridique-constats",
        agenda: &[
            ("09:30", "Tour de table des constats du mois", ""),
            (
                "10:30",
                "Regroupement par thème et vérification des faits",
                "Aïcha Benali",
            ),
            ("11:30", "Suites à donner : interpellations à préparer", ""),
        ],
        ..MEETING
    },
    MeetingFixture {
        platform: SOCIOJURIDIQUE,
        title: "Plénière de la plateforme Sociojuridique",
        description: "Bilan de six mois de constats de terrain (plus de trente points relevés) et \
            avancement des trois groupes de travail.",
        date: "2026-11-17",
        start: "09:30",
        end: "12:30",
        place: MAISON_CULTURE,
        video_url: "https://visio.example/sociojuridique-pleniere",
        public: true,
        agenda: &[
            ("09:30", "Accueil", ""),
            (
                "09:45",
                "Six mois de constats : ce qui revient le plus",
                "Marc Lejeune",
            ),
            (
                "10:45",
                "Les groupes de travail : outils communs, connaissance du réseau, interpellations",
                "Coordinateur·rices des GT",
            ),
            ("12:15", "Calendrier du semestre", ""),
        ],
        ..MEETING
    },
    MeetingFixture {
        platform: SOCIOJURIDIQUE,
        title: "Plénière de la plateforme Sociojuridique",
        description: "Préparation des interpellations issues des constats en vue de la consultation \
            d'avril.",
        date: "2027-03-16",
        start: "13:30",
        end: "16:30",
        public: true,
        ..MEETING
    },
    MeetingFixture {
        platform: SOCIOJURIDIQUE,
        title: "Plénière de la plateforme Sociojuridique",
        description: "Retour de la consultation du réseau et préparation de la plénière du PPLI.",
        date: "2027-05-18",
        start: "13:30",
        end: "16:30",
        place: UNAMUR_ROOM,
        video_url: "https://visio.example/sociojuridique-pleniere",
        public: true,
        ..MEETING
    },
    MeetingFixture {
        platform: SOCIOJURIDIQUE,
        kind: "peer_session",
        title: "Intervision juridique : le regroupement familial",
        description: "Analyse de situations apportées par les participant·es (anonymisées), avec \
            une juriste spécialisée en droit des étrangers.",
        date: "2026-09-24",
        start: "13:30",
        end: "16:30",
        ..MEETING
    },
    MeetingFixture {
        platform: SOCIOJURIDIQUE,
        kind: "peer_session",
        title: "Intervision juridique : l'aide sociale des personnes en séjour précaire",
        date: "2026-12-01",
        start: "13:30",
        end: "16:30",
        video_url: "https://visio.example/intervision-juridique",
        ..MEETING
    },
    MeetingFixture {
        platform: SOCIOJURIDIQUE,
        kind: "peer_session",
        title: "Intervision juridique : la demande de nationalité et la preuve de l'intégration",
        date: "2027-03-04",
        start: "13:30",
        end: "16:30",
        ..MEETING
    },
    MeetingFixture {
        platform: SOCIOJURIDIQUE,
        kind: "peer_session",
        title: "Intervision juridique : le séjour pour raisons médicales",
        date: "2027-06-03",
        start: "13:30",
        end: "16:30",
        place: ONLINE,
        video_url: "https://visio.example/intervision-juridique",
        ..MEETING
    },
    // Formation à la langue française: the June plenary, the next one in February, and the first
    // meetings of its four working groups.
    MeetingFixture {
        platform: FLE,
        title: "Plénière de la plateforme Formation à la langue française",
        description: "État de l'offre de formation en français langue étrangère dans la province et \
            constitution des groupes de travail.",
        date: "2026-06-12",
        start: "09:30",
        end: "12:30",
        place: LIRE_ECRIRE_ROOM,
        public: true,
        agenda: &[
            ("09:30", "Accueil et tour de table", ""),
            (
                "09:50",
                "L'offre FLE dans la province : listes d'attente et zones blanches",
                "Thomas Renard",
            ),
            (
                "10:45",
                "Quatre chantiers pour l'année : orientation, validation, zones rurales, \
                 positionnement",
                "",
            ),
            ("11:45", "Constitution des groupes de travail", ""),
        ],
        ..MEETING
    },
    MeetingFixture {
        platform: FLE,
        title: "Plénière de la plateforme Formation à la langue française",
        description: "Restitution des quatre groupes de travail et priorités pour la consultation \
            du réseau.",
        date: "2027-02-11",
        start: "09:30",
        end: "12:30",
        video_url: "https://visio.example/fle-pleniere",
        public: true,
        agenda: &[
            ("09:30", "Accueil", ""),
            (
                "09:45",
                "Restitution des groupes de travail",
                "Les quatre GT",
            ),
            ("11:15", "Priorités pour la consultation d'avril", ""),
        ],
        ..MEETING
    },
    MeetingFixture {
        platform: FLE,
        group: GT_ORIENTATION,
        kind: "working_group",
        title: "GT Orientation et listes d'attente : première réunion",
        date: "2026-11-12",
        start: "09:30",
        end: "12:00",
        place: LIRE_ECRIRE_ROOM,
        minutes: Some(MinutesFixture {
            minutes: "Sept participant·es de cinq opérateurs namurois.\n\n\
                Tour de table des listes d'attente : plus de 180 personnes attendent une place en \
                français langue étrangère à Namur, certaines inscrites chez plusieurs opérateurs à \
                la fois. Les orientations par les CPAS et le bureau d'accueil arrivent souvent sans \
                test de positionnement.\n\n\
                Le groupe s'accorde sur un premier objectif : savoir chaque mois combien de places \
                sont libres, chez qui et à quel niveau.",
            decisions: "Tenir un tableau partagé des places disponibles, mis à jour le premier \
                lundi du mois.\nSe réunir toutes les quatre à six semaines jusqu'à la plénière de \
                février.",
            actions: "Thomas Renard : proposer un modèle de tableau partagé avant la prochaine \
                réunion.\nLire et Écrire Namur et l'IEPS : compter les doubles inscriptions de \
                l'automne.\nMaison de l'intégration d'Andenne : décrire son circuit d'orientation.",
        }),
        ..MEETING
    },
    MeetingFixture {
        platform: FLE,
        group: GT_ORIENTATION,
        kind: "working_group",
        title: "GT Orientation et listes d'attente : deuxième réunion",
        date: "2026-12-10",
        start: "13:30",
        end: "15:30",
        place: ONLINE,
        video_url: "https://visio.example/gt-orientation",
        agenda: &[
            ("13:30", "Le modèle de tableau partagé", "Thomas Renard"),
            ("14:15", "Les doubles inscriptions : premiers chiffres", ""),
            (
                "15:00",
                "Ce que nous porterons à la plénière de février",
                "",
            ),
        ],
        ..MEETING
    },
    MeetingFixture {
        platform: FLE,
        group: GT_VALIDATION,
        kind: "working_group",
        title: "GT Validation : première réunion",
        description: "Depuis 2023, les parquets exigent le niveau A2 dans chaque compétence pour \
            valider une demande de nationalité : recueil des situations rencontrées.",
        date: "2026-11-19",
        start: "13:30",
        end: "16:00",
        video_url: "https://visio.example/gt-validation",
        ..MEETING
    },
    MeetingFixture {
        platform: FLE,
        group: GT_VALIDATION,
        kind: "working_group",
        title: "GT Validation : préparation de l'interpellation",
        date: "2026-12-17",
        start: "13:30",
        end: "16:00",
        video_url: "https://visio.example/gt-validation",
        ..MEETING
    },
    MeetingFixture {
        platform: FLE,
        group: GT_RURAL,
        kind: "working_group",
        title: "GT Zones rurales : première réunion",
        description: "Cartographie de l'offre de formation hors des villes et des difficultés de \
            transport des apprenant·es.",
        date: "2026-11-26",
        start: "09:30",
        end: "12:00",
        place: ROCHEFORT_ROOM,
        public: true,
        ..MEETING
    },
    MeetingFixture {
        platform: FLE,
        group: GT_RURAL,
        kind: "working_group",
        title: "GT Zones rurales : mobilité des apprenant·es",
        date: "2026-12-15",
        start: "09:30",
        end: "12:00",
        place: ROCHEFORT_ROOM,
        video_url: "https://visio.example/gt-zones-rurales",
        public: true,
        ..MEETING
    },
    MeetingFixture {
        platform: FLE,
        group: GT_POSITIONNEMENT,
        kind: "working_group",
        title: "GT Positionnement : première réunion",
        date: "2026-11-24",
        start: "13:30",
        end: "16:00",
        place: IEPS_ROOM,
        ..MEETING
    },
    MeetingFixture {
        platform: FLE,
        group: GT_POSITIONNEMENT,
        kind: "working_group",
        title: "GT Positionnement : comparer nos tests",
        date: "2026-12-03",
        start: "13:30",
        end: "16:00",
        place: IEPS_ROOM,
        video_url: "https://visio.example/gt-positionnement",
        ..MEETING
    },
    // Citoyenneté: two themed meetings a year.
    MeetingFixture {
        platform: CITOYENNETE,
        title: "Rencontre thématique : la dimension interculturelle en formation",
        description: "Échanges de pratiques entre formateur·rices à la citoyenneté sur la place de \
            l'interculturel dans les modules.",
        date: "2026-10-15",
        start: "09:30",
        end: "12:30",
        place: ANDENNE_ROOM,
        ..MEETING
    },
    MeetingFixture {
        platform: CITOYENNETE,
        title: "Rencontre thématique : qui sont les participant·es de nos formations ?",
        description: "Portrait du public des formations à la citoyenneté à partir des données des \
            opérateurs.",
        date: "2027-05-20",
        start: "09:30",
        end: "12:30",
        video_url: "https://visio.example/citoyennete",
        public: true,
        ..MEETING
    },
    // Lutte contre le racisme: eight meetings a year and the public event around 21 March.
    MeetingFixture {
        platform: RACISME,
        title: "Réunion de la plateforme Lutte contre le racisme",
        date: "2026-06-23",
        start: "13:30",
        end: "16:00",
        public: true,
        ..MEETING
    },
    MeetingFixture {
        platform: RACISME,
        title: "Réunion de la plateforme Lutte contre le racisme",
        description: "Rentrée : suivi du mémorandum sur le racisme et les discriminations et plans \
            locaux de lutte contre le racisme.",
        date: "2026-09-22",
        start: "13:30",
        end: "16:00",
        video_url: "https://visio.example/racisme",
        public: true,
        ..MEETING
    },
    MeetingFixture {
        platform: RACISME,
        group: "Interpellation",
        kind: "working_group",
        title: "GT Interpellation : suivi du mémorandum communal",
        date: "2026-10-06",
        start: "09:30",
        end: "12:00",
        place: UNAMUR_ROOM,
        ..MEETING
    },
    MeetingFixture {
        platform: RACISME,
        title: "Réunion de la plateforme Lutte contre le racisme",
        date: "2026-12-15",
        start: "13:30",
        end: "16:00",
        video_url: "https://visio.example/racisme",
        public: true,
        ..MEETING
    },
    MeetingFixture {
        platform: RACISME,
        group: "Sensibilisation",
        kind: "working_group",
        title: "GT Sensibilisation : préparation du 21 mars",
        date: "2027-01-12",
        start: "13:30",
        end: "16:00",
        place: ONLINE,
        video_url: "https://visio.example/gt-sensibilisation",
        ..MEETING
    },
    MeetingFixture {
        platform: RACISME,
        title: "Réunion de la plateforme Lutte contre le racisme",
        date: "2027-01-26",
        start: "13:30",
        end: "16:00",
        public: true,
        ..MEETING
    },
    MeetingFixture {
        platform: RACISME,
        kind: "public_event",
        title: "Journée contre le racisme et les discriminations",
        description: "Autour du 21 mars, journée internationale pour l'élimination de la \
            discrimination raciale : une dizaine de stands d'associations, un film suivi d'un \
            débat. Entrée libre.",
        date: "2027-03-20",
        start: "10:00",
        end: "18:00",
        place: MAISON_CULTURE,
        public: true,
        agenda: &[
            ("10:00", "Ouverture des stands", "Associations du réseau"),
            ("14:00", "Projection du film", ""),
            ("16:00", "Débat avec la salle", "Unia et le CRI"),
            ("17:30", "Verre de clôture", ""),
        ],
        ..MEETING
    },
    MeetingFixture {
        platform: RACISME,
        title: "Réunion de la plateforme Lutte contre le racisme",
        description: "Bilan de la journée du 21 mars.",
        date: "2027-04-27",
        start: "13:30",
        end: "16:00",
        video_url: "https://visio.example/racisme",
        public: true,
        ..MEETING
    },
    MeetingFixture {
        platform: RACISME,
        title: "Réunion de la plateforme Lutte contre le racisme",
        date: "2027-05-25",
        start: "13:30",
        end: "16:00",
        public: true,
        ..MEETING
    },
    // Interculturelle: the analysis of the draft decree.
    MeetingFixture {
        platform: "Interculturelle",
        title: "Analyse de l'avant-projet de décret",
        description: "Lecture commentée de l'avant-projet de décret et systématisation des \
            interpellations des initiatives locales d'intégration.",
        date: "2026-08-31",
        start: "09:30",
        end: "12:30",
        video_url: "https://visio.example/interculturelle",
        agenda: &[
            ("09:30", "Présentation de l'avant-projet", "Thomas Renard"),
            ("10:15", "Lecture article par article, en sous-groupes", ""),
            ("11:30", "Interpellations communes", ""),
        ],
        ..MEETING
    },
    // Sans-papiers: a light coordination, two or three times a year (the January one postponed).
    MeetingFixture {
        platform: "Sans-papiers",
        title: "Coordination sans-papiers",
        description: "Circulation de l'information et des constats de terrain.",
        date: "2026-09-29",
        start: "14:00",
        end: "16:30",
        ..MEETING
    },
    MeetingFixture {
        platform: "Sans-papiers",
        title: "Coordination sans-papiers",
        description: "Reportée au 23 février.",
        date: "2027-01-19",
        start: "14:00",
        end: "16:30",
        cancelled: true,
        ..MEETING
    },
    MeetingFixture {
        platform: "Sans-papiers",
        title: "Coordination sans-papiers",
        date: "2027-02-23",
        start: "14:00",
        end: "16:30",
        ..MEETING
    },
];

/// The four axes of access to fundamental rights: the plenary's workshops.
const AXES: [&str; 4] = [
    "Offrir une réponse adéquate/adaptée aux besoins de base des personnes",
    "Faciliter les démarches d'intégration/d'insertion des personnes",
    "Œuvrer à un vivre ensemble inclusif, sans racisme ni discrimination",
    "Soutenir les acteurs, leurs actions et encourager le développement d'initiatives en faveur \
     des personnes",
];

/// The plenary's workshops: (axis, room, the two staff animators), each run in both slots.
const PLENARY_WORKSHOPS: [(&str, &str, &str); 4] = [
    (
        AXES[0],
        "Salle des Tilleuls",
        "Aïcha Benali, Pieter Vermeulen",
    ),
    (
        AXES[1],
        "Salle de la Meuse",
        "Marc Lejeune, Nadia El Amrani",
    ),
    (AXES[2], "Salle du Verger", "Julie Mathieu, Sarah Collard"),
    (
        AXES[3],
        "Salle des Marronniers",
        "Thomas Renard, Claire Dubois",
    ),
];
const WORKSHOP_SLOTS: [(&str, &str); 2] = [("10:10", "11:15"), ("11:35", "12:30")];
const WORKSHOP_CAPACITY: i32 = 30;

/// The annual plenary of the PPLI: the whole network, with registration, meals and workshops.
const PLENARY: MeetingFixture = MeetingFixture {
    kind: "plenary",
    title: "Plénière annuelle du PPLI",
    description: "La grande rencontre annuelle du Plan provincial et local d'intégration : une \
        centaine de participant·es de tous les secteurs enrichissent, en ateliers, les constats et \
        les recommandations du futur mémorandum, puis les confrontent aux représentant·es des \
        partis. Chaque participant·e suit deux des quatre ateliers, communiqués à l'accueil ; le \
        repas est choisi à l'inscription.",
    date: "2027-06-15",
    start: "09:00",
    end: "16:00",
    place: MARLAGNE,
    public: true,
    capacity: Some(120),
    registration_open: true,
    deadline: "2027-06-08T23:59",
    meal_options: &["Végétarien", "Sans gluten", "Sans porc", "Pas de repas"],
    agenda: &[
        ("09:00", "Accueil et café", ""),
        (
            "09:30",
            "Introduction par la direction et intervention à distance",
            "Claire Dubois, direction du CRI",
        ),
        ("10:10", "Premier atelier", ""),
        ("11:15", "Pause", ""),
        ("11:35", "Second atelier", ""),
        ("12:30", "Repas", ""),
        (
            "14:05",
            "Rencontre avec les représentant·es des six partis : témoignages et questions de la \
             salle",
            "Représentant·es des six partis",
        ),
        ("16:00", "Conclusions", ""),
    ],
    ..MEETING
};

/// Meeting rows (one-off meetings and series) the demo holds.
const MEETING_COUNT: usize = OFFICE_HOURS.len() + MEETINGS.len() + 1;

/// A few registrants leave a note (by arrival position).
const REGISTRATION_NOTES: [(i64, &str); 3] = [
    (7, "Je viens en train : arrivée vers 09:20."),
    (23, "Accès de plain-pied nécessaire (fauteuil roulant)."),
    (61, "Je dois partir à 15:00."),
];

// ---------------------------------------------------------------------------------------------
// Loader
// ---------------------------------------------------------------------------------------------

/// What one run inserted.
#[derive(Default)]
struct Added {
    platforms: usize,
    groups: usize,
    organisations: usize,
    people: usize,
    memberships: usize,
    meetings: usize,
    agenda_items: usize,
    occurrence_changes: usize,
    workshops: usize,
    /// Registrations, each with its workshop preferences.
    registrations: usize,
}

impl Added {
    fn nothing(&self) -> bool {
        self.platforms
            + self.groups
            + self.organisations
            + self.people
            + self.memberships
            + self.meetings
            + self.agenda_items
            + self.occurrence_changes
            + self.workshops
            + self.registrations
            == 0
    }
}

fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n > 1 { plural } else { singular })
}

/// Loads the demo dataset, inserting only what is missing, and returns a French summary.
pub async fn load(db: &DatabaseConnection) -> anyhow::Result<String> {
    let txn = db.begin().await?;
    let mut added = Added::default();

    let platform_ids = load_platforms(&txn, &mut added).await?;
    let group_ids = load_groups(&txn, &platform_ids, &mut added).await?;
    let organisation_ids = load_organisations(&txn, &mut added).await?;
    let person_ids = load_people(&txn, &organisation_ids, &mut added).await?;
    load_platform_memberships(&txn, &platform_ids, &person_ids, &mut added).await?;
    load_group_memberships(&txn, &group_ids, &person_ids, &mut added).await?;
    load_office_hours(&txn, &person_ids, &mut added).await?;
    load_meetings(&txn, &platform_ids, &group_ids, &person_ids, &mut added).await?;
    load_plenary(&txn, &person_ids, &mut added).await?;

    let summary = if added.nothing() {
        format!(
            "Jeu de démonstration déjà chargé : rien à ajouter ({}, {}, {}, {}, {}, {}).",
            count(PLATFORMS.len(), "plateforme", "plateformes"),
            count(
                WORKING_GROUPS.len(),
                "groupe de travail",
                "groupes de travail"
            ),
            count(ORGANISATIONS.len(), "organisation", "organisations"),
            count(PEOPLE.len() + PARTICIPANTS.len(), "personne", "personnes"),
            count(MEETING_COUNT, "réunion ou série", "réunions et séries"),
            count(plenary_registrants().len(), "inscription", "inscriptions"),
        )
    } else {
        // Only what was added: a partial reload reads "1 personne, 3 adhésions".
        let parts: Vec<String> = [
            (added.platforms, "plateforme", "plateformes"),
            (added.groups, "groupe de travail", "groupes de travail"),
            (added.organisations, "organisation", "organisations"),
            (added.people, "personne", "personnes"),
            (added.memberships, "adhésion", "adhésions"),
            (added.meetings, "réunion ou série", "réunions et séries"),
            (
                added.agenda_items,
                "point de programme",
                "points de programme",
            ),
            (
                added.occurrence_changes,
                "séance modifiée",
                "séances modifiées",
            ),
            (added.workshops, "atelier", "ateliers"),
            (added.registrations, "inscription", "inscriptions"),
        ]
        .into_iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, singular, plural)| count(n, singular, plural))
        .collect();
        let summary = format!("Jeu de démonstration chargé : {}.", parts.join(", "));
        crate::audit::record(
            &txn,
            None,
            "charger la démonstration",
            "démonstration",
            None,
            summary.clone(),
        )
        .await?;
        summary
    };
    crate::calendar::version::bump(&txn).await?;
    txn.commit().await?;
    Ok(summary)
}

/// Platform ids by platform name.
async fn load_platforms(
    txn: &DatabaseTransaction,
    added: &mut Added,
) -> anyhow::Result<HashMap<&'static str, i64>> {
    let mut ids = HashMap::new();
    for fixture in &PLATFORMS {
        let slug = slugify(fixture.name);
        // Names are unique too: match either, so that a renamed slug does not collide.
        let existing = platform::Entity::find()
            .filter(
                Condition::any()
                    .add(platform::Column::Slug.eq(slug.as_str()))
                    .add(platform::Column::Name.eq(fixture.name)),
            )
            .one(txn)
            .await?;
        let id = match existing {
            Some(row) => row.id,
            None => {
                let now = Utc::now();
                let row = platform::ActiveModel {
                    name: Set(fixture.name.to_string()),
                    slug: Set(slug),
                    theme: Set(fixture.theme.to_string()),
                    description: Set(fixture.description.to_string()),
                    visibility: Set(fixture.visibility.to_string()),
                    archived: Set(false),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                added.platforms += 1;
                row.id
            }
        };
        ids.insert(fixture.name, id);
    }
    Ok(ids)
}

/// Working-group ids by (platform name, group name).
async fn load_groups(
    txn: &DatabaseTransaction,
    platform_ids: &HashMap<&'static str, i64>,
    added: &mut Added,
) -> anyhow::Result<HashMap<(&'static str, &'static str), i64>> {
    let mut ids = HashMap::new();
    for (platform_name, name, mandate) in WORKING_GROUPS {
        let platform_id = lookup(platform_ids, platform_name, "plateforme")?;
        let existing = working_group::Entity::find()
            .filter(working_group::Column::PlatformId.eq(platform_id))
            .filter(working_group::Column::Name.eq(name))
            .one(txn)
            .await?;
        let id = match existing {
            Some(row) => row.id,
            None => {
                let now = Utc::now();
                let row = working_group::ActiveModel {
                    platform_id: Set(platform_id),
                    name: Set(name.to_string()),
                    mandate: Set(mandate.to_string()),
                    status: Set("active".to_string()),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                added.groups += 1;
                row.id
            }
        };
        ids.insert((platform_name, name), id);
    }
    Ok(ids)
}

/// Organisation ids by name.
async fn load_organisations(
    txn: &DatabaseTransaction,
    added: &mut Added,
) -> anyhow::Result<HashMap<&'static str, i64>> {
    let municipalities: HashMap<String, i64> = municipality::Entity::find()
        .all(txn)
        .await?
        .into_iter()
        .map(|m| (m.name, m.id))
        .collect();
    let mut ids = HashMap::new();
    for fixture in &ORGANISATIONS {
        let existing = organisation::Entity::find()
            .filter(organisation::Column::Name.eq(fixture.name))
            .one(txn)
            .await?;
        let id = match existing {
            Some(row) => row.id,
            None => {
                let municipality_id =
                    municipalities.get(fixture.municipality).copied().ok_or_else(|| {
                        anyhow::anyhow!(
                            "commune « {} » introuvable : les migrations ont-elles été appliquées ?",
                            fixture.municipality
                        )
                    })?;
                let now = Utc::now();
                let row = organisation::ActiveModel {
                    name: Set(fixture.name.to_string()),
                    kind: Set(fixture.kind.to_string()),
                    municipality_id: Set(Some(municipality_id)),
                    website: Set(format!("https://www.{}", fixture.domain)),
                    archived: Set(false),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                added.organisations += 1;
                row.id
            }
        };
        ids.insert(fixture.name, id);
    }
    Ok(ids)
}

/// Person ids by email (as written in the fixtures).
async fn load_people(
    txn: &DatabaseTransaction,
    organisation_ids: &HashMap<&'static str, i64>,
    added: &mut Added,
) -> anyhow::Result<HashMap<&'static str, i64>> {
    // Argon2 is slow: hash once, and only if someone is missing, then share the hash.
    let mut password_hash: Option<String> = None;
    let mut ids = HashMap::new();
    for &(name, email, organisation_name, language) in PEOPLE.iter().chain(&PARTICIPANTS) {
        let email_normalized = normalize_email(email);
        let existing = person::Entity::find()
            .filter(person::Column::EmailNormalized.eq(email_normalized.as_str()))
            .one(txn)
            .await?;
        let id = match existing {
            Some(row) => row.id,
            None => {
                let organisation_id = lookup(organisation_ids, organisation_name, "organisation")?;
                let hash = match &password_hash {
                    Some(hash) => hash.clone(),
                    None => {
                        let hash = crate::auth::password::hash(PASSWORD)?;
                        password_hash = Some(hash.clone());
                        hash
                    }
                };
                let now = Utc::now();
                let row = person::ActiveModel {
                    name: Set(name.to_string()),
                    email: Set(email.to_string()),
                    email_normalized: Set(email_normalized),
                    organisation_id: Set(Some(organisation_id)),
                    language: Set(language.to_string()),
                    active: Set(true),
                    is_admin: Set(email == ADMIN_EMAIL),
                    password_hash: Set(Some(hash)),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                added.people += 1;
                row.id
            }
        };
        ids.insert(email, id);
    }
    Ok(ids)
}

async fn load_platform_memberships(
    txn: &DatabaseTransaction,
    platform_ids: &HashMap<&'static str, i64>,
    person_ids: &HashMap<&'static str, i64>,
    added: &mut Added,
) -> anyhow::Result<()> {
    for (platform_name, members) in PLATFORM_MEMBERS {
        let platform_id = lookup(platform_ids, platform_name, "plateforme")?;
        for (email, role) in members {
            let person_id = lookup(person_ids, email, "personne")?;
            let existing = platform_membership::Entity::find()
                .filter(platform_membership::Column::PlatformId.eq(platform_id))
                .filter(platform_membership::Column::PersonId.eq(person_id))
                .one(txn)
                .await?;
            if existing.is_none() {
                platform_membership::ActiveModel {
                    platform_id: Set(platform_id),
                    person_id: Set(person_id),
                    role: Set(role.as_str().to_string()),
                    created_at: Set(Utc::now()),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                added.memberships += 1;
            }
        }
    }
    Ok(())
}

async fn load_group_memberships(
    txn: &DatabaseTransaction,
    group_ids: &HashMap<(&'static str, &'static str), i64>,
    person_ids: &HashMap<&'static str, i64>,
    added: &mut Added,
) -> anyhow::Result<()> {
    for (platform_name, group_name, members) in GROUP_MEMBERS {
        let working_group_id = group_ids
            .get(&(platform_name, group_name))
            .copied()
            .ok_or_else(|| {
                anyhow::anyhow!("groupe de travail « {group_name} » absent du jeu de démonstration")
            })?;
        for (email, role) in members {
            let person_id = lookup(person_ids, email, "personne")?;
            let existing = group_membership::Entity::find()
                .filter(group_membership::Column::WorkingGroupId.eq(working_group_id))
                .filter(group_membership::Column::PersonId.eq(person_id))
                .one(txn)
                .await?;
            if existing.is_none() {
                group_membership::ActiveModel {
                    working_group_id: Set(working_group_id),
                    person_id: Set(person_id),
                    role: Set(role.as_str().to_string()),
                    created_at: Set(Utc::now()),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                added.memberships += 1;
            }
        }
    }
    Ok(())
}

/// One meeting row as `meetings::edit::apply` derives it from the form: Brussels wall clock,
/// UTC instants of the first occurrence, the canonical RRULE and the end of a bounded series.
struct PlannedMeeting {
    platform_id: Option<i64>,
    working_group_id: Option<i64>,
    /// The reception office whose territory the meeting concerns (its office-hours feed).
    office_id: Option<i64>,
    kind: &'static str,
    title: String,
    description: String,
    start: NaiveDateTime,
    end: NaiveDateTime,
    rule: Option<Rule>,
    place_name: String,
    place_address: String,
    video_url: &'static str,
    public: bool,
    status: &'static str,
    capacity: Option<i32>,
    registration_open: bool,
    deadline: Option<NaiveDateTime>,
    meal_options: &'static [&'static str],
    minutes: Option<&'static MinutesFixture>,
    created_by: Option<i64>,
}

/// "2026-11-17" and "09:30" as a Brussels wall-clock time.
fn local_time(date: &str, time: &str) -> anyhow::Result<NaiveDateTime> {
    let day = parse_date(date)
        .ok_or_else(|| anyhow::anyhow!("date « {date} » invalide dans le jeu de démonstration"))?;
    let hour = parse_time(time)
        .ok_or_else(|| anyhow::anyhow!("heure « {time} » invalide dans le jeu de démonstration"))?;
    Ok(day.and_time(hour))
}

/// The series' rule, checked against its first date (which must be one of the rule's dates).
fn series_rule(rrule: &str, start: NaiveDateTime) -> anyhow::Result<Option<Rule>> {
    if rrule.is_empty() {
        return Ok(None);
    }
    let rule = Rule::parse(rrule).map_err(|m| anyhow::anyhow!("{rrule} : {m}"))?;
    rule.check_start(start)
        .map_err(|m| anyhow::anyhow!("{rrule} : {m}"))?;
    Ok(Some(rule))
}

/// The status of a demo meeting: a series runs on; a one-off meeting already over is "held".
fn status_at(
    cancelled: bool,
    series: bool,
    end: NaiveDateTime,
    now: DateTime<Utc>,
) -> &'static str {
    if cancelled {
        "cancelled"
    } else if !series && recurrence::to_utc(end) < now {
        "held"
    } else {
        "scheduled"
    }
}

fn plan_office_hours(
    fixture: &'static OfficeHoursFixture,
    office_id: Option<i64>,
    created_by: Option<i64>,
) -> anyhow::Result<PlannedMeeting> {
    let start = local_time(fixture.anchor, fixture.start)?;
    let end = local_time(fixture.anchor, fixture.end)?;
    let rule = series_rule(fixture.rrule, start)?;
    Ok(PlannedMeeting {
        platform_id: None,
        working_group_id: None,
        office_id,
        kind: "office_hours",
        title: format!("Permanence du bureau d'accueil {}", fixture.of_town),
        description: format!(
            "Permanence sans rendez-vous du bureau d'accueil pour les habitant·es de {} : \
             information sur le parcours d'intégration, inscription aux formations de français et \
             de citoyenneté, orientation vers les services.",
            fixture.municipalities
        ),
        start,
        end,
        rule,
        place_name: format!("Bureau d'accueil {}", fixture.of_town),
        place_address: fixture.address.to_string(),
        video_url: "",
        public: true,
        status: "scheduled",
        capacity: None,
        registration_open: false,
        deadline: None,
        meal_options: &[],
        minutes: None,
        created_by,
    })
}

fn plan_meeting(
    fixture: &'static MeetingFixture,
    platform_id: Option<i64>,
    working_group_id: Option<i64>,
    created_by: Option<i64>,
    now: DateTime<Utc>,
) -> anyhow::Result<PlannedMeeting> {
    let start = local_time(fixture.date, fixture.start)?;
    let end = local_time(fixture.date, fixture.end)?;
    if end <= start {
        anyhow::bail!("« {} » finit avant de commencer", fixture.title);
    }
    let rule = series_rule(fixture.rrule, start)?;
    let deadline = match fixture.deadline.split_once('T') {
        None if fixture.deadline.is_empty() => None,
        Some((date, time)) => Some(local_time(date, time)?),
        None => anyhow::bail!("date limite « {} » invalide", fixture.deadline),
    };
    Ok(PlannedMeeting {
        platform_id,
        working_group_id,
        office_id: None,
        kind: fixture.kind,
        title: fixture.title.to_string(),
        description: fixture.description.to_string(),
        start,
        end,
        status: status_at(fixture.cancelled, rule.is_some(), end, now),
        rule,
        place_name: fixture.place.0.to_string(),
        place_address: fixture.place.1.to_string(),
        video_url: fixture.video_url,
        public: fixture.public,
        capacity: fixture.capacity,
        registration_open: fixture.registration_open,
        deadline,
        meal_options: fixture.meal_options,
        minutes: fixture.minutes.as_ref(),
        created_by,
    })
}

/// The meeting with this title and local start, inserted if missing.
async fn ensure_meeting(
    txn: &DatabaseTransaction,
    planned: PlannedMeeting,
    added: &mut Added,
) -> anyhow::Result<meeting::Model> {
    let start_local = format_local(planned.start);
    let existing = meeting::Entity::find()
        .filter(meeting::Column::Title.eq(planned.title.as_str()))
        .filter(meeting::Column::StartLocal.eq(start_local.as_str()))
        .one(txn)
        .await?;
    if let Some(row) = existing {
        return Ok(row);
    }
    let length = planned.end - planned.start;
    let now = Utc::now();
    let (minutes, decisions, actions) = match planned.minutes {
        Some(m) => (m.minutes, m.decisions, m.actions),
        None => ("", "", ""),
    };
    let row = meeting::ActiveModel {
        platform_id: Set(planned.platform_id),
        working_group_id: Set(planned.working_group_id),
        office_id: Set(planned.office_id),
        kind: Set(planned.kind.to_string()),
        title: Set(planned.title),
        description: Set(planned.description),
        all_day: Set(false),
        start_local: Set(start_local),
        end_local: Set(format_local(planned.end)),
        starts_at: Set(recurrence::to_utc(planned.start)),
        ends_at: Set(recurrence::to_utc(planned.end)),
        series_ends_at: Set(planned
            .rule
            .as_ref()
            .and_then(|r| schedule::series_end(planned.start, length, r))),
        tzid: Set(recurrence::TZID.to_string()),
        rrule: Set(planned.rule.as_ref().map(Rule::to_rrule)),
        place_name: Set(planned.place_name),
        place_address: Set(planned.place_address),
        video_url: Set(planned.video_url.to_string()),
        status: Set(planned.status.to_string()),
        visibility: Set(if planned.public { "public" } else { "members" }.to_string()),
        capacity: Set(planned.capacity),
        registration_open: Set(planned.registration_open),
        registration_deadline: Set(planned.deadline.map(recurrence::to_utc)),
        meal_options: Set(planned.meal_options.join("\n")),
        minutes: Set(minutes.to_string()),
        decisions: Set(decisions.to_string()),
        actions: Set(actions.to_string()),
        minutes_published: Set(planned.minutes.is_some()),
        sequence: Set(0),
        registration_counter: Set(0),
        created_by: Set(planned.created_by),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    added.meetings += 1;
    Ok(row)
}

/// The agenda of a meeting that has none yet.
async fn ensure_agenda(
    txn: &DatabaseTransaction,
    meeting_id: i64,
    agenda: &[(&str, &str, &str)],
    added: &mut Added,
) -> anyhow::Result<()> {
    if agenda.is_empty() {
        return Ok(());
    }
    let present = agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.eq(meeting_id))
        .count(txn)
        .await?;
    if present > 0 {
        return Ok(());
    }
    for (position, (time, title, presenters)) in (0i32..).zip(agenda) {
        agenda_item::ActiveModel {
            meeting_id: Set(meeting_id),
            position: Set(position),
            time: Set(time.to_string()),
            title: Set(title.to_string()),
            presenters: Set(presenters.to_string()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        added.agenda_items += 1;
    }
    Ok(())
}

/// The coordinator who schedules a platform's meetings (the first listed), else the network's.
fn organiser(platform_name: &str, person_ids: &HashMap<&'static str, i64>) -> Option<i64> {
    let email = PLATFORM_MEMBERS
        .iter()
        .find(|(name, _)| *name == platform_name)
        .and_then(|(_, members)| members.iter().find(|(_, role)| *role == COORD))
        .map_or(COORDINATOR_EMAIL, |(email, _)| *email);
    person_ids.get(email).copied()
}

async fn load_office_hours(
    txn: &DatabaseTransaction,
    person_ids: &HashMap<&'static str, i64>,
    added: &mut Added,
) -> anyhow::Result<()> {
    let created_by = person_ids.get(COORDINATOR_EMAIL).copied();
    let offices: HashMap<String, i64> = reception_office::Entity::find()
        .all(txn)
        .await?
        .into_iter()
        .map(|o| (o.name, o.id))
        .collect();
    let mut series: HashMap<&'static str, meeting::Model> = HashMap::new();
    for fixture in &OFFICE_HOURS {
        let office_id = offices.get(fixture.office).copied().ok_or_else(|| {
            anyhow::anyhow!(
                "bureau d'accueil « {} » introuvable : les migrations ont-elles été appliquées ?",
                fixture.office
            )
        })?;
        let planned = plan_office_hours(fixture, Some(office_id), created_by)?;
        let row = ensure_meeting(txn, planned, added).await?;
        series.insert(fixture.of_town, row);
    }
    for (of_town, original, action) in OCCURRENCE_CHANGES {
        let row = series.get(of_town).ok_or_else(|| {
            anyhow::anyhow!("bureau d'accueil « {of_town} » absent du jeu de démonstration")
        })?;
        let date = parse_local(original)
            .filter(|o| schedule::is_series_date(row, *o))
            .ok_or_else(|| {
                anyhow::anyhow!("« {original} » n'est pas une date de « {} »", row.title)
            })?;
        let existing = occurrence_change::Entity::find()
            .filter(occurrence_change::Column::MeetingId.eq(row.id))
            .filter(occurrence_change::Column::OriginalStartLocal.eq(format_local(date)))
            .one(txn)
            .await?;
        if existing.is_none() {
            occurrence_change::ActiveModel {
                meeting_id: Set(row.id),
                original_start_local: Set(format_local(date)),
                action: Set(action.to_string()),
                new_start_local: Set(None),
                new_end_local: Set(None),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            added.occurrence_changes += 1;
        }
    }
    Ok(())
}

async fn load_meetings(
    txn: &DatabaseTransaction,
    platform_ids: &HashMap<&'static str, i64>,
    group_ids: &HashMap<(&'static str, &'static str), i64>,
    person_ids: &HashMap<&'static str, i64>,
    added: &mut Added,
) -> anyhow::Result<()> {
    let now = Utc::now();
    for fixture in &MEETINGS {
        let platform_id = lookup(platform_ids, fixture.platform, "plateforme")?;
        let group_id = if fixture.group.is_empty() {
            None
        } else {
            Some(
                group_ids
                    .get(&(fixture.platform, fixture.group))
                    .copied()
                    .ok_or_else(|| {
                        anyhow::anyhow!(
                            "groupe de travail « {} » absent du jeu de démonstration",
                            fixture.group
                        )
                    })?,
            )
        };
        let created_by = organiser(fixture.platform, person_ids);
        let planned = plan_meeting(fixture, Some(platform_id), group_id, created_by, now)?;
        let row = ensure_meeting(txn, planned, added).await?;
        ensure_agenda(txn, row.id, fixture.agenda, added).await?;
    }
    Ok(())
}

/// The annual plenary of the PPLI, its workshops and its registrations.
async fn load_plenary(
    txn: &DatabaseTransaction,
    person_ids: &HashMap<&'static str, i64>,
    added: &mut Added,
) -> anyhow::Result<()> {
    let coordinator = person_ids.get(COORDINATOR_EMAIL).copied();
    let planned = plan_meeting(&PLENARY, None, None, coordinator, Utc::now())?;
    let plenary = ensure_meeting(txn, planned, added).await?;
    ensure_agenda(txn, plenary.id, PLENARY.agenda, added).await?;

    for (title, room, animators) in PLENARY_WORKSHOPS {
        for (slot_start, slot_end) in WORKSHOP_SLOTS {
            let existing = workshop::Entity::find()
                .filter(workshop::Column::MeetingId.eq(plenary.id))
                .filter(workshop::Column::SlotStart.eq(slot_start))
                .filter(workshop::Column::Title.eq(title))
                .one(txn)
                .await?;
            if existing.is_none() {
                workshop::ActiveModel {
                    meeting_id: Set(plenary.id),
                    title: Set(title.to_string()),
                    room: Set(room.to_string()),
                    animators: Set(animators.to_string()),
                    slot_start: Set(slot_start.to_string()),
                    slot_end: Set(slot_end.to_string()),
                    capacity: Set(Some(WORKSHOP_CAPACITY)),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                added.workshops += 1;
            }
        }
    }

    // Registrations in arrival order; a missing one takes the next position after the meeting's
    // counter, as `booking::register` does, and the counter ends on the last position used.
    let mut counter = plenary.registration_counter;
    let mut confirmed = registration::Entity::find()
        .filter(registration::Column::MeetingId.eq(plenary.id))
        .filter(registration::Column::Status.eq(booking::CONFIRMED))
        .count(txn)
        .await?;
    let capacity = plenary
        .capacity
        .map_or(u64::MAX, |c| u64::try_from(c).unwrap_or(0));
    let arrivals = plenary_registrants();
    let total = i64::try_from(arrivals.len())?;
    for (index, (email, organisation)) in (0i64..).zip(arrivals) {
        let person_id = lookup(person_ids, email, "personne")?;
        let existing = registration::Entity::find()
            .filter(registration::Column::MeetingId.eq(plenary.id))
            .filter(registration::Column::PersonId.eq(person_id))
            .one(txn)
            .await?;
        if existing.is_some() {
            continue;
        }
        counter += 1;
        let status = if confirmed < capacity {
            confirmed += 1;
            booking::CONFIRMED
        } else {
            booking::WAITING
        };
        // Registered over the last weeks, one every few hours; one in eight by the coordination.
        let at = Utc::now() - Duration::hours(5 * (total - index));
        let registered_by = if index % 8 == 5 {
            coordinator
        } else {
            Some(person_id)
        };
        let note = REGISTRATION_NOTES
            .iter()
            .find(|(position, _)| *position == index + 1)
            .map_or("", |(_, note)| *note);
        let saved = registration::ActiveModel {
            meeting_id: Set(plenary.id),
            person_id: Set(person_id),
            status: Set(status.to_string()),
            position: Set(counter),
            meal: Set(meal_choice(email, PLENARY.meal_options).to_string()),
            note: Set(note.to_string()),
            registered_by: Set(registered_by),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        added.registrations += 1;
        for (rank, title) in (1i32..).zip(workshop_ranking(email, favourite_axis(organisation))) {
            workshop_preference::ActiveModel {
                registration_id: Set(saved.id),
                workshop: Set(title.to_string()),
                rank: Set(rank),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
    }
    if counter != plenary.registration_counter {
        let mut row: meeting::ActiveModel = plenary.into();
        row.registration_counter = Set(counter);
        row.update(txn).await?;
    }
    Ok(())
}

/// Who registers for the plenary, in arrival order: (email, organisation name). Everybody but
/// the centre's staff, who run the day.
fn plenary_registrants() -> Vec<(&'static str, &'static str)> {
    let mut people: Vec<(&'static str, &'static str)> = PEOPLE
        .iter()
        .chain(PARTICIPANTS.iter())
        .filter(|(_, _, organisation, _)| *organisation != CRI)
        .map(|(_, email, organisation, _)| (*email, *organisation))
        .collect();
    people.sort_by_key(|(email, _)| (Draws::new("arrivée", email).next(), *email));
    people
}

/// Deterministic pseudo-random draws (SplitMix64 seeded by FNV-1a of a label and a key): the
/// demo's skewed choices are the same on every run and every database.
struct Draws(u64);

impl Draws {
    fn new(label: &str, key: &str) -> Draws {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in label.bytes().chain([0]).chain(key.bytes()) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        Draws(hash)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// An index drawn with probability proportional to its weight (0 if all weights are 0).
    fn weighted(&mut self, weights: &[u64]) -> usize {
        let total: u64 = weights.iter().sum();
        if total == 0 {
            return 0;
        }
        let mut ticket = self.next() % total;
        for (i, weight) in weights.iter().enumerate() {
            if ticket < *weight {
                return i;
            }
            ticket -= weight;
        }
        0
    }
}

/// How popular each axis is across the network (the "vivre ensemble" and integration-steps
/// workshops fill first, supporting the actors the least).
const AXIS_WEIGHTS: [u64; 4] = [4, 5, 5, 2];

/// The axis a sector usually puts first: basic needs for CPAS and reception centres, integration
/// steps for training and municipal services, living together for cohesion plans, unions and
/// universities, supporting the actors for public bodies.
fn favourite_axis(organisation: &str) -> usize {
    let kind = ORGANISATIONS
        .iter()
        .find(|o| o.name == organisation)
        .map_or("", |o| o.kind);
    match kind {
        "cpas" | "reception_centre" | "asbl" => 0,
        "municipality" | "training" | "adult_school" | "ili" => 1,
        "pcs" | "union" | "university" => 2,
        _ => 3,
    }
}

/// Workshops (axes) ranked best first: usually the sector's favourite first, then by
/// popularity; most rank all four, some only two or three.
fn workshop_ranking(email: &str, favourite: usize) -> Vec<&'static str> {
    let mut draws = Draws::new("ateliers", email);
    let wanted = match draws.next() % 10 {
        0 => 2,
        1 | 2 => 3,
        _ => AXES.len(),
    };
    let mut weights = AXIS_WEIGHTS;
    let mut ranking: Vec<&'static str> = Vec::with_capacity(wanted);
    let mut first = (!draws.next().is_multiple_of(4)).then_some(favourite);
    while ranking.len() < wanted && weights.iter().any(|w| *w > 0) {
        let axis = first.take().unwrap_or_else(|| draws.weighted(&weights));
        if let (Some(weight), Some(title)) = (weights.get_mut(axis), AXES.get(axis))
            && *weight > 0
        {
            *weight = 0;
            ranking.push(*title);
        }
    }
    ranking
}

/// A meal among `options` ("Végétarien", "Sans gluten", "Sans porc", "Pas de repas"), skewed:
/// about 40 %, 10 %, 30 % and 20 %.
fn meal_choice(email: &str, options: &'static [&'static str]) -> &'static str {
    const WEIGHTS: [u64; 4] = [8, 2, 6, 4];
    let index = Draws::new("repas", email).weighted(&WEIGHTS[..options.len().min(WEIGHTS.len())]);
    options.get(index).copied().unwrap_or("")
}

/// An id from a fixture map; a miss is a mistake in the fixtures above.
fn lookup(ids: &HashMap<&'static str, i64>, key: &str, what: &str) -> anyhow::Result<i64> {
    ids.get(key)
        .copied()
        .ok_or_else(|| anyhow::anyhow!("{what} « {key} » absente du jeu de démonstration"))
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use sea_orm::{Database, PaginatorTrait};

    use chrono::{Datelike, Weekday};

    use super::*;
    use crate::meetings::rules::KINDS as MEETING_KINDS;
    use crate::organisations::rules::KINDS;
    use crate::people::rules::LANGUAGES;
    use crate::platforms::rules::valid_slug;

    #[test]
    fn fixtures_are_consistent() {
        let platforms: HashSet<&str> = PLATFORMS.iter().map(|p| p.name).collect();
        assert_eq!(platforms.len(), PLATFORMS.len());
        for p in &PLATFORMS {
            assert!(valid_slug(&slugify(p.name)), "{}", p.name);
            assert!(["public", "members"].contains(&p.visibility));
        }

        let organisations: HashMap<&str, &OrganisationFixture> =
            ORGANISATIONS.iter().map(|o| (o.name, o)).collect();
        assert_eq!(organisations.len(), ORGANISATIONS.len());
        for o in &ORGANISATIONS {
            assert!(KINDS.iter().any(|(k, _)| *k == o.kind), "{}", o.kind);
            assert!(o.domain.ends_with(".example"));
        }

        let mut emails = HashSet::new();
        for (name, email, organisation, language) in PEOPLE {
            assert!(emails.insert(normalize_email(email)), "doublon {email}");
            assert!(email.ends_with(".example"), "{email}");
            assert!(email.is_ascii() && email == email.to_lowercase(), "{email}");
            assert!(LANGUAGES.iter().any(|(c, _)| *c == language), "{name}");
            let org = organisations.get(organisation);
            assert!(org.is_some(), "{organisation}");
            if let Some(org) = org {
                assert!(email.ends_with(&format!("@{}", org.domain)), "{email}");
            }
        }

        let mut platform_roles: HashMap<(&str, &str), Role> = HashMap::new();
        for (platform_name, members) in PLATFORM_MEMBERS {
            assert!(platforms.contains(platform_name));
            let coordinators = members.iter().filter(|(_, r)| *r == COORD).count();
            assert!((1..=2).contains(&coordinators), "{platform_name}");
            assert!(
                (6..=15).contains(&(members.len() - coordinators)),
                "{platform_name}"
            );
            for (email, role) in members {
                assert!(emails.contains(*email), "{email}");
                assert!(
                    platform_roles
                        .insert((platform_name, *email), *role)
                        .is_none()
                );
                if *role == COORD {
                    assert!(email.ends_with("@cri-namur.example"), "{email}");
                }
            }
        }
        // Everybody but the administrator belongs somewhere.
        for (_, email, _, _) in PEOPLE {
            assert!(
                email == ADMIN_EMAIL || platform_roles.keys().any(|(_, e)| *e == email),
                "{email}"
            );
        }
        // The plenary's other participants: the same rules, and no platform.
        for (name, email, organisation, language) in PARTICIPANTS {
            assert!(emails.insert(normalize_email(email)), "doublon {email}");
            assert!(email.is_ascii() && email == email.to_lowercase(), "{email}");
            assert!(LANGUAGES.iter().any(|(c, _)| *c == language), "{name}");
            let org = organisations.get(organisation);
            assert!(org.is_some(), "{organisation}");
            if let Some(org) = org {
                assert!(email.ends_with(&format!("@{}", org.domain)), "{email}");
                assert_ne!(org.name, CRI, "{email}");
            }
            assert!(!platform_roles.keys().any(|(_, e)| *e == email), "{email}");
        }

        let groups: HashSet<(&str, &str)> =
            WORKING_GROUPS.iter().map(|(p, g, _)| (*p, *g)).collect();
        assert_eq!(groups.len(), WORKING_GROUPS.len());
        assert_eq!(GROUP_MEMBERS.len(), WORKING_GROUPS.len());
        for (platform_name, group_name, members) in GROUP_MEMBERS {
            assert!(groups.contains(&(platform_name, group_name)));
            assert_eq!(members.iter().filter(|(_, r)| *r == COORD).count(), 1);
            assert!((4..=8).contains(&(members.len() - 1)), "{group_name}");
            let mut seen = HashSet::new();
            for (email, _) in members {
                assert!(seen.insert(*email));
                assert!(
                    platform_roles.contains_key(&(platform_name, *email)),
                    "{email} n'est pas membre de {platform_name}"
                );
            }
        }
    }

    /// The Brussels wall-clock start of a fixture, for the tests.
    fn local(date: &str, time: &str) -> NaiveDateTime {
        local_time(date, time).unwrap()
    }

    #[test]
    fn meeting_fixtures_are_consistent() {
        let now = Utc::now();
        let groups: HashSet<(&str, &str)> =
            WORKING_GROUPS.iter().map(|(p, g, _)| (*p, *g)).collect();
        let (from, to) = (local("2026-06-01", "00:00"), local("2027-07-01", "00:00"));
        let mut keys = HashSet::new();
        // (place, start, end, title) of every meeting held in a room, series expanded.
        let mut rooms: Vec<(&str, NaiveDateTime, NaiveDateTime, &str)> = Vec::new();
        for fixture in MEETINGS.iter().chain([&PLENARY]) {
            let title = fixture.title;
            assert!(
                MEETING_KINDS.iter().any(|(k, _)| *k == fixture.kind),
                "{title}"
            );
            assert!(
                fixture.platform.is_empty() || PLATFORMS.iter().any(|p| p.name == fixture.platform),
                "{title}"
            );
            assert!(
                fixture.group.is_empty() || groups.contains(&(fixture.platform, fixture.group)),
                "{title}"
            );
            assert!(
                fixture.video_url.is_empty()
                    || fixture.video_url.starts_with("https://visio.example/"),
                "{title}"
            );
            assert!(
                !fixture.place.0.is_empty() || !fixture.video_url.is_empty(),
                "{title} : ni lieu ni lien"
            );
            let planned = plan_meeting(fixture, None, None, None, now).unwrap();
            assert!(
                keys.insert((planned.title.clone(), format_local(planned.start))),
                "{title}"
            );
            assert!(
                planned.start >= from && planned.end <= to,
                "{title} hors de l'année"
            );
            assert!(
                !matches!(planned.start.weekday(), Weekday::Sun)
                    && (fixture.kind == "public_event" || planned.start.weekday() != Weekday::Sat),
                "{title} tombe un week-end"
            );
            for (time, item, _) in fixture.agenda {
                assert!(time.is_empty() || parse_time(time).is_some(), "{item}");
                assert!(!item.is_empty());
            }
            if fixture.minutes.is_some() {
                assert!(
                    !fixture.group.is_empty() && planned.status == "held",
                    "{title}"
                );
            }
            if fixture.place.0.is_empty() {
                continue;
            }
            match &planned.rule {
                None => rooms.push((fixture.place.0, planned.start, planned.end, title)),
                Some(rule) => {
                    for o in recurrence::expand(
                        planned.start,
                        planned.end - planned.start,
                        rule,
                        &[],
                        from,
                        to,
                    ) {
                        rooms.push((fixture.place.0, o.start, o.end, title));
                    }
                }
            }
        }
        // No room is booked twice at the same time.
        for (i, a) in rooms.iter().enumerate() {
            for b in &rooms[i + 1..] {
                assert!(
                    a.0 != b.0 || a.2 <= b.1 || b.2 <= a.1,
                    "{} et {} : même salle, même heure ({})",
                    a.3,
                    b.3,
                    a.1
                );
            }
        }
        // A mix of public and members-only, rooms, video links and both.
        assert!(MEETINGS.iter().any(|m| m.public) && MEETINGS.iter().any(|m| !m.public));
        assert!(MEETINGS.iter().any(|m| m.place.0.is_empty()));
        assert!(
            MEETINGS
                .iter()
                .any(|m| !m.place.0.is_empty() && !m.video_url.is_empty())
        );
        assert!(
            MEETINGS
                .iter()
                .any(|m| !m.place.0.is_empty() && m.video_url.is_empty())
        );
        let findings = MEETINGS.iter().find(|m| m.kind == "findings").unwrap();
        assert_eq!(
            Rule::parse(findings.rrule).unwrap().to_rrule(),
            "FREQ=MONTHLY;BYDAY=2TU"
        );
        assert_eq!(
            MEETINGS.iter().filter(|m| m.kind == "peer_session").count(),
            4
        );
        assert_eq!(
            MEETINGS
                .iter()
                .filter(|m| m.platform == RACISME && m.kind != "public_event")
                .count(),
            8
        );
    }

    #[test]
    fn the_annual_plenary_follows_the_programme() {
        let planned = plan_meeting(&PLENARY, None, None, None, Utc::now()).unwrap();
        assert_eq!(planned.start.weekday(), Weekday::Tue);
        assert_eq!((planned.start.year(), planned.start.month()), (2027, 6));
        assert_eq!(format_local(planned.start).get(11..), Some("09:00:00"));
        assert_eq!(format_local(planned.end).get(11..), Some("16:00:00"));
        assert_eq!(
            planned.start.date() - planned.deadline.unwrap().date(),
            Duration::days(7)
        );
        assert_eq!(
            planned.meal_options.join("\n"),
            "Végétarien\nSans gluten\nSans porc\nPas de repas"
        );
        let times: Vec<&str> = PLENARY.agenda.iter().map(|(t, _, _)| *t).collect();
        assert_eq!(
            times,
            [
                "09:00", "09:30", "10:10", "11:15", "11:35", "12:30", "14:05", "16:00"
            ]
        );
        for (start, end) in WORKSHOP_SLOTS {
            assert!(times.contains(&start) && times.contains(&end));
        }
        let mut animators = HashSet::new();
        for (axis, room, names) in PLENARY_WORKSHOPS {
            assert!(AXES.contains(&axis) && !room.is_empty());
            let names: Vec<&str> = names.split(", ").collect();
            assert_eq!(names.len(), 2, "{axis}");
            for name in names {
                assert!(animators.insert(name), "{name} anime deux ateliers");
                let staff = PEOPLE.iter().find(|(n, _, _, _)| *n == name);
                assert!(staff.is_some_and(|(_, _, org, _)| *org == CRI), "{name}");
            }
        }
        assert!(
            PLENARY.capacity.unwrap() as usize >= plenary_registrants().len()
                && WORKSHOP_CAPACITY as usize * PLENARY_WORKSHOPS.len()
                    >= plenary_registrants().len()
        );
    }

    #[test]
    fn office_hours_are_anchored_on_their_own_dates() {
        for fixture in &OFFICE_HOURS {
            let planned = plan_office_hours(fixture, None, None).unwrap();
            assert_eq!(
                (planned.start.year(), planned.start.month()),
                (2026, 1),
                "{}",
                planned.title
            );
            let rule = planned.rule.unwrap();
            assert_eq!(rule.to_rrule(), fixture.rrule);
            assert!(
                schedule::series_end(planned.start, planned.end - planned.start, &rule).is_none()
            );
        }
        for (of_town, original, action) in OCCURRENCE_CHANGES {
            assert!(["cancelled", "skipped"].contains(&action));
            let fixture = OFFICE_HOURS.iter().find(|o| o.of_town == of_town).unwrap();
            let planned = plan_office_hours(fixture, None, None).unwrap();
            let original = parse_local(original).unwrap();
            let found = recurrence::expand(
                planned.start,
                planned.end - planned.start,
                planned.rule.as_ref().unwrap(),
                &[],
                original,
                original + Duration::seconds(1),
            );
            assert_eq!(found.len(), 1, "{of_town} {original}");
        }
    }

    #[test]
    fn plenary_choices_are_skewed_deterministic_and_valid() {
        let registrants = plenary_registrants();
        assert_eq!(registrants.len(), 100);
        assert_eq!(registrants, plenary_registrants());
        let emails: HashSet<&str> = registrants.iter().map(|(e, _)| *e).collect();
        assert_eq!(emails.len(), registrants.len());
        let mut first = [0usize; 4];
        let mut meals: HashMap<&str, usize> = HashMap::new();
        for (email, organisation) in &registrants {
            let ranking = workshop_ranking(email, favourite_axis(organisation));
            assert_eq!(
                ranking,
                workshop_ranking(email, favourite_axis(organisation))
            );
            assert!((2..=4).contains(&ranking.len()), "{email}");
            let distinct: HashSet<&&str> = ranking.iter().collect();
            assert_eq!(distinct.len(), ranking.len(), "{email}");
            let top = AXES.iter().position(|a| *a == ranking[0]).unwrap();
            first[top] += 1;
            let meal = meal_choice(email, PLENARY.meal_options);
            assert!(PLENARY.meal_options.contains(&meal));
            *meals.entry(meal).or_default() += 1;
        }
        // Every workshop is someone's first choice; some far more than others.
        let (min, max) = (first.iter().min().unwrap(), first.iter().max().unwrap());
        assert!(*min > 0 && *max >= min * 2, "{first:?}");
        assert_eq!(meals.len(), PLENARY.meal_options.len(), "{meals:?}");
        assert!(meals["Végétarien"] > meals["Sans gluten"], "{meals:?}");
    }

    #[tokio::test]
    async fn loading_twice_inserts_nothing_the_second_time() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("demo.db").display());
        let db = Database::connect(url).await.unwrap();
        crate::db::migrate(&db).await.unwrap();

        let first = load(&db).await.unwrap();
        assert!(first.starts_with("Jeu de démonstration chargé"), "{first}");
        let people = person::Entity::find().count(&db).await.unwrap();
        let memberships = platform_membership::Entity::find()
            .count(&db)
            .await
            .unwrap()
            + group_membership::Entity::find().count(&db).await.unwrap();
        assert_eq!(people, (PEOPLE.len() + PARTICIPANTS.len()) as u64);
        let counts = meeting_counts(&db).await;
        assert_eq!(counts[0], MEETING_COUNT as u64);
        assert_eq!(counts[4], 100, "inscriptions");
        assert_eq!(counts[3], 8, "ateliers");
        assert_eq!(counts[2], OCCURRENCE_CHANGES.len() as u64);

        let plenary = meeting::Entity::find()
            .filter(meeting::Column::Title.eq(PLENARY.title))
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(plenary.platform_id, None);
        assert_eq!(plenary.start_local, "2027-06-15T09:00:00");
        assert_eq!(plenary.status, "scheduled");
        assert_eq!(plenary.registration_counter, 100);
        let registrations = registration::Entity::find()
            .filter(registration::Column::MeetingId.eq(plenary.id))
            .all(&db)
            .await
            .unwrap();
        let mut positions: Vec<i64> = registrations.iter().map(|r| r.position).collect();
        positions.sort_unstable();
        assert_eq!(positions, (1..=100).collect::<Vec<i64>>());
        let preferences = workshop_preference::Entity::find().all(&db).await.unwrap();
        for r in &registrations {
            assert_eq!(r.status, "confirmed");
            assert!(plenary.meal_options.split('\n').any(|m| m == r.meal));
            let mut ranks: Vec<i32> = preferences
                .iter()
                .filter(|p| p.registration_id == r.id)
                .map(|p| p.rank)
                .collect();
            ranks.sort_unstable();
            assert!(ranks.len() >= 2);
            assert_eq!(ranks, (1..=ranks.len() as i32).collect::<Vec<i32>>());
        }
        let meetings = meeting::Entity::find().all(&db).await.unwrap();
        let groups = working_group::Entity::find().all(&db).await.unwrap();
        for m in &meetings {
            if let Some(group_id) = m.working_group_id {
                let group = groups.iter().find(|g| g.id == group_id).unwrap();
                assert_eq!(m.platform_id, Some(group.platform_id), "{}", m.title);
            }
        }
        assert_eq!(meetings.iter().filter(|m| m.minutes_published).count(), 1);
        assert!(meetings.iter().any(|m| m.status == "held"));
        let offices = reception_office::Entity::find().all(&db).await.unwrap();
        let office_hours: Vec<&meeting::Model> = meetings
            .iter()
            .filter(|m| m.kind == "office_hours" && m.rrule.is_some())
            .collect();
        assert_eq!(office_hours.len(), offices.len());
        for office in &offices {
            assert!(
                office_hours.iter().any(|m| m.office_id == Some(office.id)
                    && m.title.ends_with(&office.name)
                    && m.visibility == "public"),
                "{}",
                office.name
            );
        }

        let second = load(&db).await.unwrap();
        assert!(second.contains("rien à ajouter"), "{second}");
        assert_eq!(person::Entity::find().count(&db).await.unwrap(), people);
        assert_eq!(meeting_counts(&db).await, counts);
        let again = meeting::Entity::find_by_id(plenary.id)
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(again.registration_counter, 100);
        assert_eq!(
            platform_membership::Entity::find()
                .count(&db)
                .await
                .unwrap()
                + group_membership::Entity::find().count(&db).await.unwrap(),
            memberships
        );

        let admin = person::Entity::find()
            .filter(person::Column::EmailNormalized.eq(ADMIN_EMAIL))
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert!(admin.is_admin && admin.active);
        assert!(crate::auth::password::verify(
            PASSWORD,
            admin.password_hash.as_deref()
        ));
    }

    /// Meetings, agenda items, occurrence changes, workshops, registrations, preferences.
    async fn meeting_counts(db: &DatabaseConnection) -> [u64; 6] {
        [
            meeting::Entity::find().count(db).await.unwrap(),
            agenda_item::Entity::find().count(db).await.unwrap(),
            occurrence_change::Entity::find().count(db).await.unwrap(),
            workshop::Entity::find().count(db).await.unwrap(),
            registration::Entity::find().count(db).await.unwrap(),
            workshop_preference::Entity::find().count(db).await.unwrap(),
        ]
    }
}

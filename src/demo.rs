//! The demo dataset (`maillage demo`): the real thematic platforms of the province of Namur and
//! their working groups, with fictional but plausible organisations, people and memberships.
//!
//! Loading is idempotent: every row is looked up by its natural key first (platform slug,
//! organisation name, normalised email, group name within its platform, membership pair) and only
//! what is missing is inserted, in one transaction. Every email address is on the reserved
//! `.example` top-level domain so that no real mail can ever be sent to a demo account.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QueryFilter, Set, TransactionTrait,
};

use crate::auth::permissions::Role;
use crate::entities::{
    group_membership, municipality, organisation, person, platform, platform_membership,
    working_group,
};
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
const ORGANISATIONS: [OrganisationFixture; 33] = [
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
}

impl Added {
    fn nothing(&self) -> bool {
        self.platforms + self.groups + self.organisations + self.people + self.memberships == 0
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

    let summary = if added.nothing() {
        format!(
            "Jeu de démonstration déjà chargé : rien à ajouter ({}, {}, {}, {}).",
            count(PLATFORMS.len(), "plateforme", "plateformes"),
            count(
                WORKING_GROUPS.len(),
                "groupe de travail",
                "groupes de travail"
            ),
            count(ORGANISATIONS.len(), "organisation", "organisations"),
            count(PEOPLE.len(), "personne", "personnes"),
        )
    } else {
        // Only what was added: a partial reload reads "1 personne, 3 adhésions".
        let parts: Vec<String> = [
            (added.platforms, "plateforme", "plateformes"),
            (added.groups, "groupe de travail", "groupes de travail"),
            (added.organisations, "organisation", "organisations"),
            (added.people, "personne", "personnes"),
            (added.memberships, "adhésion", "adhésions"),
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
    for (name, email, organisation_name, language) in PEOPLE {
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

    use super::*;
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
        assert_eq!(people, PEOPLE.len() as u64);

        let second = load(&db).await.unwrap();
        assert!(second.contains("rien à ajouter"), "{second}");
        assert_eq!(person::Entity::find().count(&db).await.unwrap(), people);
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
}

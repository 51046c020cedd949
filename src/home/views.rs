//! The sections of the home page, one function each: what a coordinator follows, what a member
//! has to do, the public agenda and how to subscribe.

use chrono::{DateTime, Utc};
use maud::{Markup, html};

use super::counts::Tally;
use super::queries::{Failure, Invited, SHOWN, Session, session_href};
use crate::entities::platform;
use crate::mail::compose::AnswerLinks;
use crate::meetings::views::{day_fr, when_fr};
use crate::web::components::{empty_state, subscribe, webcal};

/// "mardi 8 juin 2027, 09:00–11:00 — Title" linking to the session's page, and where.
fn session_line(s: &Session) -> Markup {
    let m = &s.loaded.meeting;
    html! {
        strong { (when_fr(s.row.start_local.naive(), s.row.end_local.naive(), m.all_day)) }
        " — "
        a href=(s.href()) { (m.title) }
        @if s.row.moved { " " span.badge { "déplacée" } }
        br;
        span.muted {
            (m.kind.label_fr()) " · " (s.loaded.scope_label())
            @if !m.place_name.is_empty() { " · " (m.place_name) }
        }
    }
}

/// "et 14 autres" under a list cut at `SHOWN`, with where to see them all.
fn more(shown: usize, total: u64, href: &str, label: &str) -> Markup {
    let rest = total.saturating_sub(shown as u64);
    html! {
        @if rest > 0 || shown as u64 >= SHOWN {
            p.more {
                @if rest > 0 { "Et " (rest) " autre(s). " }
                a href=(href) { (label) }
            }
        }
    }
}

fn since(when: DateTime<Utc>) -> String {
    let local = crate::meetings::recurrence::to_local(when);
    format!("depuis le {}", day_fr(local.date()))
}

/// A coordinator's next meetings with registrations and answers to date.
pub fn coordinator_next(sessions: &[Session], tallies: &[Tally]) -> Markup {
    html! {
        section #coordination-prochaines {
            h2 { "Prochaines réunions que vous coordonnez" }
            @if sessions.is_empty() {
                (empty_state("Aucune réunion prévue dans les deux mois qui viennent."))
            } @else {
                ul.results.agenda {
                    @for (s, t) in sessions.iter().zip(tallies) {
                        li {
                            span {
                                (session_line(s))
                                br;
                                span.counts {
                                    "Inscriptions : " strong { (t.confirmed) } " confirmée(s)"
                                    @if let Some(capacity) = s.loaded.meeting.capacity { " sur " (capacity) " places" }
                                    ", " (t.waiting) " en liste d'attente"
                                    @if t.invited() > 0 {
                                        " · Invitations : " (t.accepted) " acceptée(s), " (t.tentative) " peut-être, "
                                        (t.declined) " déclinée(s), " (t.pending) " sans réponse"
                                    }
                                }
                            }
                        }
                    }
                }
                p.more { a href="/reunions" { "Voir tout l'agenda" } }
            }
        }
    }
}

/// Invitations of the coordinator's meetings still without answer: who, to what, since when.
pub fn unanswered(invited: &[Invited], total: u64) -> Markup {
    html! {
        section #coordination-sans-reponse {
            h2 { "Invitations sans réponse" }
            @if invited.is_empty() {
                (empty_state("Toutes les personnes invitées ont répondu."))
            } @else {
                ul.results {
                    @for i in invited {
                        li {
                            strong { (who(&i.invitation)) }
                            " — " (target_link(i)) " — "
                            span.muted { "invitée " (since(i.invitation.created_at)) }
                        }
                    }
                }
                (more(invited.len(), total, "/reunions", "Voir l'agenda"))
            }
        }
    }
}

fn who(invitation: &crate::entities::invitation::Model) -> String {
    if invitation.name.trim().is_empty() {
        invitation.email.clone()
    } else {
        format!("{} ({})", invitation.name, invitation.email)
    }
}

/// The meeting (or the one session) an invitation is to, linked.
fn target_link(i: &Invited) -> Markup {
    let m = &i.loaded.meeting;
    html! {
        @match &i.session {
            Some(row) => {
                a href=(session_href(m, row)) { (m.title) " (séance du " (day_fr(row.original_start_local.naive().date())) ")" }
            }
            None => {
                a href=(format!("/reunions/{}", m.id)) { (m.title) }
            }
        }
    }
}

/// Emails that could not be delivered, with a link to the meeting's invitations (where the
/// coordinator can correct an address and invite again).
pub fn failures(failures: &[Failure], total: u64) -> Markup {
    html! {
        section #coordination-echecs {
            h2 { "Courriels non remis" }
            @if failures.is_empty() {
                (empty_state("Aucun courriel en échec ces trois derniers mois."))
            } @else {
                ul.results {
                    @for f in failures {
                        li {
                            strong { (f.message.recipient) } " — " (f.message.subject)
                            br;
                            span.muted { (f.message.last_error) }
                            " "
                            a href=(format!("/reunions/{}#invitations", f.loaded.meeting.id)) { "Agir depuis la réunion « " (f.loaded.meeting.title) " »" }
                        }
                    }
                }
                (more(failures.len(), total, "/reunions", "Voir l'agenda"))
            }
        }
    }
}

/// Meetings and sessions over without published minutes.
pub fn minutes_to_write(sessions: &[Session], total: u64) -> Markup {
    html! {
        section #coordination-comptes-rendus {
            h2 { "Comptes rendus à rédiger" }
            @if sessions.is_empty() {
                (empty_state("Aucun compte rendu en attente pour les trois derniers mois."))
            } @else {
                ul.results.agenda {
                    @for s in sessions { li { span { (session_line(s)) } } }
                }
                (more(sessions.len(), total, "/reunions?passees=1", "Voir les réunions passées"))
            }
        }
    }
}

/// A member's next meetings (registered, or of their platforms and groups).
pub fn member_next(sessions: &[Session], registered: &[bool]) -> Markup {
    html! {
        section #mes-prochaines {
            h2 { "Mes prochaines réunions" }
            @if sessions.is_empty() {
                (empty_state("Aucune réunion prévue pour vous dans les deux mois qui viennent."))
            } @else {
                ul.results.agenda {
                    @for (s, mine) in sessions.iter().zip(registered) {
                        li { span { (session_line(s)) @if *mine { " " span.badge.badge-coord { "inscrit·e" } } } }
                    }
                }
            }
            p.more { a href="/reunions/mes" { "Voir toutes mes réunions" } }
        }
    }
}

/// Invitations waiting for the viewer's answer, with the answer links (each opens a page that
/// asks to confirm: nothing is recorded by following it).
pub fn my_invitations(invited: &[(Invited, AnswerLinks)], total: u64) -> Markup {
    html! {
        section #mes-invitations {
            h2 { "Invitations qui attendent votre réponse" }
            @if invited.is_empty() {
                (empty_state("Aucune invitation en attente de réponse."))
            } @else {
                ul.results {
                    @for (i, links) in invited {
                        li {
                            (target_link(i))
                            @if i.session.is_none() && i.loaded.meeting.rrule.is_some() { " " span.badge { "toutes les séances" } }
                            " — "
                            a href=(links.accept) { "J'y serai" } " · "
                            a href=(links.maybe) { "Peut-être" } " · "
                            a href=(links.decline) { "Je ne pourrai pas venir" }
                        }
                    }
                }
                (more(invited.len(), total, "/reunions/mes", "Voir mes réunions"))
            }
        }
    }
}

/// The latest published minutes of the viewer's platforms and groups.
pub fn latest_minutes(sessions: &[Session]) -> Markup {
    html! {
        section #derniers-comptes-rendus {
            h2 { "Derniers comptes rendus de mes plateformes" }
            @if sessions.is_empty() {
                (empty_state("Aucun compte rendu publié pour l'instant."))
            } @else {
                ul.results.agenda {
                    @for s in sessions {
                        @let decisions = if s.loaded.meeting.rrule.is_some() { &s.row.decisions } else { &s.loaded.meeting.decisions };
                        li {
                            span {
                                (session_line(s))
                                @if !decisions.trim().is_empty() {
                                    br;
                                    span { "Décisions : " (excerpt(decisions, 200)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn excerpt(text: &str, chars: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= chars {
        return text.to_string();
    }
    let cut: String = text.chars().take(chars).collect();
    format!("{}…", cut.trim_end())
}

/// The next public meetings, for visitors.
pub fn public_agenda(sessions: &[Session]) -> Markup {
    html! {
        section #agenda-public {
            h2 { "Prochaines réunions publiques" }
            @if sessions.is_empty() {
                (empty_state("Aucune réunion publique prévue dans les deux mois qui viennent."))
            } @else {
                ul.results.agenda {
                    @for s in sessions { li { span { (session_line(s)) } } }
                }
            }
            p.more { a href="/reunions" { "Voir tout l'agenda public" } }
        }
    }
}

/// How to follow the public agenda in one's own calendar: the network's feed, and each public
/// platform's.
pub fn how_to_subscribe(base_url: &str, public: &[platform::Model]) -> Markup {
    html! {
        (subscribe("L'agenda public du réseau", &format!("{base_url}/agenda/reseau.ics")))
        @if !public.is_empty() {
            section #agendas-plateformes {
                h3 { "L'agenda d'une seule plateforme" }
                p.muted { "Chaque plateforme publique a son propre agenda : ajoutez-le de la même façon (Outlook, Google Agenda, Apple Calendrier)." }
                ul {
                    @for p in public {
                        @let url = format!("{base_url}/agenda/plateformes/{}.ics", p.slug);
                        li {
                            (p.name) " : "
                            a href=(webcal(&url)) { "s'abonner" } " · "
                            code { (url) }
                        }
                    }
                }
            }
        }
    }
}

//! The plain-text and HTML bodies of a message, from the same worked-out content.

use maud::{DOCTYPE, Markup, html};

use super::i18n::{Lang, Words, footer, intro};
use super::{AnswerLinks, Kind, MeetingMail, PROFILE_PATH, Recipient, one_line};

/// The plain-text and HTML bodies. All user text in the HTML is escaped by maud.
#[must_use]
pub fn bodies(recipient: &Recipient, mail: &MeetingMail) -> (String, String) {
    let lang = Lang::of(recipient.language);
    let content = Content::new(lang, recipient, mail);
    (plain(&content), html_page(&content).into_string())
}

/// `https://host/reunions/12` → `https://host/profil`; a relative page URL gives `/profil`.
pub(super) fn profile_url(page_url: &str) -> String {
    let page_url = page_url.trim();
    let base = match page_url.find("://") {
        Some(i) => {
            let after = i + 3;
            let end = page_url
                .get(after..)
                .and_then(|rest| rest.find(['/', '?', '#']))
                .map_or(page_url.len(), |j| after + j);
            page_url.get(..end).unwrap_or_default()
        }
        None => "",
    };
    format!("{base}{PROFILE_PATH}")
}

/// What both bodies say, worked out once.
struct Content<'a> {
    lang: Lang,
    words: &'static Words,
    greeting: String,
    intro: String,
    mail: &'a MeetingMail,
    title: String,
    links: Option<&'a AnswerLinks>,
    note_label: &'static str,
    signature: String,
    footer: String,
    profile_url: String,
}

impl<'a> Content<'a> {
    fn new(lang: Lang, recipient: &Recipient, mail: &'a MeetingMail) -> Self {
        let words = lang.words();
        let name = one_line(&recipient.name);
        let greeting = if name.is_empty() {
            format!("{},", words.hello)
        } else {
            format!("{} {name},", words.hello)
        };
        let signature = mail
            .sent_by
            .as_ref()
            .map(|(name, _)| one_line(name))
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| words.team.to_owned());
        Content {
            lang,
            words,
            greeting,
            intro: intro(lang, &mail.kind),
            mail,
            title: one_line(&mail.title),
            links: mail
                .answer_links
                .as_ref()
                .filter(|_| mail.kind.asks_for_answer()),
            note_label: if mail.kind == Kind::MinutesPublished {
                words.minutes
            } else {
                words.message
            },
            signature,
            footer: footer(lang, &mail.kind),
            profile_url: profile_url(&mail.page_url),
        }
    }

    fn note(&self) -> Option<&str> {
        self.mail
            .note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
    }
}

fn plain(c: &Content<'_>) -> String {
    let w = c.words;
    let colon = c.lang.colon();
    let heading = colon.trim_end();
    let mail = c.mail;
    let mut lines = vec![
        c.greeting.clone(),
        String::new(),
        c.intro.clone(),
        String::new(),
        c.title.clone(),
        format!("{}{colon}{}", w.when, one_line(&mail.when)),
    ];
    if let Some(place) = &mail.place {
        lines.push(format!("{}{colon}{}", w.place, one_line(place)));
    }
    if let Some(video) = &mail.video_url {
        lines.push(format!("{}{colon}{}", w.video, video.trim()));
    }
    if !mail.agenda.is_empty() {
        lines.push(format!("{}{heading}", w.agenda));
        lines.extend(
            mail.agenda
                .iter()
                .map(|item| format!("- {}", one_line(item))),
        );
    }
    if let Some(links) = c.links {
        lines.extend([
            String::new(),
            format!("{}{heading}", w.answer),
            format!("{}{colon}{}", w.accept, links.accept),
            format!("{}{colon}{}", w.maybe, links.maybe),
            format!("{}{colon}{}", w.decline, links.decline),
            w.answer_help.to_owned(),
        ]);
    }
    lines.extend([
        String::new(),
        format!("{}{colon}{}", w.page, mail.page_url.trim()),
    ]);
    if let Some(note) = c.note() {
        lines.extend([
            String::new(),
            format!("{}{heading}", c.note_label),
            note.to_owned(),
        ]);
    }
    lines.extend([
        String::new(),
        w.closing.to_owned(),
        c.signature.clone(),
        String::new(),
        // "-- " opens the signature block, which mail clients grey out or fold.
        "-- ".to_owned(),
        format!("{}{}", c.footer, c.profile_url),
        String::new(),
    ]);
    lines.join("\n")
}

const BODY_STYLE: &str = "margin:0;padding:0;background:#f4f5f7;color:#1f2933;\
    font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5";
const SHEET_STYLE: &str = "max-width:600px;margin:0 auto;padding:24px 16px;background:#ffffff";
const CARD_STYLE: &str =
    "margin:16px 0;padding:12px 16px;border-left:4px solid #1d5f8a;background:#f0f5f9";
const TITLE_STYLE: &str = "margin:0 0 8px;font-size:18px;color:#1d5f8a";
const LINE_STYLE: &str = "margin:4px 0";
const BUTTON_STYLE: &str = "display:inline-block;margin:0 8px 8px 0;padding:8px 14px;\
    border-radius:4px;color:#ffffff;text-decoration:none;font-weight:bold";
const NOTE_STYLE: &str = "margin:16px 0;padding:8px 16px;border:1px solid #d9dee3";
const SMALL_STYLE: &str = "font-size:13px;color:#52606d";
const FOOTER_STYLE: &str = "margin-top:24px;padding-top:8px;border-top:1px solid #d9dee3;\
    font-size:12px;color:#52606d";

fn button(href: &str, label: &str, colour: &str) -> Markup {
    html! {
        a href=(href) style=(format!("{BUTTON_STYLE};background:{colour}")) { (label) }
    }
}

fn html_page(c: &Content<'_>) -> Markup {
    let w = c.words;
    let colon = c.lang.colon();
    let mail = c.mail;
    html! {
        (DOCTYPE)
        html lang=(c.lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (c.title) }
            }
            body style=(BODY_STYLE) {
                div style=(SHEET_STYLE) {
                    p { (c.greeting) }
                    p { (c.intro) }
                    div style=(CARD_STYLE) {
                        h2 style=(TITLE_STYLE) { (c.title) }
                        p style=(LINE_STYLE) { strong { (w.when) (colon) } (one_line(&mail.when)) }
                        @if let Some(place) = &mail.place {
                            p style=(LINE_STYLE) { strong { (w.place) (colon) } (one_line(place)) }
                        }
                        @if let Some(video) = &mail.video_url {
                            p style=(LINE_STYLE) {
                                strong { (w.video) (colon) }
                                a href=(video.trim()) { (video.trim()) }
                            }
                        }
                        @if !mail.agenda.is_empty() {
                            p style=(LINE_STYLE) { strong { (w.agenda) (colon) } }
                            ul style="margin:4px 0;padding-left:20px" {
                                @for item in &mail.agenda { li { (one_line(item)) } }
                            }
                        }
                    }
                    @if let Some(links) = c.links {
                        p style=(LINE_STYLE) { strong { (w.answer) (colon) } }
                        p style=(LINE_STYLE) {
                            (button(&links.accept, w.accept, "#2f7d32"))
                            (button(&links.maybe, w.maybe, "#8a6d1d"))
                            (button(&links.decline, w.decline, "#a33a3a"))
                        }
                        p style=(SMALL_STYLE) { (w.answer_help) }
                    }
                    p { a href=(mail.page_url.trim()) { (w.page) } }
                    @if let Some(note) = c.note() {
                        div style=(NOTE_STYLE) {
                            p style=(LINE_STYLE) { strong { (c.note_label) (colon) } }
                            p style=(LINE_STYLE) {
                                @for (i, line) in note.lines().enumerate() {
                                    @if i > 0 { br; }
                                    (line)
                                }
                            }
                        }
                    }
                    p { (w.closing) br; (c.signature) }
                    p style=(FOOTER_STYLE) {
                        (c.footer) a href=(c.profile_url) { (c.profile_url) }
                    }
                }
            }
        }
    }
}

//! Writing content lines: TEXT escaping, cleaning, parameter quoting, folding at 75 octets, CRLF.

use super::{ALWAYS_QUOTED, MAX_OCTETS};
use ical::generator::{IcalCalendar, IcalEvent, Property};
use ical::parser::ical::component::IcalTimeZoneTransitionType;

/// RFC 5545 §3.3.11: escapes backslash, semicolon and comma, and writes every line break
/// (CRLF, LF, CR, NEL, U+2028, U+2029) as `\n`. Other control characters, which TEXT may not
/// hold, are dropped; TAB is kept.
#[must_use]
pub fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + value.len() / 8);
    // Runs of characters kept as they are are copied whole, not one by one.
    let mut kept_from = 0;
    let mut chars = value.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let replacement = match c {
            '\\' => "\\\\",
            ';' => "\\;",
            ',' => "\\,",
            '\r' => {
                if chars.peek().is_some_and(|(_, next)| *next == '\n') {
                    chars.next();
                }
                "\\n"
            }
            '\n' | '\u{85}' | '\u{2028}' | '\u{2029}' => "\\n",
            c if is_forbidden(c) => "",
            _ => continue,
        };
        out.push_str(value.get(kept_from..at).unwrap_or_default());
        out.push_str(replacement);
        kept_from = chars.peek().map_or(value.len(), |(next, _)| *next);
    }
    out.push_str(value.get(kept_from..).unwrap_or_default());
    out
}

/// RFC 5545 §3.1: folds one content line (no CRLF inside) into lines of at most 75 octets
/// joined by CRLF + space, never inside a UTF-8 character. Where it can, it avoids ending a
/// physical line with a space or tab, which some parsers (ical-rs among them) trim away.
#[must_use]
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 3 * (line.len() / (MAX_OCTETS - 1) + 1));
    fold_into(&mut out, line);
    out
}

/// [`fold`], appending to `out`.
pub(super) fn fold_into(out: &mut String, line: &str) {
    if line.len() <= MAX_OCTETS {
        out.push_str(line);
        return;
    }
    let mut rest = line;
    // The first line holds 75 octets; the following ones 74 after their leading space.
    let mut budget = MAX_OCTETS;
    while rest.len() > budget {
        let Some((head, tail)) = rest.split_at_checked(cut_point(rest, budget)) else {
            break;
        };
        out.push_str(head);
        out.push_str("\r\n ");
        rest = tail;
        budget = MAX_OCTETS - 1;
    }
    out.push_str(rest);
}

/// Where to cut `s` (longer than `budget` octets): the last character boundary within the
/// budget, moved back before trailing spaces or tabs unless the chunk is nothing but those.
pub(super) fn cut_point(s: &str, budget: usize) -> usize {
    let mut cut = budget;
    while cut > 0 && !s.is_char_boundary(cut) {
        cut -= 1;
    }
    let bytes = s.as_bytes();
    let mut nice = cut;
    while nice > 0 && matches!(bytes.get(nice - 1), Some(b' ' | b'\t')) {
        nice -= 1;
    }
    if nice > 0 { nice } else { cut }
}

/// Characters no property value or parameter may hold: controls other than TAB, and the
/// Unicode line and paragraph separators (some parsers split lines on them).
pub(super) fn is_forbidden(c: char) -> bool {
    (c.is_control() && c != '\t') || c == '\u{2028}' || c == '\u{2029}'
}

/// Appends `value` without the characters [`is_forbidden`] drops.
pub(super) fn push_clean(out: &mut String, value: &str) {
    if value.chars().any(is_forbidden) {
        out.extend(value.chars().filter(|c| !is_forbidden(*c)));
    } else {
        out.push_str(value);
    }
}

/// Writes the calendar the ical generator types describe, correctly (see the module doc).
pub(super) fn emit(calendar: &IcalCalendar) -> String {
    let mut out = String::with_capacity(estimated_size(calendar));
    let mut line = String::new();
    emit_head(&mut out, &mut line, calendar);
    for event in &calendar.events {
        emit_event(&mut out, &mut line, event);
    }
    out.push_str("END:VCALENDAR\r\n");
    out
}

/// BEGIN:VCALENDAR, the calendar properties and the time zones: all that comes before the
/// first VEVENT.
pub(super) fn emit_head(out: &mut String, line: &mut String, calendar: &IcalCalendar) {
    out.push_str("BEGIN:VCALENDAR\r\n");
    content_lines(out, line, &calendar.properties);
    for zone in &calendar.timezones {
        out.push_str("BEGIN:VTIMEZONE\r\n");
        content_lines(out, line, &zone.properties);
        for onset in &zone.transitions {
            let kind = match onset.transition {
                IcalTimeZoneTransitionType::STANDARD => "STANDARD",
                IcalTimeZoneTransitionType::DAYLIGHT => "DAYLIGHT",
            };
            out.push_str("BEGIN:");
            out.push_str(kind);
            out.push_str("\r\n");
            content_lines(out, line, &onset.properties);
            out.push_str("END:");
            out.push_str(kind);
            out.push_str("\r\n");
        }
        out.push_str("END:VTIMEZONE\r\n");
    }
}

pub(super) fn emit_event(out: &mut String, line: &mut String, event: &IcalEvent) {
    out.push_str("BEGIN:VEVENT\r\n");
    content_lines(out, line, &event.properties);
    for alarm in &event.alarms {
        out.push_str("BEGIN:VALARM\r\n");
        content_lines(out, line, &alarm.properties);
        out.push_str("END:VALARM\r\n");
    }
    out.push_str("END:VEVENT\r\n");
}

/// Roughly the size of the emitted text, so that the output grows once or not at all.
pub(super) fn estimated_size(calendar: &IcalCalendar) -> usize {
    pub(super) fn lines(properties: &[Property]) -> usize {
        properties
            .iter()
            .map(|p| p.name.len() + p.value.as_ref().map_or(0, String::len) + 24)
            .sum()
    }
    let events: usize = calendar
        .events
        .iter()
        .map(|e| lines(&e.properties) + 32)
        .sum();
    let size = lines(&calendar.properties) + events + 1024;
    // Folding adds three octets every 74.
    size + size / 24
}

/// Writes each property as a folded content line; `line` is scratch space reused for all.
pub(super) fn content_lines(out: &mut String, line: &mut String, properties: &[Property]) {
    for p in properties {
        line.clear();
        content_line(line, p);
        fold_into(out, line);
        out.push_str("\r\n");
    }
}

/// `NAME;PARAM=value:value` (RFC 5545 §3.1), with nothing that could end the line early.
pub(super) fn content_line(line: &mut String, p: &Property) {
    push_name(line, &p.name);
    for (key, values) in p.params.iter().flatten() {
        let key = name(key);
        line.push(';');
        line.push_str(&key);
        line.push('=');
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                line.push(',');
            }
            line.push_str(&param_value(&key, value));
        }
    }
    line.push(':');
    push_clean(line, p.value.as_deref().unwrap_or_default());
}

/// Property and parameter names: iana-token / x-name characters only.
pub(super) fn name(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    push_name(&mut out, raw);
    out
}

/// [`name`], appending to `out` (names are nearly always already clean: copied whole then).
pub(super) fn push_name(out: &mut String, raw: &str) {
    if raw
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
    {
        out.push_str(raw);
    } else {
        out.extend(
            raw.chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .map(|c| c.to_ascii_uppercase()),
        );
    }
}

/// RFC 5545 §3.2: a DQUOTE cannot appear in a parameter value, so it becomes an apostrophe;
/// values holding `:`, `;` or `,` (and those of [`ALWAYS_QUOTED`] parameters) are quoted.
pub(super) fn param_value(key: &str, raw: &str) -> String {
    let value: String = raw
        .chars()
        .filter(|c| !is_forbidden(*c))
        .map(|c| if c == '"' { '\'' } else { c })
        .collect();
    if ALWAYS_QUOTED.contains(&key) || value.is_empty() || value.contains([':', ';', ',']) {
        format!("\"{value}\"")
    } else {
        value
    }
}

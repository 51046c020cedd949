//! A pasted list of addresses, read entry by entry.

use std::str::FromStr;

use lettre::message::Mailbox;

use crate::people::rules::parse_email;

/// Entries of a pasted list that are not addresses, as typed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "Ces adresses ne sont pas valides : {}. Corrigez-les ; personne n'a été invité.",
    .0.iter().map(|b| format!("« {b} »")).collect::<Vec<_>>().join(", ")
)]
pub struct BadAddresses(pub Vec<String>);

/// One entry → (name, address), read by lettre's RFC 5322 parser: `marie@commune.be`,
/// `Marie Dupont <marie@commune.be>`, `"Dupont, Marie" <marie@commune.be>`. What people paste
/// from elsewhere is read as before lettre read these lists: a name that needs quotes but has
/// none (`CPAS (Namur) <…>`) as if quoted, and text after the `>` left aside. The address must
/// also be one people's rules accept (a dot in the domain…).
fn parse_address(entry: &str) -> Option<(String, String)> {
    let mailbox = Mailbox::from_str(entry).ok().or_else(|| {
        let (name, rest) = entry.split_once('<')?;
        let (address, _) = rest.rsplit_once('>')?;
        let name = name.trim().trim_matches('"');
        let retyped = if name.is_empty() {
            format!("<{address}>")
        } else {
            let quoted = name.replace('\\', "\\\\").replace('"', "\\\"");
            format!("\"{quoted}\" <{address}>")
        };
        Mailbox::from_str(&retyped).ok()
    })?;
    let email = parse_email(mailbox.email.as_ref()).ok()?;
    Some((mailbox.name.unwrap_or_default(), email))
}

/// The entries of a pasted list: one per line, or separated by commas or semicolons — except
/// inside a quoted name, where they belong to the name.
fn entries(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for line in text.lines() {
        let (mut start, mut quoted, mut escaped) = (0, false, false);
        for (i, c) in line.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' if quoted => escaped = true,
                '"' => quoted = !quoted,
                ',' | ';' if !quoted => {
                    out.push(&line[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        out.push(&line[start..]);
    }
    out.into_iter()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .collect()
}

/// Splits a pasted list into (name, address) pairs; the bad entries are named, as typed.
pub fn parse_address_list(text: &str) -> Result<Vec<(String, String)>, BadAddresses> {
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for entry in entries(text) {
        match parse_address(entry) {
            Some(address) => good.push(address),
            None => bad.push(entry.to_string()),
        }
    }
    if bad.is_empty() {
        Ok(good)
    } else {
        Err(BadAddresses(bad))
    }
}

use super::invite::leave_out_organizer_and_sender;
use super::parse_address_list;
use crate::entities::invitation::Language;

#[test]
fn the_organizer_and_the_sender_are_left_out_of_the_invitees() {
    let entry = |email: &str| (None, String::new(), email.to_string(), Language::Fr);
    let (kept, left_out) = leave_out_organizer_and_sender(
        vec![
            entry("Coordination@CRI-namur.example"),
            entry("amina@lee.example"),
            entry("coralie@cri-namur.example"),
            entry("coordination@cri-namur.example"),
        ],
        "coordination@cri-namur.example",
        Some("Coralie@cri-namur.example"),
    );
    assert_eq!(kept, vec![entry("amina@lee.example")]);
    assert_eq!(
        left_out,
        vec![
            "Coordination@CRI-namur.example".to_string(),
            "coralie@cri-namur.example".to_string()
        ]
    );
}

#[test]
fn pasted_address_lists_are_split_and_bad_ones_named() {
    let good = parse_address_list(
        "Marie Dupont <marie@commune.example>\nprovince@namur.example; presse@journal.example",
    )
    .unwrap();
    assert_eq!(
        good[0],
        (
            "Marie Dupont".to_string(),
            "marie@commune.example".to_string()
        )
    );
    assert_eq!(good.len(), 3);
    let bad = parse_address_list("ok@x.example, pas-une-adresse, autre@").unwrap_err();
    assert_eq!(
        bad.0,
        vec!["pas-une-adresse".to_string(), "autre@".to_string()]
    );
    assert_eq!(
        bad.to_string(),
        "Ces adresses ne sont pas valides : « pas-une-adresse », « autre@ ». Corrigez-les ; \
         personne n'a été invité."
    );
}

fn one(text: &str) -> Option<(String, String)> {
    match parse_address_list(text) {
        Ok(list) if list.len() == 1 => list.into_iter().next(),
        _ => None,
    }
}

fn pair(name: &str, email: &str) -> Option<(String, String)> {
    Some((name.to_string(), email.to_string()))
}

#[test]
fn quoted_names_may_hold_commas_semicolons_and_quotes() {
    assert_eq!(
        one(r#""Dupont, Marie" <marie@commune.example>"#),
        pair("Dupont, Marie", "marie@commune.example")
    );
    assert_eq!(
        one(r#""CPAS; service social" <social@cpas.example>"#),
        pair("CPAS; service social", "social@cpas.example")
    );
    assert_eq!(
        one(r#""Marie \"Mimi\" Dupont" <marie@commune.example>"#),
        pair(r#"Marie "Mimi" Dupont"#, "marie@commune.example")
    );
    let list = parse_address_list(
        "\"Dupont, Marie\" <marie@commune.example>, \"Lee, Amina\" <amina@lee.example>",
    )
    .unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[1].0, "Lee, Amina");
}

#[test]
fn odd_but_harmless_forms_are_read_as_before() {
    // Accents, no space before "<", an empty name, spaces around, upper case kept.
    assert_eq!(
        one("Hélène Müller-Öztürk <helene@asbl.example>"),
        pair("Hélène Müller-Öztürk", "helene@asbl.example")
    );
    assert_eq!(
        one("Marie<marie@commune.example>"),
        pair("Marie", "marie@commune.example")
    );
    assert_eq!(
        one("  <Marie.Dupont@Commune.example>  "),
        pair("", "Marie.Dupont@Commune.example")
    );
    // A name with characters that need quotes, typed without: read as if quoted.
    assert_eq!(
        one("CPAS (Namur) : accueil <accueil@cpas.example>"),
        pair("CPAS (Namur) : accueil", "accueil@cpas.example")
    );
    // A forgotten closing quote: the name is still the name.
    assert_eq!(
        one(r#""Dupont, Marie <marie@commune.example>"#),
        pair("Dupont, Marie", "marie@commune.example")
    );
    // Text after the address is left aside, as before.
    assert_eq!(
        one("Marie <marie@commune.example> (bureau)"),
        pair("Marie", "marie@commune.example")
    );
    // Blank lines and trailing separators are no entries.
    assert_eq!(
        parse_address_list("\n a@x.example ;\n\n, b@y.example,\r\n").map(|l| l.len()),
        Ok(2)
    );
}

#[test]
fn what_is_not_an_address_is_named_as_typed() {
    for bad in [
        "Marie <marie@commune>",
        "Marie <marie.commune.example>",
        "Marie <marie@commune.example",
        "marie@@commune.example",
        "<>",
        "marie dupont@commune.example",
    ] {
        assert_eq!(
            parse_address_list(bad).map_err(|b| b.0),
            Err(vec![bad.to_string()]),
            "{bad}"
        );
    }
}

use super::*;

#[test]
fn workshop_refusals_say_what_the_form_always_said() {
    let cases = [
        (
            WorkshopRefusal::Title(NameRefusal::Missing(
                "Le titre de l'atelier est obligatoire.",
            )),
            "Le titre de l'atelier est obligatoire.",
        ),
        (
            WorkshopRefusal::Title(NameRefusal::TooLong(200)),
            "Ce texte ne peut dépasser 200 caractères.",
        ),
        (
            WorkshopRefusal::NoSlot,
            "Un atelier doit avoir un créneau : heure de début et heure de fin (HH:MM).",
        ),
        (
            WorkshopRefusal::EndsBeforeStart,
            "Le créneau de l'atelier doit finir après son début.",
        ),
        (
            WorkshopRefusal::OutsideMeeting {
                start: "09:00".into(),
                end: "12:30".into(),
            },
            "Le créneau doit tenir dans la réunion (09:00–12:30).",
        ),
        (
            WorkshopRefusal::Capacity,
            "La capacité de l'atelier doit être un nombre entier positif.",
        ),
    ];
    for (refusal, message) in cases {
        assert_eq!(refusal.to_string(), message);
    }
}

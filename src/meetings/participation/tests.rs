use super::export::*;

#[test]
fn every_csv_field_is_quoted_and_guarded_against_formulas() {
    let text = csv_text(&[vec![
        "Nom".into(),
        "x,=1+1".into(),
        "=HYPERLINK(\"x\")".into(),
        "\tcmd".into(),
        "a;b\r\nc".into(),
        "-3".into(),
        String::new(),
    ]])
    .unwrap();
    assert_eq!(
        text,
        "\u{feff}\"Nom\";\"x,=1+1\";\"'=HYPERLINK(\"\"x\"\")\";\"'\tcmd\";\"a;b\r\nc\";\"'-3\";\"\"\r\n"
    );
}

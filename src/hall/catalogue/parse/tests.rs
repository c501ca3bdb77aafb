use super::*;
use crate::hall::catalogue::BUILT_IN;

fn windows() -> Vec<String> {
    ["1", "2", "3", "4", "5", "6"].map(String::from).to_vec()
}

fn refused(text: &str) -> Vec<Problem> {
    parse(text, &windows()).unwrap_err().0
}

/// The built-in file with `from` replaced once by `to`.
fn edited(from: &str, to: &str) -> String {
    assert!(BUILT_IN.contains(from), "{from:?} is in the file");
    BUILT_IN.replacen(from, to, 1)
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn the_shipped_catalogue_is_valid_and_has_at_least_twenty_items() {
    let (hall, items) = parse(BUILT_IN, &windows()).unwrap();
    assert!(hall.hours.contains("9:00"));
    assert!(items.len() >= 20, "{}", items.len());
    assert!(items.iter().any(|i| i.name_zh == "失业保险金申领"));
    assert!(items.iter().all(|i| !i.channels.is_empty()));
    let shared = items
        .iter()
        .flat_map(|i| &i.materials)
        .filter(|m| m.source == MaterialSource::Shared)
        .count();
    assert!(shared > 0, "some proofs are replaced by shared data");
}

#[test]
fn a_duplicate_code_is_named_with_both_lines() {
    let text = edited("code = \"111101-SB-0002\"", "code = \"111101-SB-0001\"");
    let problems = refused(&text);
    assert_eq!(problems.len(), 1, "{problems:?}");
    let p = &problems[0];
    assert_eq!(p.field, "code");
    assert_eq!(
        p.line,
        line_of(&text, "name_zh = \"个人权益记录查询打印\"") - 1
    );
    assert!(p.message.contains("重复"), "{p}");
    assert!(p
        .message
        .contains(&format!("第{}行", line_of(&text, "111101-SB-0001"))));
}

#[test]
fn a_missing_required_field_names_the_item_line_and_the_field() {
    let text = edited("fee = \"不收费\"\n", "");
    let problems = refused(&text);
    assert_eq!(problems[0].field, "fee");
    assert!(problems[0].message.contains("缺少必填字段"));
    assert_eq!(problems[0].line, line_of(&text, "[[item]]"));
}

#[test]
fn an_unknown_window_and_an_item_without_a_channel_are_refused() {
    let text = edited("windows = [\"1\", \"2\"]", "windows = [\"1\", \"9\"]");
    let p = &refused(&text)[0];
    assert_eq!(
        (p.field.as_str(), p.line),
        ("windows", line_of(&text, "\"9\"]"))
    );
    assert!(p.to_string().contains("窗口 9"), "{p}");

    let text = edited(
        "channels = [\"kiosk\", \"window\", \"online\"]",
        "channels = []",
    );
    let p = &refused(&text)[0];
    assert_eq!(p.field, "channels");
    assert!(p.message.contains("至少要有一个办理渠道"));
}

#[test]
fn bad_toml_and_unknown_fields_and_sources_are_named() {
    let text = edited("prefix = \"A\"", "prefix = \"A");
    let p = &refused(&text)[0];
    assert_eq!(p.line, line_of(&text, "prefix = \"A"));

    let text = edited("prefix = \"A\"", "prefix = \"A\"\nprefx = \"A\"");
    assert!(refused(&text).iter().any(|p| p.field == "prefx"));

    let text = edited("source = \"提供\"", "source = \"自带\"");
    let p = &refused(&text)[0];
    assert_eq!(
        (p.field.as_str(), p.line),
        ("materials.source", line_of(&text, "自带"))
    );
}

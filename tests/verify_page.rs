//! The verification page as a bank or an employer meets it (issue 11, item 8): the verdict
//! first; the serial alone shows nothing personal; the check code printed on the paper (read
//! back from the real PDF with pdftotext) opens the summary as the QR does; a wrong code does
//! not; a revoked certificate shows only its status, time, reason. Times in Beijing time.

mod certificate_support;
mod common;
use certificate_support::*;
use common::*;

/// The text of a certificate PDF, as poppler's pdftotext reads it.
fn pdf_text(pdf: &std::path::Path) -> String {
    require("pdftotext", "poppler-utils");
    run(std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(pdf)
        .arg("-"))
}

/// `查验码：XXXX-XXXX` and `核验网址：URL` as printed.
fn printed(text: &str, label: &str) -> String {
    let at = text
        .find(label)
        .unwrap_or_else(|| panic!("{label} is not printed:\n{text}"));
    text[at + label.len()..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn the_page_says_the_verdict_first_and_shows_the_content_only_to_whoever_holds_the_paper() {
    let db = TestDb::sqlite();
    load_fixtures(&db);
    let (serial, _, pdf) = issue(&db, LI, &[], "a.pdf");
    let text = pdf_text(&pdf);
    let code = printed(&text, "查验码：");
    let address = printed(&text, "核验网址：");
    assert!(address.ends_with(&format!("/verify/{serial}")), "{address}");
    assert_eq!(code.len(), 9, "{code}");
    // The defaults state no validity without a stamp: the PDF must not claim it.
    assert!(
        !text.contains("无需另行盖章"),
        "no no-stamp sentence by default:\n{text}"
    );
    let server = Served::start(&db);

    // The serial alone: the verdict, nothing personal, and the form for the code.
    let (status, alone) = server.get(&format!("/verify/{serial}"));
    assert_eq!(status, 200);
    assert!(alone.contains("data-status=\"valid\"") && alone.contains("证明有效"));
    assert!(
        !alone.contains("李建国") && !alone.contains("0016"),
        "{alone}"
    );
    assert!(
        alone.contains("name=\"k\""),
        "the check-code form is offered"
    );

    // Serial and code typed from the paper (lower case, a space instead of the hyphen).
    let typed = code.to_lowercase().replace('-', "+");
    let (_, page) = server.get(&format!("/verify?serial={serial}&k={typed}"));
    assert!(
        page.contains("李建国") && page.contains("<dd>0016</dd>"),
        "{page}"
    );
    let verdict = page.find("id=\"verdict\"").unwrap();
    assert!(verdict < page.find("id=\"summary\"").unwrap());
    assert!(
        page.contains("出具时间") && page.contains('年'),
        "the issue time, Beijing"
    );
    assert!(page.contains("<details"), "the detail behind 查看明细");
    assert!(!page.contains("UTC"));

    // A wrong code opens nothing.
    let (_, wrong) = server.get(&format!("/verify?serial={serial}&k=AAAA-AAAA"));
    assert!(wrong.contains("证明有效") && !wrong.contains("李建国"));

    // Revoked: status, time and reason only, even with the right code.
    let out = db.sskiosk(&["certificate", "revoke", &serial, "--reason", "信息有误"]);
    assert_status(&out, 0, "revoke");
    let (_, revoked) = server.get(&format!("/verify?serial={serial}&k={code}"));
    assert!(
        revoked.contains("证明已撤销") && revoked.contains("信息有误"),
        "{revoked}"
    );
    assert!(
        !revoked.contains("李建国") && !revoked.contains("<table"),
        "{revoked}"
    );
}

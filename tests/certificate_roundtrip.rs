//! A certificate on paper and back: the PDF is rendered to PNG at 200 dpi, its QR code read by
//! two real decoders (rqrr and zbarimg), and verified offline; the font is really embedded as a
//! subset; altered files and codes fail. On SQLite and PostgreSQL.

mod certificate_support;
mod common;
use certificate_support::*;
use common::*;
use std::process::Command;

#[test]
fn a_printed_certificate_is_read_back_from_its_image_and_verifies_offline() {
    for db in TestDb::all() {
        load_fixtures(&db);
        let (serial, url, pdf) = issue(&db, LI, &[], "li.pdf");
        let pages = render_pages(&pdf);
        assert_eq!(pages.len(), 1, "{}: a one-page certificate", db.label);
        let by_rqrr = rqrr_decode(&pages[0]);
        let by_zbar = zbar(&pages[0]);
        assert_eq!(by_rqrr, url, "{}", db.label);
        assert_eq!(by_zbar, url, "{}", db.label);
        assert!(url.contains(&format!("/verify/{serial}?c=")));

        let out = db.sskiosk(&["verify", &by_zbar]);
        assert_status(&out, 0, "verify the scanned QR text");
        assert!(stdout(&out).contains(&serial));
        let out = db.sskiosk(&["verify", pdf.to_str().unwrap()]);
        assert_status(&out, 0, "verify the PDF file");
    }
}

#[test]
fn the_cjk_font_is_embedded_as_a_subset() {
    require("pdffonts", "poppler-utils");
    let db = TestDb::sqlite();
    load_fixtures(&db);
    let (_, _, pdf) = issue(&db, LI, &[], "li.pdf");
    let fonts = run(Command::new("pdffonts").arg(&pdf));
    let line = fonts
        .lines()
        .find(|l| l.contains("CID TrueType"))
        .unwrap_or_else(|| panic!("no CID TrueType font:\n{fonts}"));
    assert!(line.contains("WenQuanYi"), "{line}");
    let flags: Vec<&str> = line.split_whitespace().collect();
    // name type type encoding emb sub uni object id
    assert!(
        flags.windows(3).any(|w| w == ["yes", "yes", "yes"]),
        "embedded, subset, with a ToUnicode map: {line}"
    );
    assert!(
        std::fs::metadata(&pdf).unwrap().len() < 60_000,
        "a subset keeps the file small"
    );
}

#[test]
fn an_altered_code_or_file_fails_offline_verification() {
    let db = TestDb::sqlite();
    load_fixtures(&db);
    let (_, url, pdf) = issue(&db, LI, &[], "li.pdf");

    // One character of the signature changed.
    let mut tampered = url.clone().into_bytes();
    let last = tampered.len() - 5;
    tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
    let out = db.sskiosk(&["verify", std::str::from_utf8(&tampered).unwrap()]);
    assert_status(&out, 6, "tampered signature");
    assert!(stderr(&out).contains("invalid"), "{}", stderr(&out));

    let out = db.sskiosk(&["verify", &url[..url.len() - 20]]);
    assert_status(&out, 6, "truncated QR text");
    assert!(stderr(&out).contains("truncated"), "{}", stderr(&out));

    // The certified text inside the PDF changed: the name of the citizen.
    let bytes = std::fs::read(&pdf).unwrap();
    let altered = alter_embedded_name(&bytes, "李建国", "李建华");
    let altered_path = db.write("altered.pdf", "");
    std::fs::write(&altered_path, altered).unwrap();
    let out = db.sskiosk(&["verify", altered_path.to_str().unwrap()]);
    assert_status(&out, 6, "altered PDF text");
    assert!(stderr(&out).contains("altered"), "{}", stderr(&out));

    let foreign = db.write("foreign.pdf", "%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n");
    let out = db.sskiosk(&["verify", foreign.to_str().unwrap()]);
    assert_status(&out, 6, "a PDF that is not ours");
    assert!(
        stderr(&out).contains("not an sskiosk certificate"),
        "{}",
        stderr(&out)
    );
}

/// Rewrites the certificate content embedded in the PDF (Subject, UTF-16BE hex) with one name
/// replaced, as a forger editing the document would.
fn alter_embedded_name(pdf: &[u8], from: &str, to: &str) -> Vec<u8> {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
    use base64::Engine;
    let key = b"/Subject<";
    let start = pdf.windows(key.len()).position(|w| w == key).unwrap() + key.len();
    let end = start + pdf[start..].iter().position(|b| *b == b'>').unwrap();
    let raw = hex::decode(&pdf[start..end]).unwrap();
    let units: Vec<u16> = raw[2..]
        .chunks(2)
        .map(|p| u16::from_be_bytes([p[0], p[1]]))
        .collect();
    let subject = String::from_utf16(&units).unwrap();
    let (marker, b64) = subject.split_once(':').unwrap();
    let content = String::from_utf8(B64.decode(b64).unwrap()).unwrap();
    assert!(content.contains(from));
    let forged = format!("{marker}:{}", B64.encode(content.replace(from, to)));
    let mut hex_forged = String::from("FEFF");
    for u in forged.encode_utf16() {
        hex_forged += &format!("{u:04X}");
    }
    let mut out = pdf[..start].to_vec();
    out.extend(hex_forged.as_bytes());
    out.extend(&pdf[end..]);
    out
}

#[test]
fn a_long_history_continues_on_further_pages_each_with_its_code() {
    let db = TestDb::sqlite();
    let out = db.sskiosk(&["demo-data", "--citizens", "3"]);
    assert_status(&out, 0, "demo data");
    let showcase = sskiosk::demo::SHOWCASE_SSN;
    let (serial, url, pdf) = issue(&db, showcase, &[], "showcase.pdf");
    let pages = render_pages(&pdf);
    assert!(pages.len() >= 2, "the showcase history fills several pages");
    for page in &pages {
        assert_eq!(zbar(page), url, "{} carries the code", page.display());
    }
    require("pdftotext", "poppler-utils");
    let text = run(Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf)
        .arg("-"));
    // pdftotext drops the spaces between CJK characters.
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let total = pages.len();
    for n in 1..=total {
        assert!(
            squeezed.contains(&format!("第{n}页/共{total}页")),
            "footer of page {n}"
        );
    }
    assert!(text.contains(&serial));
    // The table header is repeated on the continuation page.
    assert!(text.matches("起止年月").count() >= total, "{text}");
    assert!(text.contains("（续）"));
    assert!(
        !text.contains(showcase),
        "the full ID number is never printed"
    );
}

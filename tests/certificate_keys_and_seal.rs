//! The office key from the command line, and the optional seal image on the certificate.

mod certificate_support;
mod common;
use certificate_support::*;
use common::*;
use std::process::Command;

#[test]
fn keygen_writes_a_key_once_and_certificates_name_it() {
    let db = TestDb::sqlite();
    load_fixtures(&db);
    let out = db.sskiosk(&["keygen"]);
    assert_status(&out, 0, "keygen");
    let published: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(published["algorithm"], "Ed25519");
    let key_id = published["key_id"].as_str().unwrap().to_string();
    let key_file = db.dir.path().join("data/office-key.ed25519");
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(&key_file).unwrap().permissions(),
    );
    assert_eq!(
        mode & 0o777,
        0o600,
        "the private key is readable by its owner only"
    );

    let again = db.sskiosk(&["keygen"]);
    assert_status(&again, 1, "an existing key is not replaced");
    assert!(stderr(&again).contains("--force"), "{}", stderr(&again));

    let (_, url, _) = issue(&db, LI, &[], "a.pdf");
    let out = db.sskiosk(&["verify", &url]);
    assert_status(&out, 0, "verify");
    assert!(stdout(&out).contains(&key_id), "{}", stdout(&out));

    // After a rotation the old certificate no longer verifies offline with the new key only.
    assert_status(&db.sskiosk(&["keygen", "--force"]), 0, "rotate");
    assert_status(
        &db.sskiosk(&["verify", &url]),
        6,
        "old key not published offline",
    );
}

#[test]
fn a_configured_seal_image_is_drawn_on_the_certificate() {
    require("pdfimages", "poppler-utils");
    let db = TestDb::sqlite();
    load_fixtures(&db);
    let seal = db.dir.path().join("seal.png");
    let img = image::RgbImage::from_fn(120, 120, |x, y| {
        let (dx, dy) = (x as i32 - 60, y as i32 - 60);
        if (dx * dx + dy * dy) < 55 * 55 {
            image::Rgb([200, 0, 0])
        } else {
            image::Rgb([255, 255, 255])
        }
    });
    img.save(&seal).unwrap();
    let pdf = db.dir.path().join("sealed.pdf");
    let out = db
        .command(&["certificate", "issue", LI, "--out", pdf.to_str().unwrap()])
        .env("SSKIOSK__CERTIFICATE__SEAL_IMAGE", &seal)
        .output()
        .unwrap();
    assert_status(&out, 0, "issue with seal");
    let list = run(Command::new("pdfimages").arg("-list").arg(&pdf));
    assert_eq!(
        list.lines().count(),
        3,
        "one image (two header lines):\n{list}"
    );

    let out = db
        .command(&["certificate", "issue", LI, "--out", pdf.to_str().unwrap()])
        .env("SSKIOSK__CERTIFICATE__SEAL_IMAGE", "/nonexistent/seal.png")
        .output()
        .unwrap();
    assert_status(&out, 1, "missing seal image");
    assert!(
        stderr(&out).contains("/nonexistent/seal.png"),
        "{}",
        stderr(&out)
    );
}

//! The benefit payment certificate (待遇领取证明) of the fixture pensioner, end to end and on
//! both backends: golden frozen content, the printed page read back by real QR decoders and
//! verified offline and online with the right title, and a clear refusal when nothing was paid.

mod certificate_support;
mod common;
use certificate_support::*;
use common::*;
use serde_json::json;

/// The fixture pensioner: two months of basic pension at 1500.50.
const WANG: &str = "11010519491231002X";

fn stored(db: &TestDb, serial: &str) -> (String, serde_json::Value) {
    use diesel::prelude::*;
    use sskiosk::db::schema::certificates;
    let mut conn = db.pool().get().unwrap();
    let (kind, text): (String, String) = certificates::table
        .find(serial)
        .select((certificates::kind, certificates::content))
        .first(&mut *conn)
        .unwrap();
    (kind, serde_json::from_str(&text).unwrap())
}

#[test]
fn the_benefit_certificate_of_the_fixture_pensioner_matches_the_golden_record() {
    for db in TestDb::all() {
        load_fixtures(&db);
        let (serial, _, _) = issue(
            &db,
            WANG,
            &["--kind", "benefit", "--benefit", "basic_pension"],
            "pension.pdf",
        );
        let expected = json!({
            "title": "社会保险待遇领取证明",
            "kind": "benefit",
            "office": "北京市人力资源和社会保障局 一窗受理服务中心",
            "name": "王秀英",
            "gender": "女",
            "id_masked": "1101**********002X",
            "selection": {"insurances": [], "benefits": ["basic_pension"], "from": null, "to": null},
            "sections": [],
            "benefits": [{
                "benefit": "basic_pension",
                "name_zh": "基本养老金",
                "first_month": "2005-01",
                "last_month": "2005-02",
                "months_paid": 2,
                "rows": [{"from": "2005-01", "to": "2005-02", "months": 2,
                          "monthly_fen": 150050, "total_fen": 300100}],
                "total_fen": 300100
            }]
        });
        let (kind, content) = stored(&db, &serial);
        assert_eq!(kind, "benefit", "{}", db.label);
        assert_eq!(content, expected, "{}", db.label);

        // A month range keeps only the months in it.
        let (serial, _, _) = issue(
            &db,
            WANG,
            &["--kind", "benefit", "--from", "2005-02", "--to", "2005-12"],
            "february.pdf",
        );
        let (_, content) = stored(&db, &serial);
        assert_eq!(
            content["benefits"][0]["rows"],
            json!([{"from": "2005-02", "to": "2005-02", "months": 1,
                    "monthly_fen": 150050, "total_fen": 150050}]),
            "{}",
            db.label
        );
    }
}

#[test]
fn a_printed_benefit_certificate_reads_back_and_verifies_offline_and_online() {
    for db in TestDb::all() {
        load_fixtures(&db);
        let (serial, url, pdf) = issue(&db, WANG, &["--kind", "benefit"], "wang.pdf");
        let pages = render_pages(&pdf);
        assert_eq!(pages.len(), 1, "{}: a one-page certificate", db.label);
        assert_eq!(rqrr_decode(&pages[0]), url, "{}", db.label);
        let scanned = zbar(&pages[0]);
        assert_eq!(scanned, url, "{}", db.label);
        assert_status(&db.sskiosk(&["verify", &scanned]), 0, "verify the QR text");
        let out = db.sskiosk(&["verify", pdf.to_str().unwrap()]);
        assert_status(&out, 0, "verify the PDF file");
        assert!(stdout(&out).contains(&serial));

        let server = Served::start(&db);
        let (status, v) = server.json(&format!("/api{}", path_of(&url)));
        assert_eq!(status, 200);
        assert_eq!(v["verdict"]["status"], "valid", "{}: {v}", db.label);
        assert_eq!(v["content"]["title"], "社会保险待遇领取证明");
        assert_eq!(v["content"]["benefits"][0]["total_fen"], 300100);
        assert!(
            !v.to_string().contains(WANG),
            "the full ID number stays in the store"
        );
        let (status, html) = server.get(&path_of(&url));
        assert_eq!(status, 200);
        for shown in [
            "社会保险待遇领取证明",
            "基本养老金",
            "1500.50/月",
            "3001.00",
        ] {
            assert!(
                html.contains(shown),
                "{}: page lacks {shown}:\n{html}",
                db.label
            );
        }

        // Reissue keeps the kind and the selection.
        let again = db.dir.path().join("again.pdf");
        let out = db.sskiosk(&[
            "certificate",
            "reissue",
            &serial,
            "--out",
            again.to_str().unwrap(),
        ]);
        assert_status(&out, 0, "reissue");
        let new_serial = stdout(&out).split('\t').next().unwrap().to_string();
        let (kind, content) = stored(&db, &new_serial);
        assert_eq!(
            (kind.as_str(), &content["kind"]),
            ("benefit", &json!("benefit"))
        );
    }
}

#[test]
fn no_benefits_in_the_range_is_refused_clearly_and_nothing_is_issued() {
    for db in TestDb::all() {
        load_fixtures(&db);
        let pdf = db.dir.path().join("none.pdf");
        let pdf = pdf.to_str().unwrap();
        let args = ["certificate", "issue", WANG, "--kind", "benefit"];
        let out = db.sskiosk(&[&args[..], &["--from", "2006-01", "--out", pdf]].concat());
        assert_status(&out, 4, "no benefits in the range");
        assert!(stderr(&out).contains("no benefit"), "{}", stderr(&out));
        assert!(!std::path::Path::new(pdf).exists(), "no file written");
        assert_eq!(
            count(&db, "certificates"),
            0,
            "{}: nothing stored",
            db.label
        );

        // The person has no unemployment benefit at all.
        let out = db.sskiosk(
            &[
                &args[..],
                &["--benefit", "unemployment_benefit", "--out", pdf],
            ]
            .concat(),
        );
        assert_status(&out, 4, "no benefit of that kind");

        // Options of the other kind, or an unknown kind, are usage errors.
        let out = db.sskiosk(
            &[
                &args[..],
                &["--insurance", "enterprise_pension", "--out", pdf],
            ]
            .concat(),
        );
        assert_status(&out, 2, "--insurance with --kind benefit");
        let out = db.sskiosk(&[
            "certificate",
            "issue",
            WANG,
            "--kind",
            "pension",
            "--out",
            pdf,
        ]);
        assert_status(&out, 2, "unknown kind");
        assert!(
            stderr(&out).contains("contribution or benefit"),
            "{}",
            stderr(&out)
        );
    }
}

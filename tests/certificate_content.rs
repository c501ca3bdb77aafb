//! Golden content: what a certificate of the fixture citizen certifies, exactly, as frozen in
//! the store; and it stays frozen when the data is corrected afterwards. Both backends.

mod certificate_support;
mod common;
use certificate_support::*;
use common::*;
use serde_json::json;

fn stored_content(db: &TestDb, serial: &str) -> serde_json::Value {
    use diesel::prelude::*;
    use sskiosk::db::schema::certificates;
    let mut conn = db.pool().get().unwrap();
    let text: String = certificates::table
        .find(serial)
        .select(certificates::content)
        .first(&mut *conn)
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn the_content_of_a_known_citizen_matches_the_golden_record() {
    for db in TestDb::all() {
        load_fixtures(&db);
        let (serial, _, _) = issue(
            &db,
            LI,
            &[
                "--insurance",
                "enterprise_pension",
                "--from",
                "2019-01",
                "--to",
                "2019-12",
            ],
            "golden.pdf",
        );
        let row = |from: &str,
                   to: &str,
                   months: u32,
                   employer_fen: i64,
                   personal_fen: i64,
                   status: &str| {
            json!({"from": from, "to": to, "months": months, "employer": "深圳市某某科技有限公司",
                   "base_fen": 500000, "employer_fen": employer_fen, "personal_fen": personal_fen,
                   "status_zh": status})
        };
        // Months with no contribution at all: a row of their own with no amounts.
        let gap = |from: &str, to: &str, months: u32| {
            json!({"from": from, "to": to, "months": months, "employer": "—", "base_fen": 0,
                   "employer_fen": 0, "personal_fen": 0, "status_zh": "未缴费"})
        };
        let expected = json!({
            "title": "社会保险个人参保缴费证明",
            "office": "北京市人力资源和社会保障局 一窗受理服务中心",
            "name": "李建国",
            "gender": "男",
            "id_masked": "4403**********0016",
            "selection": {"insurances": ["enterprise_pension"], "from": "2019-01", "to": "2019-12"},
            "sections": [{
                "insurance": "enterprise_pension",
                "name_zh": "企业职工基本养老保险",
                "status_zh": "终止参保",
                "employer": "深圳市某某科技有限公司",
                "first_month": "2019-01",
                "last_month": "2019-06",
                "months_paid": 4,
                // 2019-03 is arrears (owed, its own row and totals), not 断缴.
                "gap_months": 3,
                "rows": [
                    row("2019-01", "2019-02", 2, 160000, 80000, "已实缴"),
                    row("2019-03", "2019-03", 1, 80000, 40000, "欠缴"),
                    gap("2019-04", "2019-04", 1),
                    row("2019-05", "2019-05", 1, 80000, 40000, "补缴"),
                    row("2019-06", "2019-06", 1, 80000, 40000, "已实缴"),
                    gap("2019-07", "2019-08", 2),
                ],
                "total_employer_fen": 320000,
                "total_personal_fen": 160000,
                "arrears_months": 1,
                "arrears_employer_fen": 80000,
                "arrears_personal_fen": 40000
            }]
        });
        assert_eq!(stored_content(&db, &serial), expected, "{}", db.label);
    }
}

#[test]
fn a_later_correction_does_not_change_what_was_certified() {
    let db = TestDb::sqlite();
    load_fixtures(&db);
    let (serial, url, _) = issue(&db, LI, &[], "before.pdf");
    let before = stored_content(&db, &serial);
    let corrected = db.write(
        "contributions-fix.csv",
        "ssn,insurance,period,base,employer_amount,personal_amount,paid_on,employer_code,status\n\
         440305198503150016,enterprise_pension,2019-03,5000,800,400,2020-03-01,E000001,back_paid\n",
    );
    let out = db.sskiosk(&[
        "import",
        "contributions",
        corrected.to_str().unwrap(),
        "--source",
        "fix",
    ]);
    assert_status(&out, 0, "correction");
    assert_eq!(stored_content(&db, &serial), before);
    assert_status(&db.sskiosk(&["verify", &url]), 0, "still verifies");
    // A new certificate shows the corrected month.
    let (new_serial, _, _) = issue(&db, LI, &[], "after.pdf");
    let after = stored_content(&db, &new_serial);
    assert_ne!(after, before);
    assert_eq!(before["sections"][0]["rows"][1]["status_zh"], "欠缴");
    assert_eq!(after["sections"][0]["rows"][1]["status_zh"], "补缴");
}

#[test]
fn unknown_people_and_bad_arguments_get_clear_messages() {
    let db = TestDb::sqlite();
    load_fixtures(&db);
    let out_pdf = db.dir.path().join("x.pdf");
    let out_pdf = out_pdf.to_str().unwrap();
    let o = db.sskiosk(&[
        "certificate",
        "issue",
        "110101198506150019",
        "--out",
        out_pdf,
    ]);
    assert_status(&o, 4, "unknown person");
    assert!(stderr(&o).contains("1101**********0019"), "{}", stderr(&o));
    let o = db.sskiosk(&[
        "certificate",
        "issue",
        LI,
        "--insurance",
        "pension",
        "--out",
        out_pdf,
    ]);
    assert_status(&o, 2, "unknown insurance");
    assert!(
        stderr(&o).contains("enterprise_pension"),
        "lists the codes: {}",
        stderr(&o)
    );
    let o = db.sskiosk(&[
        "certificate",
        "issue",
        LI,
        "--from",
        "2020-01",
        "--to",
        "2019-01",
        "--out",
        out_pdf,
    ]);
    assert_status(&o, 2, "reversed range");
    assert!(!std::path::Path::new(out_pdf).exists(), "nothing written");
}

#[test]
fn a_missing_font_or_one_without_chinese_glyphs_is_named_with_its_package() {
    let db = TestDb::sqlite();
    load_fixtures(&db);
    let out_pdf = db.dir.path().join("x.pdf");
    let o = db
        .command(&[
            "certificate",
            "issue",
            LI,
            "--out",
            out_pdf.to_str().unwrap(),
        ])
        .env("SSKIOSK__CERTIFICATE__FONT_PATH", "/nonexistent/wqy.ttc")
        .output()
        .unwrap();
    assert_status(&o, 1, "missing font");
    let err = stderr(&o);
    assert!(
        err.contains("/nonexistent/wqy.ttc") && err.contains("fonts-wqy-microhei"),
        "{err}"
    );

    let latin = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    if std::path::Path::new(latin).exists() {
        let o = db
            .command(&[
                "certificate",
                "issue",
                LI,
                "--out",
                out_pdf.to_str().unwrap(),
            ])
            .env("SSKIOSK__CERTIFICATE__FONT_PATH", latin)
            .output()
            .unwrap();
        assert_status(&o, 1, "font without CJK glyphs");
        let err = stderr(&o);
        assert!(
            err.contains("no Chinese glyphs") && err.contains("fonts-wqy-microhei"),
            "{err}"
        );
    }
    // `serve` refuses to start the same way.
    let o = db
        .command(&["serve"])
        .env("SSKIOSK__CERTIFICATE__FONT_PATH", "/nonexistent/wqy.ttc")
        .env("SSKIOSK__SERVER__BIND", "127.0.0.1:0")
        .output()
        .unwrap();
    assert_status(&o, 1, "serve without font");
    assert!(stderr(&o).contains("fonts-wqy-microhei"));
    assert!(!out_pdf.exists());
}

//! The unified record, end to end: fixtures imported through the binary, then read back with
//! `sskiosk record` (golden figures) and through the library on every backend.

mod common;
use common::*;

const LI: &str = "440305198503150016";

#[test]
fn the_record_shows_paid_months_gaps_arrears_and_totals() {
    for db in TestDb::all() {
        load_fixtures(&db);
        let out = db.sskiosk(&["record", LI]);
        assert_status(&out, 0, "record");
        let r: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("record is JSON");
        assert_eq!(r["person"]["name"], "李建国", "{}", db.label);
        assert_eq!(r["cards"][0]["spec_version"], "3.00");

        let pension = &r["insurances"][0];
        assert_eq!(pension["insurance"], "enterprise_pension");
        assert_eq!(pension["status"], "terminated");
        assert_eq!(pension["employer_name"], "深圳市某某科技有限公司");
        assert_eq!(pension["first_paid_month"], "2019-01");
        assert_eq!(pension["last_paid_month"], "2019-06");
        assert_eq!(pension["months_paid"], 4);
        // 2019-04 (nothing) and 07..08 until the enrolment ended 2019-08-15; 2019-03 is
        // arrears, told apart and never counted twice.
        assert_eq!(pension["gap_months"], 3);
        assert_eq!(pension["gaps"][0]["from"], "2019-04");
        assert_eq!(pension["gaps"][1]["to"], "2019-08");
        assert_eq!(pension["arrears_months"], 1);
        let problems: Vec<&str> = r["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["wording_zh"].as_str().unwrap())
            .collect();
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("2019年3月：") && p.contains("单位未缴")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.starts_with("2019年7月—8月：")),
            "{problems:?}"
        );
        assert_eq!(pension["total_personal"], "1600.00");
        assert_eq!(pension["total_employer"], "3200.00");

        let unemployment = &r["insurances"][1];
        assert_eq!(unemployment["insurance"], "unemployment");
        assert_eq!(unemployment["months_paid"], 1);
        assert_eq!(
            unemployment["gap_months"], 7,
            "2019-02..2019-08 until the enrolment ended"
        );

        assert_eq!(
            r["employment"][0]["kind"], "unemployment",
            "latest registration first"
        );
        let sources: Vec<&str> = r["sources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["source"].as_str().unwrap())
            .collect();
        assert_eq!(
            sources,
            [
                "cards-system",
                "contributions-system",
                "employment-system",
                "enrolments-system",
                "persons-system"
            ]
        );
    }
}

#[test]
fn benefits_are_summed_by_kind() {
    let db = TestDb::sqlite();
    load_fixtures(&db);
    let out = db.sskiosk(&["record", "11010519491231002X"]);
    let r: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(r["benefits"][0]["benefit"], "basic_pension");
    assert_eq!(r["benefits"][0]["months"], 2);
    assert_eq!(r["benefits"][0]["total"], "3001.00");
}

#[test]
fn an_unknown_person_is_not_found_with_status_4() {
    let db = TestDb::sqlite();
    load_fixtures(&db);
    let out = db.sskiosk(&["record", "110105198001010016"]);
    assert_status(&out, 4, "unknown person");
    let err = stderr(&out);
    assert!(err.contains("not found"), "{err}");
    assert!(
        !err.contains("110105198001010016"),
        "ID masked in the message: {err}"
    );
}

#[test]
fn an_invalid_id_names_the_problem() {
    let db = TestDb::sqlite();
    let out = db.sskiosk(&["record", "110105194912310021"]);
    assert_status(&out, 2, "invalid ID");
    assert!(
        stderr(&out).contains("check character is wrong: expected X"),
        "{}",
        stderr(&out)
    );
    let out = db.sskiosk(&["record", "12345"]);
    assert!(
        stderr(&out).contains("must have 18 characters"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_library_assembles_the_same_record_on_every_backend() {
    let mut records = Vec::new();
    for db in TestDb::all() {
        load_fixtures(&db);
        let mut conn = db.pool().get().unwrap();
        let ssn = sskiosk::domain::CitizenId::parse(LI).unwrap();
        let record = sskiosk::record::unified_record(&mut conn, &ssn)
            .unwrap()
            .expect("person exists");
        let mut json = serde_json::to_value(&record).unwrap();
        json["sources"] = serde_json::Value::Null; // import times differ between runs
        records.push(json);
    }
    for pair in records.windows(2) {
        assert_eq!(
            pair[0], pair[1],
            "SQLite and PostgreSQL give the same record"
        );
    }
}

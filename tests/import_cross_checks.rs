//! The import formats of issue 12 through the binary, on every backend: the deaths kind with its
//! rejects, the benefits' `insurance` column (part of the key, optional for older files), and
//! the persons' optional `retirement_category`.

mod common;
use common::*;

fn import(db: &TestDb, kind: &str, name: &str, text: &str) -> std::process::Output {
    let path = db.write(name, text);
    db.sskiosk(&[
        "import",
        kind,
        path.to_str().unwrap(),
        "--source",
        "test-system",
    ])
}

fn rejects(db: &TestDb, name: &str) -> String {
    std::fs::read_to_string(db.dir.path().join(format!("{name}.rejects.csv"))).unwrap_or_default()
}

#[test]
fn bad_death_rows_are_rejected_with_reasons_and_good_ones_are_idempotent() {
    for db in TestDb::all() {
        load_fixtures(&db);
        let mut text = String::from("ssn,death_date,source,reported_on\n");
        text += "11010519491231002X,2024-03-02,civil_affairs,2024-03-10\n"; // 2: good
        text += "11010519491231002X,1940-01-01,health,2024-03-10\n"; // 3: before birth
        text += "11010519491231002X,2999-01-01,health,2999-01-02\n"; // 4: future
        text += "11010519491231002X,2024-03-02,police,2024-03-10\n"; // 5: unknown source
        text += "110105198001010016,2024-03-02,health,2024-03-10\n"; // 6: not in the store
        text += "11010519491231002X,2024-03-02,health,2024-02-01\n"; // 7: reported before
        let out = import(&db, "deaths", "deaths.csv", &text);
        assert_status(&out, 3, &format!("{} deaths with rejects", db.label));
        let report = rejects(&db, "deaths.csv");
        for (line, reason) in [
            ("3,death_date", "before the birth date"),
            ("4,death_date", "in the future"),
            ("5,source", "not a known death source"),
            ("6,ssn", "no person with this ID number"),
            ("7,reported_on", "before death_date"),
        ] {
            assert!(
                report
                    .lines()
                    .any(|l| l.starts_with(line) && l.contains(reason)),
                "{}: {line} {reason}:\n{report}",
                db.label
            );
        }
        assert!(
            !report.contains("110105198001010016"),
            "ID masked: {report}"
        );
        assert_eq!(count(&db, "deaths"), 1);
        // The same report again from another source is a second row; from the same, the same.
        let again = "ssn,death_date,source,reported_on\n\
                     11010519491231002X,2024-03-02,civil_affairs,2024-03-11\n\
                     11010519491231002X,2024-03-01,public_security,2024-03-05\n";
        assert_status(
            &import(&db, "deaths", "deaths2.csv", again),
            0,
            "deaths again",
        );
        assert_eq!(count(&db, "deaths"), 2, "{}", db.label);
    }
}

#[test]
fn two_pensions_of_one_month_from_two_schemes_are_both_stored() {
    for db in TestDb::all() {
        load_fixtures(&db);
        let text = "ssn,benefit,insurance,period,amount,paid_on\n\
                    11010519491231002X,basic_pension,enterprise_pension,2005-01,1500.50,2005-01-20\n\
                    11010519491231002X,basic_pension,resident_pension,2005-01,120,2005-01-20\n\
                    11010519491231002X,basic_pension,,2005-02,1500.50,\n\
                    11010519491231002X,funeral_grant,work_injury,2005-03,900,\n\
                    11010519491231002X,unemployment_benefit,resident_pension,2005-03,900,\n";
        let out = import(&db, "benefits", "benefits2.csv", text);
        assert_status(&out, 3, "benefits with insurance");
        let report = rejects(&db, "benefits2.csv");
        assert!(
            report.contains("4,insurance") && report.contains("insurance is required"),
            "{report}"
        );
        assert!(
            report.contains("6,insurance") && report.contains("is not paid by"),
            "{report}"
        );
        // The fixture's two rows (no insurance column) and the two schemes' rows of 2005-01
        // (one of which is the fixture's month again, now with its scheme), and the grant.
        let out = db.sskiosk(&["record", "11010519491231002X"]);
        let r: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        let pension = &r["benefits"][0];
        assert_eq!(pension["benefit"], "basic_pension");
        let schemes: Vec<&str> = pension["payments"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["period"] == "2005-01")
            .map(|p| p["insurance"].as_str().unwrap_or("(none)"))
            .collect();
        assert!(
            schemes.contains(&"enterprise_pension") && schemes.contains(&"resident_pension"),
            "{}: {schemes:?}",
            db.label
        );
    }
}

#[test]
fn the_retirement_category_is_optional_and_must_fit_the_gender() {
    for db in TestDb::all() {
        let text =
            "ssn,name,gender,ethnicity,birth_date,region_code,phone,address,retirement_category\n\
                    11010519491231002X,王秀英,2,01,1949-12-31,110105,,,female_50\n\
                    440305198503150016,李建国,1,01,1985-03-15,440305,,,female_55\n";
        let out = import(&db, "persons", "persons.csv", text);
        assert_status(&out, 3, "persons with a category");
        assert!(rejects(&db, "persons.csv").contains("does not fit the gender"));
        let out = db.sskiosk(&["record", "11010519491231002X"]);
        let r: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(
            r["person"]["retirement_category"], "female_50",
            "{}",
            db.label
        );
        assert_eq!(r["pension_projection"]["category_known"], true);
        assert_eq!(
            r["pension_projection"]["answers"][0]["statutory_month"],
            "1999-12"
        );
    }
}

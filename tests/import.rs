//! `sskiosk import` end to end through the real binary, on SQLite and (when configured)
//! PostgreSQL: exit statuses, reject reports, idempotency, all-or-nothing.

mod common;
use common::*;

const FIXTURES: [(&str, &str); 6] = [
    ("persons", "persons.csv"),
    ("cards", "cards.csv"),
    ("enrolments", "enrolments.csv"),
    ("contributions", "contributions.csv"),
    ("benefits", "benefits.csv"),
    ("employment", "employment.csv"),
];

const LI: &str = "440305198503150016";

fn import(db: &TestDb, kind: &str, path: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "import",
        kind,
        path.to_str().unwrap(),
        "--source",
        "test-system",
    ];
    args.extend_from_slice(extra);
    db.sskiosk(&args)
}

fn import_fixtures(db: &TestDb) {
    for (kind, file) in FIXTURES {
        let out = import(db, kind, &fixture(file), &[]);
        assert_status(&out, 0, &format!("{} import of {file}", db.label));
    }
}

#[test]
fn the_fixture_exports_import_cleanly() {
    for db in TestDb::all() {
        import_fixtures(&db);
        assert_eq!(count(&db, "persons"), 3, "{}", db.label);
        assert_eq!(count(&db, "contributions"), 8, "{}", db.label);
        assert_eq!(count(&db, "import_batches"), 6, "{}", db.label);
    }
}

#[test]
fn importing_the_same_file_twice_changes_nothing_and_says_so() {
    for db in TestDb::all() {
        import_fixtures(&db);
        let again = import(&db, "contributions", &fixture("contributions.csv"), &[]);
        assert_status(&again, 0, "second import");
        assert!(
            stdout(&again).contains("already imported"),
            "{}",
            stdout(&again)
        );
        assert_eq!(
            count(&db, "import_batches"),
            6,
            "{}: no new batch",
            db.label
        );
        assert_eq!(count(&db, "contributions"), 8);
    }
}

#[test]
fn every_kind_of_bad_person_row_is_reported_with_line_column_and_reason() {
    for db in TestDb::all() {
        let mut text =
            String::from("ssn,name,gender,ethnicity,birth_date,region_code,phone,address\n");
        text += "11010519491231002X,王秀英,2,01,1949-12-31,110105,,\n"; // line 2: good
        text += "110105194912310021,错号,2,01,1949-12-31,110105,,\n"; // 3: check character
        text += "440305198503150016,李建国,2,01,1985-03-15,440305,,\n"; // 4: gender vs ID
        text += "440305198503150016,李建国,1,01,1985-03-16,440305,,\n"; // 5: birth date vs ID
        text += "440305198503150016,李建国,1,01,1985/03/15,440305,,\n"; // 6: date format
        text += "440305198503150016,,1,01,1985-03-15,440305,,\n"; // 7: empty name
        text += "440305198503150016,李建国,3,01,1985-03-15,440305,,\n"; // 8: unknown gender
        text += "440305198503150016,李建国,1,01,1985-03-15,44030,,\n"; // 9: region code
        text += "440305198503150016,李建国,1,01,1985-03-15,440305,call me,\n"; // 10: phone
        text += "440305198503150016,李建国,1\n"; // 11: short row
        text += "310115199007040026,陈静,2,03,1990-07-04,310115,,\n"; // 12: good
        let mut bytes = text.into_bytes();
        bytes.extend_from_slice(b"310115199007040026,\xc2\xc0,2,03,1990-07-04,310115,,\n"); // 13: not UTF-8
        let path = db.dir.path().join("persons.csv");
        std::fs::write(&path, bytes).unwrap();

        let out = import(&db, "persons", &path, &[]);
        assert_status(&out, 3, "some rows rejected");
        assert_eq!(
            count(&db, "persons"),
            2,
            "{}: the two good rows are stored",
            db.label
        );

        let report =
            std::fs::read_to_string(db.dir.path().join("persons.csv.rejects.csv")).unwrap();
        let mut rows = csv::Reader::from_reader(report.as_bytes());
        let got: Vec<(String, String, String)> = rows
            .records()
            .map(|r| {
                let r = r.unwrap();
                (r[0].to_string(), r[1].to_string(), r[3].to_string())
            })
            .collect();
        let expect = [
            ("3", "ssn", "check character is wrong: expected X"),
            ("4", "gender", "does not match the ID number"),
            ("5", "birth_date", "differs from the one in the ID number"),
            ("6", "birth_date", "YYYY-MM-DD"),
            ("7", "name", "name is required"),
            ("8", "gender", "expected one of: 1, 2"),
            ("9", "region_code", "must be 6 digits"),
            ("10", "phone", "only digits"),
            ("11", "", "the row has 3 fields but the header has 8"),
            ("13", "name", "not valid UTF-8"),
        ];
        assert_eq!(got.len(), expect.len(), "{}: {report}", db.label);
        for ((line, column, reason), (el, ec, er)) in got.iter().zip(expect) {
            assert_eq!((line.as_str(), column.as_str()), (el, ec), "{report}");
            assert!(
                reason.contains(er),
                "line {line}: {reason:?} should mention {er:?}"
            );
        }
    }
}

#[test]
fn every_kind_of_bad_contribution_row_is_rejected_and_the_rest_committed() {
    for db in TestDb::all() {
        import(&db, "persons", &fixture("persons.csv"), &[]);
        let header = "ssn,insurance,period,base,employer_amount,personal_amount,paid_on,employer_code,status\n";
        let rows = [
            format!("{LI},enterprise_pension,2019-01,5000,800,400,2019-02-15,E1,paid"), // 2 good
            "110105198001010016,enterprise_pension,2019-01,5000,800,400,2019-02-15,E1,paid"
                .to_string(), // 3 unknown person (valid ID)
            format!("{LI},enterprise_pension,2999-01,5000,800,400,2019-02-15,E1,paid"), // 4 future month
            format!("{LI},enterprise_pension,2019-02,5000.123,800,400,2019-03-15,E1,paid"), // 5 3 decimals
            format!("{LI},enterprise_pension,2019-03,5000,-800,400,2019-04-15,E1,paid"), // 6 negative
            format!("{LI},health,2019-04,5000,800,400,2019-05-15,E1,paid"), // 7 unknown insurance
            format!("{LI},enterprise_pension,2019-05,5000,800,400,2019-06-15,E1,arrears"), // 8 arrears with date
            format!("{LI},enterprise_pension,2019-06,5000,800,400,,E1,paid"), // 9 paid without date
            format!("{LI},enterprise_pension,2019-07,5000,800,400,2019-08-15,E1,late"), // 10 status
            format!("{LI},enterprise_pension,2019-13,5000,800,400,2019-08-15,E1,paid"), // 11 month 13
            format!("{LI},unemployment,2019-01,5000,25,25,2019-02-15,E1,paid"),         // 12 good
        ];
        let path = db.write(
            "contributions.csv",
            &(header.to_string() + &rows.join("\n") + "\n"),
        );
        let out = import(&db, "contributions", &path, &[]);
        assert_status(&out, 3, "some rows rejected");
        assert!(
            stdout(&out).contains("11 rows read, 2 taken, 9 rejected"),
            "{}",
            stdout(&out)
        );
        assert_eq!(count(&db, "contributions"), 2);
        let report =
            std::fs::read_to_string(db.dir.path().join("contributions.csv.rejects.csv")).unwrap();
        for (line, column) in [
            ("3", "ssn"),
            ("4", "period"),
            ("5", "base"),
            ("6", "employer_amount"),
            ("7", "insurance"),
            ("8", "paid_on"),
            ("9", "paid_on"),
            ("10", "status"),
            ("11", "period"),
        ] {
            assert!(
                report
                    .lines()
                    .any(|l| l.starts_with(&format!("{line},{column},"))),
                "line {line} {column} in:\n{report}"
            );
        }
        assert!(report.contains("import the persons file first"), "{report}");
        assert!(
            !report.contains("110105198001010016"),
            "the report masks unknown ID numbers"
        );
    }
}

#[test]
fn a_wrong_header_imports_nothing_and_names_the_columns() {
    for db in TestDb::all() {
        let path = db.write(
            "p.csv",
            "ssn,name,sex,ethnicity,birth_date,region_code,phone,address\n",
        );
        let out = import(&db, "persons", &path, &[]);
        assert_status(&out, 1, "wrong header");
        let err = stderr(&out);
        assert!(err.contains("unknown column \"sex\""), "{err}");
        assert!(err.contains("ssn,name,gender,ethnicity"), "{err}");
        assert_eq!(count(&db, "import_batches"), 0);
    }
}

#[test]
fn strict_mode_commits_nothing_when_any_row_is_bad() {
    for db in TestDb::all() {
        let text = std::fs::read_to_string(fixture("persons.csv")).unwrap()
            + "123,x,1,01,2000-01-01,110105,,\n";
        let path = db.write("persons.csv", &text);
        let out = import(&db, "persons", &path, &["--strict"]);
        assert_status(&out, 1, "strict with a bad row");
        assert!(stderr(&out).contains("line 5"), "{}", stderr(&out));
        assert_eq!(count(&db, "persons"), 0, "{}", db.label);
        assert_eq!(count(&db, "import_batches"), 0);
    }
}

#[test]
fn a_file_without_one_good_row_commits_nothing() {
    for db in TestDb::all() {
        let path = db.write(
            "benefits.csv",
            "ssn,benefit,period,amount,paid_on\n123,basic_pension,2020-01,1,\n",
        );
        let out = import(&db, "benefits", &path, &[]);
        assert_status(&out, 1, "nothing taken");
        assert!(
            stderr(&out).contains("none of the 1 rows"),
            "{}",
            stderr(&out)
        );
        assert_eq!(count(&db, "import_batches"), 0);
    }
}

#[test]
fn a_missing_file_and_a_bad_source_are_clear_errors() {
    let db = TestDb::sqlite();
    let out = db.sskiosk(&["import", "persons", "/nonexistent/p.csv", "--source", "x"]);
    assert_status(&out, 1, "missing file");
    assert!(
        stderr(&out).contains("cannot read /nonexistent/p.csv"),
        "{}",
        stderr(&out)
    );
    let out = db.sskiosk(&["import", "persons", "p.csv", "--source", " "]);
    assert_status(&out, 2, "blank source");
    let out = db.sskiosk(&["import", "pensions", "p.csv", "--source", "x"]);
    assert_status(&out, 2, "unknown kind");
}

#[test]
fn a_later_row_with_the_same_key_replaces_an_earlier_one() {
    for db in TestDb::all() {
        import(&db, "persons", &fixture("persons.csv"), &[]);
        let path = db.write(
            "c.csv",
            &format!(
                "ssn,insurance,period,base,employer_amount,personal_amount,paid_on,employer_code,status\n\
                 {LI},enterprise_pension,2019-01,5000,800,400,,E1,arrears\n\
                 {LI},enterprise_pension,2019-01,5000,800,400,2019-09-01,E1,back_paid\n"
            ),
        );
        assert_status(
            &import(&db, "contributions", &path, &[]),
            0,
            "duplicate keys",
        );
        let record = db.sskiosk(&["record", LI]);
        let json: serde_json::Value = serde_json::from_str(&stdout(&record)).unwrap();
        assert_eq!(json["insurances"][0]["months_paid"], 1, "{}", db.label);
        assert_eq!(json["insurances"][0]["arrears_months"], 0);

        // A later export correcting a stored month (the citizen is known: on PostgreSQL this
        // takes the upsert path, the first file the plain insert) replaces it, and adds the new
        // month beside it.
        let path = db.write(
            "c2.csv",
            &format!(
                "ssn,insurance,period,base,employer_amount,personal_amount,paid_on,employer_code,status
                 {LI},enterprise_pension,2019-01,5000,800,400,,E1,arrears
                 {LI},enterprise_pension,2019-02,5000,800,400,2019-02-15,E1,paid
"
            ),
        );
        assert_status(&import(&db, "contributions", &path, &[]), 0, "correction");
        let record = db.sskiosk(&["record", LI]);
        let json: serde_json::Value = serde_json::from_str(&stdout(&record)).unwrap();
        assert_eq!(json["insurances"][0]["months_paid"], 1, "{}", db.label);
        assert_eq!(json["insurances"][0]["arrears_months"], 1, "{}", db.label);
        assert_eq!(count(&db, "contributions"), 2, "{}", db.label);
    }
}

//! Fund-safety checks end to end, on SQLite and PostgreSQL: the demo population with its planted
//! cases goes in through the binary, `sskiosk checks run` must open exactly the planted cases
//! (none for the planted non-cases nor the clean population), never a second case for the same
//! facts, pick up a new import incrementally, and leave nothing half-written when killed.

mod common;
use common::*;
use diesel::prelude::*;
use std::collections::BTreeSet;

const CITIZENS: u32 = 1500;
/// The built-in default seed of config/default.toml, which `demo-data` uses.
const SEED: u64 = 20261126;

fn planted(citizens: u32) -> BTreeSet<(String, String)> {
    let opts = sskiosk::demo::DemoOptions {
        citizens,
        seed: SEED,
        today: sskiosk::record::bureau_today(),
    };
    sskiosk::demo::planted_cases(&opts)
        .into_iter()
        .map(|p| (p.rule.to_string(), p.ssn))
        .collect()
}

fn cases(db: &TestDb) -> BTreeSet<(String, String)> {
    use sskiosk::db::schema::fund_cases::dsl::*;
    let mut conn = db.pool().get().unwrap();
    let rows: Vec<(String, String)> = fund_cases.select((rule, ssn)).load(&mut *conn).unwrap();
    let set: BTreeSet<_> = rows.iter().cloned().collect();
    assert_eq!(
        set.len(),
        rows.len(),
        "{}: one case per rule and citizen",
        db.label
    );
    set
}

fn load_demo(db: &TestDb, citizens: u32) {
    let out = db.sskiosk(&["demo-data", "--citizens", &citizens.to_string()]);
    assert_status(&out, 0, "demo-data");
}

fn run(db: &TestDb, extra: &[&str]) -> String {
    let mut args = vec!["checks", "run"];
    args.extend_from_slice(extra);
    let out = db.sskiosk(&args);
    assert_status(&out, 0, "checks run");
    stdout(&out)
}

#[test]
fn the_checks_find_exactly_the_planted_cases_and_never_twice() {
    let expected = planted(CITIZENS);
    let rules: BTreeSet<&str> = expected.iter().map(|(r, _)| r.as_str()).collect();
    assert_eq!(
        rules.len(),
        6,
        "every rule is planted at least once: {rules:?}"
    );
    for db in TestDb::all() {
        load_demo(&db, CITIZENS);
        let first = run(&db, &[]);
        assert!(
            first.contains(&format!("{} new cases", expected.len())),
            "{}: {first}",
            db.label
        );
        assert_eq!(cases(&db), expected, "{}", db.label);

        let again = run(&db, &[]);
        assert!(again.contains(" 0 new cases"), "{}: {again}", db.label);
        assert_eq!(
            cases(&db),
            expected,
            "{}: the same facts open no case",
            db.label
        );
        assert_eq!(count(&db, "check_runs"), 2);
    }
}

#[test]
fn an_incremental_run_reads_only_the_new_imports_citizens() {
    for db in TestDb::all() {
        load_demo(&db, 60);
        run(&db, &[]);
        let before = cases(&db);
        // A pensioner of the demo population dies; civil affairs report it two months late.
        let pensioner = {
            let mut conn = db.pool().get().unwrap();
            use sskiosk::db::schema::benefits::dsl::*;
            let rows: Vec<(String, i32)> = benefits
                .filter(benefit.eq("basic_pension"))
                .select((ssn, period))
                .order(period.desc())
                .load(&mut *conn)
                .unwrap();
            let taken: BTreeSet<&String> = before.iter().map(|(_, s)| s).collect();
            rows.into_iter()
                .find(|(s, _)| !taken.contains(s))
                .expect("a pensioner without a case")
        };
        let last = sskiosk::domain::Month::from_number(pensioner.1).unwrap();
        let death_month = last.offset(-2).unwrap();
        let file = db.write(
            "deaths.csv",
            &format!(
                "ssn,death_date,source,reported_on\n{},{}-05,civil_affairs,{}-20\n",
                pensioner.0, death_month, death_month
            ),
        );
        let out = db.sskiosk(&[
            "import",
            "deaths",
            file.to_str().unwrap(),
            "--source",
            "mca",
        ]);
        assert_status(&out, 0, "deaths import");
        let summary = run(&db, &["--since", "last"]);
        assert!(summary.contains(": 1 citizens"), "{}: {summary}", db.label);
        assert!(summary.contains("1 new cases"), "{}: {summary}", db.label);
        let after = cases(&db);
        assert!(after.contains(&("paid_after_death".into(), pensioner.0.clone())));
        assert_eq!(after.len(), before.len() + 1);
    }
}

#[test]
fn a_killed_run_leaves_all_or_nothing_and_the_next_run_completes_it() {
    let citizens = 1500;
    let expected = planted(citizens);
    for db in TestDb::all() {
        load_demo(&db, citizens);
        for wait_ms in [20, 200, 600] {
            let mut child = db.command(&["checks", "run"]).spawn().unwrap();
            std::thread::sleep(std::time::Duration::from_millis(wait_ms));
            unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
            let _ = child.wait();
            let found = cases(&db);
            let runs = count(&db, "check_runs");
            assert!(
                (runs == 0 && found.is_empty()) || found == expected,
                "{}: after a kill at {wait_ms} ms, {runs} runs and {} of {} cases",
                db.label,
                found.len(),
                expected.len()
            );
        }
        run(&db, &[]);
        assert_eq!(cases(&db), expected, "{}", db.label);
    }
}

#[test]
fn the_record_carries_the_entitlement_and_the_projection() {
    let db = TestDb::sqlite();
    load_fixtures(&db);
    let out = db.sskiosk(&["record", "440305198503150016"]);
    assert_status(&out, 0, "record");
    let r: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let ui = &r["unemployment_entitlement"];
    assert_eq!(ui["status"], "computed", "{ui}");
    // One paid month of unemployment insurance before the 2019-08 separation: not enough.
    assert_eq!(ui["contribution_months_total"], 1);
    assert_eq!(ui["eligible"], false);
    let p = &r["pension_projection"];
    assert_eq!(p["status"], "computed", "{p}");
    assert_eq!(p["category_known"], true, "a man");
    // Born 1985-03: the full +36 months, 63 years, reached 2048-03.
    assert_eq!(p["answers"][0]["statutory_month"], "2048-03");
    assert_eq!(p["answers"][0]["minimum_months"], 240);
    assert_eq!(p["answers"][0]["months_still_needed"], 236);
}

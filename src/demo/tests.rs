use super::*;
use crate::domain::{CardStatus, Gender, Insurance};
use crate::import::{import_file, ImportKind, ImportOutcome, ImportRequest};
use std::collections::{HashMap, HashSet};

const SEED: u64 = 20_261_126;
const FILES: [&str; 7] = [
    "persons",
    "cards",
    "enrolments",
    "contributions",
    "benefits",
    "employment",
    "deaths",
];

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn opts(citizens: u32) -> DemoOptions {
    DemoOptions {
        citizens,
        seed: SEED,
        today: date(2025, 11, 26),
    }
}

fn generate(opts: &DemoOptions) -> (tempfile::TempDir, DemoCounts) {
    let dir = tempfile::tempdir().unwrap();
    let counts = write_csv(dir.path(), opts).unwrap();
    (dir, counts)
}

fn read(dir: &Path, file: &str) -> Vec<csv::StringRecord> {
    let mut reader = csv::Reader::from_path(dir.join(format!("{file}.csv"))).unwrap();
    reader.records().map(|r| r.unwrap()).collect()
}

#[test]
fn the_same_seed_gives_the_same_bytes() {
    let (a, _) = generate(&opts(60));
    let (b, _) = generate(&opts(60));
    for file in FILES {
        let name = format!("{file}.csv");
        let left = std::fs::read(a.path().join(&name)).unwrap();
        assert_eq!(left, std::fs::read(b.path().join(&name)).unwrap(), "{name}");
    }
    let (c, _) = generate(&DemoOptions {
        seed: SEED + 1,
        ..opts(60)
    });
    let persons = std::fs::read(a.path().join("persons.csv")).unwrap();
    assert_ne!(
        persons,
        std::fs::read(c.path().join("persons.csv")).unwrap()
    );
}

#[test]
fn citizen_ids_agree_with_persons_csv() {
    let opts = opts(400);
    let (dir, counts) = generate(&opts);
    let persons = read(dir.path(), "persons");
    assert_eq!(counts.persons, 400);
    let ids = citizen_ids(&opts, 400);
    assert_eq!(ids.len(), persons.len());
    assert_eq!(ids[0].as_str(), SHOWCASE_SSN);
    for (id, row) in ids.iter().zip(&persons) {
        let parsed = CitizenId::parse(&row[0]).unwrap();
        assert_eq!(&parsed, id);
        let gender = if &row[2] == "1" {
            Gender::Male
        } else {
            Gender::Female
        };
        assert_eq!(parsed.gender(), gender);
        assert_eq!(parsed.birth_date().to_string(), &row[4]);
    }
}

#[test]
fn a_citizen_does_not_depend_on_the_population_size() {
    let small = citizen_ids(&opts(5), 5);
    assert_eq!(small, citizen_ids(&opts(3000), 3000)[..5]);
    let (a, _) = generate(&opts(5));
    let (b, _) = generate(&opts(30));
    for file in FILES {
        let name = format!("{file}.csv");
        let few = std::fs::read(a.path().join(&name)).unwrap();
        let more = std::fs::read(b.path().join(&name)).unwrap();
        assert!(more.starts_with(&few), "{name}");
    }
}

#[test]
fn ids_are_distinct_and_valid_across_a_large_population() {
    let ids = citizen_ids(&opts(MAX_CITIZENS), 60_000);
    let distinct: HashSet<&str> = ids.iter().map(|id| id.as_str()).collect();
    assert_eq!(distinct.len(), ids.len());
    let today = opts(0).today;
    for id in &ids {
        let age = identity::age_on(id.birth_date(), today);
        assert!((18..=85).contains(&age), "{} is {age}", id.as_str());
    }
    let men = ids.iter().filter(|id| id.gender() == Gender::Male).count();
    assert!((27_000..33_000).contains(&men), "{men} men");
}

#[test]
fn too_many_citizens_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let err = write_csv(dir.path(), &opts(MAX_CITIZENS + 1)).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
}

#[test]
fn counts_match_the_files_and_the_population_is_plausible() {
    let (dir, counts) = generate(&opts(1500));
    let rows: HashMap<&str, Vec<csv::StringRecord>> =
        FILES.iter().map(|f| (*f, read(dir.path(), f))).collect();
    let file_counts = DemoCounts {
        persons: rows["persons"].len() as u64,
        cards: rows["cards"].len() as u64,
        enrolments: rows["enrolments"].len() as u64,
        contributions: rows["contributions"].len() as u64,
        benefits: rows["benefits"].len() as u64,
        employment: rows["employment"].len() as u64,
        deaths: rows["deaths"].len() as u64,
    };
    assert_eq!(counts, file_counts);
    assert_eq!(counts.persons, 1500);
    assert!(counts.cards >= counts.persons);

    let per_citizen = counts.contributions as f64 / 1500.0;
    assert!(
        (100.0..=250.0).contains(&per_citizen),
        "{per_citizen} contribution rows per citizen"
    );

    let values = |file: &str, column: usize| -> HashSet<String> {
        rows[file].iter().map(|r| r[column].to_string()).collect()
    };
    for insurance in Insurance::ALL {
        assert!(
            values("enrolments", 1).contains(insurance.code()),
            "{insurance}"
        );
        assert!(
            values("contributions", 1).contains(insurance.code()),
            "{insurance}"
        );
    }
    for status in ["paid", "arrears", "back_paid"] {
        assert!(values("contributions", 8).contains(status), "{status}");
    }
    for status in ["active", "suspended", "terminated"] {
        assert!(values("enrolments", 7).contains(status), "{status}");
    }
    for status in CardStatus::ALL {
        assert!(values("cards", 7).contains(status.code()), "{status}");
    }
    for spec in ["1.00", "2.00", "3.00"] {
        assert!(values("cards", 4).contains(spec), "{spec}");
    }
    // Basic pension and unemployment benefit; the planted cases (planted.rs) add injury
    // pensions and funeral grants.
    assert_eq!(
        values("benefits", 1).len(),
        4,
        "basic pension, unemployment benefit and the planted kinds"
    );
    assert!(
        !rows["deaths"].is_empty(),
        "the planted cases include deaths"
    );
    assert_eq!(
        values("employment", 1).len(),
        2,
        "employment and unemployment"
    );

    let card_numbers = values("cards", 0);
    assert_eq!(card_numbers.len(), rows["cards"].len());
    for card in &rows["cards"] {
        let (code, region) = (&card[2], &card[3]);
        assert!(
            code.starts_with(region) && code[6..].starts_with("D156000005"),
            "{code}"
        );
        let issued = &card[5];
        let year: i32 = issued[..4].parse().unwrap();
        let spec = &card[4];
        let expected: &[&str] = match year {
            ..=2013 => &["1.00", "2.00"],
            2014..=2020 => &["2.00"],
            _ => &["3.00"],
        };
        assert!(expected.contains(&spec), "{spec} card issued {issued}");
    }
    for row in &rows["contributions"] {
        // Rows without an employer are the fund paying an older claimant's own share (planted.rs).
        if matches!(&row[1], "enterprise_pension" | "institution_pension") && !row[7].is_empty() {
            let base = crate::domain::Fen::parse_yuan(&row[3]).unwrap().0;
            let employer = crate::domain::Fen::parse_yuan(&row[4]).unwrap().0;
            let personal = crate::domain::Fen::parse_yuan(&row[5]).unwrap().0;
            assert_eq!((employer, personal), (base * 16 / 100, base * 8 / 100));
        }
    }
}

fn import_all(opts: &DemoOptions) -> (crate::db::DbPool, tempfile::TempDir) {
    let (dir, counts) = generate(opts);
    let url = format!("sqlite://{}/t.db", dir.path().display());
    let pool = crate::db::open_pool(&url, 2).unwrap();
    let mut conn = pool.get().unwrap();
    let kinds = [
        (ImportKind::Persons, counts.persons),
        (ImportKind::Cards, counts.cards),
        (ImportKind::Enrolments, counts.enrolments),
        (ImportKind::Contributions, counts.contributions),
        (ImportKind::Benefits, counts.benefits),
        (ImportKind::Employment, counts.employment),
        (ImportKind::Deaths, counts.deaths),
    ];
    for (kind, rows) in kinds {
        let path = dir.path().join(format!("{}.csv", kind.name()));
        let request = ImportRequest {
            kind,
            path: &path,
            source: "demo",
            strict: true,
            progress: false,
            today: opts.today,
        };
        match import_file(&mut conn, &request) {
            Ok(ImportOutcome::Committed {
                rows_rejected: 0,
                rows_taken,
                ..
            }) => {
                assert_eq!(rows_taken, rows, "{}", kind.name());
            }
            other => panic!("{} was not imported cleanly: {other:?}", kind.name()),
        }
    }
    drop(conn);
    (pool, dir)
}

#[test]
fn the_importer_takes_every_row() {
    let opts = opts(300);
    let (pool, _dir) = import_all(&opts);
    let mut conn = pool.get().unwrap();
    let id = CitizenId::parse(SHOWCASE_SSN).unwrap();
    let record = crate::record::unified_record(&mut conn, &id)
        .unwrap()
        .unwrap();
    assert_eq!(record.person.name, SHOWCASE_NAME);
    let pension = record
        .insurances
        .iter()
        .find(|i| i.insurance == Insurance::EnterprisePension)
        .unwrap();
    assert!(pension.gap_months >= 5, "{} gap months", pension.gap_months);
    assert_eq!(pension.arrears_months, 1);
    assert!(record
        .cards
        .iter()
        .any(|c| c.spec_version == "2.00" && c.status == CardStatus::Active));
    assert!(!record.benefits.is_empty() && !record.employment.is_empty());
}

#[test]
fn the_importer_takes_every_row_on_awkward_days() {
    // A leap day before the 15th (last month's contributions not collected yet), and a day
    // before much of the showcase's history, which must then be left out.
    for today in [date(2024, 2, 29), date(2012, 1, 1)] {
        import_all(&DemoOptions { today, ..opts(120) });
    }
}

//! Property test of the import path on arbitrary files: whatever the bytes, the importer never
//! panics, every data row is either taken or reported, and a failed import leaves nothing behind.

mod common;
use common::*;
use proptest::prelude::*;
use sskiosk::import::{import_file, ImportKind, ImportOutcome, ImportRequest};

/// Field values that are close to valid as well as plain garbage, so that rows get past the
/// first checks often enough to exercise the later ones.
fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("440305198503150016".to_string()),
        Just("11010519491231002X".to_string()),
        Just("enterprise_pension".to_string()),
        Just("paid".to_string()),
        Just("arrears".to_string()),
        Just("2019-01".to_string()),
        Just("2019-02-15".to_string()),
        Just(String::new()),
        "[0-9]{1,6}(\\.[0-9]{1,3})?",
        "\\PC{0,12}",
        "[\",\n\r ]{1,3}",
    ]
}

fn contributions_file() -> impl Strategy<Value = Vec<u8>> {
    let row = prop::collection::vec(field(), 7..11).prop_map(|fields| {
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        w.write_record(&fields).unwrap();
        w.into_inner().unwrap()
    });
    (prop::collection::vec(row, 0..30), prop::collection::vec(any::<u8>(), 0..20), any::<bool>()).prop_map(
        |(rows, noise, add_noise)| {
            let mut bytes = b"ssn,insurance,period,base,employer_amount,personal_amount,paid_on,employer_code,status\n".to_vec();
            for r in rows {
                bytes.extend(r);
            }
            if add_noise {
                bytes.extend(noise);
            }
            bytes
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn any_file_is_taken_reported_or_refused_whole(bytes in contributions_file()) {
        let db = TestDb::sqlite();
        let pool = db.pool();
        let mut conn = pool.get().unwrap();
        let persons = ImportRequest {
            kind: ImportKind::Persons,
            path: &fixture("persons.csv"),
            source: "fuzz",
            strict: false,
            progress: false,
            today: chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
        };
        import_file(&mut conn, &persons).unwrap();
        let path = db.dir.path().join("contributions.csv");
        std::fs::write(&path, &bytes).unwrap();
        let request = ImportRequest { kind: ImportKind::Contributions, path: &path, ..persons };
        match import_file(&mut conn, &request) {
            Ok(ImportOutcome::Committed { rows_total, rows_taken, rows_rejected, .. }) => {
                prop_assert_eq!(rows_taken + rows_rejected, rows_total);
                prop_assert!(count(&db, "contributions") as u64 <= rows_taken);
            }
            Ok(ImportOutcome::AlreadyImported(_)) => prop_assert!(false, "fresh store"),
            Err(_) => {
                prop_assert_eq!(count(&db, "contributions"), 0);
                prop_assert_eq!(count(&db, "import_batches"), 1, "only the persons batch");
            }
        }
    }
}

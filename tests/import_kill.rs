//! A `kill -9` in the middle of an import leaves the store exactly as before the batch, on both
//! backends, and the same file then imports cleanly.

mod common;
use common::*;
use diesel::prelude::*;
use std::time::{Duration, Instant};

/// Whether the import process has written inside its still-open transaction.
fn import_is_writing(db: &TestDb) -> bool {
    match db.label {
        "sqlite" => {
            // Rows reach the write-ahead log once the import's 64 MiB page cache spills, which
            // 3,000 citizens' contributions (~650,000 rows) make certain: past 2 MB in the log,
            // a good part of the file has been written but nothing is committed.
            let wal = db.dir.path().join("store.db-wal");
            std::fs::metadata(wal)
                .map(|m| m.len() > 2 << 20)
                .unwrap_or(false)
        }
        _ => {
            #[derive(QueryableByName)]
            struct N {
                #[diesel(sql_type = diesel::sql_types::BigInt)]
                n: i64,
            }
            let mut conn = db.pool().get().unwrap();
            diesel::sql_query(
                "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() \
                 AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL AND query LIKE '%\"contributions\"%'",
            )
            .get_result::<N>(&mut *conn)
            .unwrap()
            .n
                > 0
        }
    }
}

#[test]
fn a_kill_during_import_leaves_the_store_as_before() {
    for db in TestDb::all() {
        let dir = db.dir.path().join("exports");
        let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
        let counts = sskiosk::demo::write_csv(
            &dir,
            &sskiosk::demo::DemoOptions {
                citizens: 3000,
                seed: 3,
                today,
            },
        )
        .unwrap();
        let persons = dir.join("persons.csv");
        let contributions = dir.join("contributions.csv");
        assert_status(
            &db.sskiosk(&[
                "import",
                "persons",
                persons.to_str().unwrap(),
                "--source",
                "t",
            ]),
            0,
            "persons",
        );
        let batches_before = count(&db, "import_batches");

        let mut child = db
            .command(&[
                "import",
                "contributions",
                contributions.to_str().unwrap(),
                "--source",
                "t",
            ])
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(300);
        while !import_is_writing(&db) {
            assert!(
                child.try_wait().unwrap().is_none(),
                "{}: the import ended before it could be killed",
                db.label
            );
            assert!(
                Instant::now() < deadline,
                "{}: the import never started writing",
                db.label
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();

        assert_eq!(
            count(&db, "contributions"),
            0,
            "{}: no row of the killed batch",
            db.label
        );
        assert_eq!(
            count(&db, "import_batches"),
            batches_before,
            "{}: no batch record",
            db.label
        );

        let again = db.sskiosk(&[
            "import",
            "contributions",
            contributions.to_str().unwrap(),
            "--source",
            "t",
        ]);
        assert_status(&again, 0, "the same file after the kill");
        assert_eq!(
            count(&db, "contributions") as u64,
            counts.contributions,
            "{}",
            db.label
        );
    }
}

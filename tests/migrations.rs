//! Migrations: the two backends' folders stay in step, and every migration can be undone and
//! redone on both real databases.

mod common;
use common::*;
use std::path::Path;

fn names(dir: &str) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(dir);
    let mut names: Vec<String> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn sqlite_and_postgres_migration_folders_have_identical_names() {
    let sqlite = names("sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, names("postgres"));
    for name in &sqlite {
        for backend in ["sqlite", "postgres"] {
            for file in ["up.sql", "down.sql"] {
                let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("migrations")
                    .join(backend)
                    .join(name)
                    .join(file);
                assert!(path.is_file(), "{} is missing", path.display());
            }
        }
    }
}

#[test]
fn migrations_round_trip_on_every_backend() {
    for db in TestDb::all() {
        let pool = db.pool();
        let mut conn = pool.get().unwrap();
        sskiosk::db::redo_all_migrations(&mut conn).unwrap_or_else(|e| panic!("{}: {e}", db.label));
        // Running again finds nothing to do.
        assert_eq!(
            sskiosk::db::run_migrations(&mut conn).unwrap(),
            0,
            "{}",
            db.label
        );
    }
}

#[test]
fn the_migrate_command_creates_the_sqlite_file_and_its_folder() {
    let db = TestDb::sqlite();
    let nested = db.dir.path().join("a/b/store.db");
    let out = db
        .command(&["migrate"])
        .env(
            "SSKIOSK__DATABASE__URL",
            format!("sqlite://{}", nested.display()),
        )
        .output()
        .unwrap();
    assert_status(&out, 0, "migrate");
    assert!(nested.is_file());
}

#[test]
fn an_unsupported_database_url_is_a_clear_error() {
    let db = TestDb::sqlite();
    let out = db
        .command(&["migrate"])
        .env("SSKIOSK__DATABASE__URL", "mysql://localhost/x")
        .output()
        .unwrap();
    assert_status(&out, 1, "mysql url");
    assert!(
        stderr(&out).contains("use sqlite://PATH"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_unknown_config_key_is_an_error() {
    let db = TestDb::sqlite();
    let out = db
        .command(&["migrate"])
        .env("SSKIOSK__DATABASE__URLL", "x")
        .output()
        .unwrap();
    assert_status(&out, 1, "unknown key");
    assert!(stderr(&out).contains("urll"), "{}", stderr(&out));
}

/// A second process (or the last connection of another pool, checkpointing as it closes) can hold
/// SQLite's lock for a moment while a pool opens. Opening must wait for it, not fail with
/// "database is locked": this once failed CI when the journal-mode pragma ran before the busy
/// timeout was set.
#[test]
fn opening_the_sqlite_store_waits_for_a_lock_held_elsewhere() {
    use diesel::connection::SimpleConnection;
    use diesel::Connection;
    let db = TestDb::sqlite();
    drop(db.pool());
    let path = db
        .url
        .strip_prefix("sqlite://")
        .unwrap_or(&db.url)
        .to_owned();
    let mut holder = diesel::SqliteConnection::establish(&path).unwrap();
    // In exclusive locking mode the first write keeps the lock until the connection closes, so
    // nobody else can even read meanwhile.
    holder
        .batch_execute(
            "PRAGMA busy_timeout = 10000; PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; \
             CREATE TABLE lock_probe (x INTEGER); COMMIT;",
        )
        .unwrap();
    let release = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(400));
        drop(holder);
    });
    let opened = sskiosk::db::open_pool(&db.url, 2);
    release.join().unwrap();
    let pool = opened.unwrap_or_else(|e| panic!("opening must wait for the lock: {e}"));
    pool.get().unwrap();
}

//! Test harness: real databases (a SQLite file in a temp folder, and a database of its own on the
//! PostgreSQL server named by SSKIOSK_TEST_POSTGRES_URL, dropped afterwards) and the real
//! `sskiosk` binary.
#![allow(dead_code)]

pub mod browser;
mod server;
pub mod terminal;
#[allow(unused_imports)]
pub use server::Served;

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const POSTGRES_ENV: &str = "SSKIOSK_TEST_POSTGRES_URL";

/// One isolated store on one backend.
pub struct TestDb {
    pub url: String,
    pub label: &'static str,
    /// Scratch folder of the test (SQLite file, CSV files, reject reports).
    pub dir: tempfile::TempDir,
    /// For PostgreSQL: the server URL and the database to drop afterwards.
    pg: Option<(String, String)>,
}

impl TestDb {
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("store.db").display());
        TestDb {
            url,
            label: "sqlite",
            dir,
            pg: None,
        }
    }

    /// A fresh database on the test PostgreSQL server, or `None` when the variable is unset.
    pub fn postgres() -> Option<TestDb> {
        let server = std::env::var(POSTGRES_ENV).ok().filter(|s| !s.is_empty())?;
        let name = format!("sskiosk_test_{}_{}", std::process::id(), unique());
        let mut admin = PgConnection::establish(&server).unwrap_or_else(|e| {
            panic!("{POSTGRES_ENV}={server} is set but PostgreSQL cannot be reached ({e}); start the server or unset the variable")
        });
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create test database");
        let url = replace_database(&server, &name);
        Some(TestDb {
            url,
            label: "postgres",
            dir: tempfile::tempdir().expect("temp dir"),
            pg: Some((server, name)),
        })
    }

    /// SQLite always, and PostgreSQL too when the test server is configured.
    pub fn all() -> Vec<TestDb> {
        let mut dbs = vec![TestDb::sqlite()];
        dbs.extend(TestDb::postgres());
        dbs
    }

    pub fn pool(&self) -> sskiosk::db::DbPool {
        sskiosk::db::open_pool(&self.url, 4).expect("open test store")
    }

    /// Runs `sskiosk ARGS` against this store with the built-in defaults otherwise.
    pub fn sskiosk(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run sskiosk")
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sskiosk"));
        cmd.args(args)
            .current_dir(self.dir.path())
            .env_remove("SSKIOSK_CONFIG")
            .env_remove("RUST_LOG")
            .env("SSKIOSK__DATABASE__URL", &self.url)
            .env("SSKIOSK__LOG__FILTER", "warn");
        cmd
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).expect("write test file");
        path
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((server, name)) = &self.pg {
            if let Ok(mut admin) = PgConnection::establish(server) {
                let _ =
                    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
    }
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    nanos * 1000 + NEXT.fetch_add(1, Ordering::Relaxed)
}

/// `postgres://user@host:port/db?x` with its database replaced by `name`.
fn replace_database(server: &str, name: &str) -> String {
    let (base, query) = server
        .split_once('?')
        .map(|(b, q)| (b, format!("?{q}")))
        .unwrap_or((server, String::new()));
    let after_scheme = base.find("://").map(|i| i + 3).unwrap_or(0);
    let root = match base[after_scheme..].find('/') {
        Some(i) => &base[..after_scheme + i],
        None => base,
    };
    format!("{root}/{name}{query}")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Exit status, with both streams in the panic message when it is not the expected one.
pub fn assert_status(o: &Output, expected: i32, what: &str) {
    assert_eq!(
        o.status.code(),
        Some(expected),
        "{what}: expected exit {expected}\nstdout:\n{}\nstderr:\n{}",
        stdout(o),
        stderr(o)
    );
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Number of rows in a table, through the library's own pool.
pub fn count(db: &TestDb, table: &str) -> i64 {
    use diesel::prelude::*;
    use diesel::sql_types::BigInt;
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let mut conn = db.pool().get().unwrap();
    diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
        .get_result::<N>(&mut *conn)
        .unwrap()
        .n
}

/// Imports the six fixture exports of tests/fixtures through the binary, each under the source
/// name `<kind>-system`.
pub fn load_fixtures(db: &TestDb) {
    for kind in [
        "persons",
        "cards",
        "enrolments",
        "contributions",
        "benefits",
        "employment",
    ] {
        let file = fixture(&format!("{kind}.csv"));
        let out = db.sskiosk(&[
            "import",
            kind,
            file.to_str().unwrap(),
            "--source",
            &format!("{kind}-system"),
        ]);
        assert_status(&out, 0, kind);
    }
}

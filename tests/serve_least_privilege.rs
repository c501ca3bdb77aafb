//! `serve` works under a PostgreSQL role without DDL rights (issue 13, review D2), with exactly
//! the grants of deploy/postgres-roles.sql: the owner migrates, the node signs staff in, looks
//! a citizen up and audits it, and cannot create a table or rewrite the audit log. On SQLite
//! (no roles) a node that was not migrated refuses to start, naming `sskiosk migrate`.

mod common;
mod staff_support;

use common::*;
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use serde_json::json;
use staff_support::*;

const ROLES: [&str; 4] = [
    "sskiosk_owner",
    "sskiosk_center",
    "sskiosk_replica",
    "sskiosk_reporting",
];

/// The roles of deploy/postgres-roles.sql under names of this test run (roles are shared by
/// the whole server), dropped again at the end.
struct Roles {
    suffix: String,
    db_url: String,
}

impl Roles {
    fn create(db: &TestDb) -> Roles {
        let suffix = format!("_t{}", std::process::id());
        let mut sql = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/deploy/postgres-roles.sql"
        ))
        .unwrap();
        for role in ROLES {
            sql = sql.replace(role, &format!("{role}{suffix}"));
        }
        let mut admin = PgConnection::establish(&db.url).unwrap();
        admin
            .batch_execute(&sql)
            .expect("deploy/postgres-roles.sql");
        Roles {
            suffix,
            db_url: db.url.clone(),
        }
    }

    fn name(&self, role: &str) -> String {
        format!("{role}{}", self.suffix)
    }

    /// The store's URL with another user.
    fn url_as(&self, role: &str) -> String {
        let (scheme, rest) = self.db_url.split_once("://").unwrap();
        let host = rest.split_once('@').map(|(_, h)| h).unwrap_or(rest);
        format!("{scheme}://{}@{host}", self.name(role))
    }
}

impl Drop for Roles {
    fn drop(&mut self) {
        if let Ok(mut admin) = PgConnection::establish(&self.db_url) {
            for role in ROLES {
                let _ = admin.batch_execute(&format!(
                    "DROP OWNED BY {0}; DROP ROLE IF EXISTS {0}",
                    self.name(role)
                ));
            }
        }
    }
}

#[test]
fn serve_runs_under_the_center_role_without_ddl_rights() {
    let Some(db) = TestDb::postgres() else {
        eprintln!("{POSTGRES_ENV} unset: PostgreSQL part skipped");
        return;
    };
    load_fixtures(&db);
    add_staff(&db, "clara", "clerk");
    let roles = Roles::create(&db);
    let center = roles.url_as("sskiosk_center");

    let server = Served::start_with(&db, &[("SSKIOSK__DATABASE__URL", &center)]);
    let (status, _) = server.get("/readyz");
    assert_eq!(status, 200);
    let clara = Client::login(&server.base, "clara");
    let (status, body) = clara.post(
        "/api/staff/lookup",
        json!({"purpose": "benefit_review", "ssn": LI}),
    );
    assert_eq!(status, 200, "{body}");
    assert!(audit(&db, "record.view")
        .iter()
        .any(|e| e.actor == "staff:clara"));
    server.stop();

    let mut node = PgConnection::establish(&center).unwrap();
    for refused in [
        "CREATE TABLE intruder (i integer)",
        "UPDATE audit_log SET result = 'edited'",
        "DELETE FROM audit_log",
        "ALTER TABLE staff ADD COLUMN x integer",
        "DELETE FROM __diesel_schema_migrations",
    ] {
        let err = node.batch_execute(refused).unwrap_err().to_string();
        assert!(
            err.contains("permission denied") || err.contains("must be owner"),
            "{refused}: {err}"
        );
    }
    let mut replica = PgConnection::establish(&roles.url_as("sskiosk_replica")).unwrap();
    replica
        .batch_execute("SELECT count(*) FROM persons")
        .unwrap();
    assert!(replica.batch_execute("DELETE FROM staff_sessions").is_err());
    let mut reporting = PgConnection::establish(&roles.url_as("sskiosk_reporting")).unwrap();
    reporting
        .batch_execute("SELECT count(*) FROM contributions")
        .unwrap();
    assert!(reporting
        .batch_execute("SELECT password_hash FROM staff")
        .is_err());
}

#[test]
fn serve_refuses_a_store_that_was_not_migrated() {
    let db = TestDb::sqlite();
    let out = db
        .command(&["serve"])
        .env("SSKIOSK__SERVER__BIND", "127.0.0.1:0")
        .output()
        .unwrap();
    assert_status(&out, 1, "serve on an empty store");
    assert!(stderr(&out).contains("sskiosk migrate"), "{}", stderr(&out));
}

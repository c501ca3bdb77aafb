//! The store always keeps one enabled admin (issue 13, review D9), in the browser, on the
//! command line, and when two admins demote each other at once; `sskiosk staff role` changes a
//! role from the command line.

mod common;
mod staff_support;

use common::*;
use serde_json::json;
use staff_support::*;

#[test]
fn the_last_enabled_admin_can_neither_demote_nor_disable_itself() {
    for db in TestDb::all() {
        add_staff(&db, "ada", "admin");
        add_staff(&db, "ben", "admin");
        let server = Served::start(&db);
        let ada = Client::login(&server.base, "ada");
        let ben = Client::login(&server.base, "ben");
        let (status, body) = ben.post("/api/staff/accounts/ben/role", json!({"role": "clerk"}));
        assert_eq!(status, 200, "{}: another admin remains: {body}", db.label);

        let (status, body) = ada.post(
            "/api/staff/accounts/ada/role",
            json!({"role": "supervisor"}),
        );
        assert_eq!((status, code(&body)), (409, "last_admin"), "{}", db.label);
        let (status, body) = ada.post(
            "/api/staff/accounts/ada/disabled",
            json!({"disabled": true}),
        );
        assert_eq!((status, code(&body)), (409, "last_admin"), "{}", db.label);
        let out = db.sskiosk(&["staff", "role", "ada", "clerk"]);
        assert_status(&out, 2, "the command line keeps the last admin too");
        assert!(
            stderr(&out).contains("last enabled admin"),
            "{}",
            stderr(&out)
        );
        let out = db.sskiosk(&["staff", "disable", "--username", "ada"]);
        assert_status(&out, 2, "nor disables it");
        assert!(audit(&db, "staff.disable").is_empty());

        // The command line restores a role; then ada may step down.
        let out = db.sskiosk(&["staff", "role", "ben", "admin"]);
        assert_status(&out, 0, "staff role");
        assert!(
            stdout(&out).contains("ben is now admin"),
            "{}",
            stdout(&out)
        );
        let (status, _) = ada.post("/api/staff/accounts/ada/role", json!({"role": "clerk"}));
        assert_eq!(status, 200, "{}", db.label);
        let roles: Vec<_> = audit(&db, "staff.role")
            .into_iter()
            .filter_map(|e| e.detail)
            .collect();
        assert_eq!(roles.len(), 3, "{}: {roles:?}", db.label);
    }
}

#[test]
fn two_admins_demoting_each_other_at_once_leave_one_admin() {
    use sskiosk::staff::{account, Role};
    for db in TestDb::all() {
        add_staff(&db, "ada", "admin");
        add_staff(&db, "ben", "admin");
        let pool = sskiosk::db::open_pool(&db.url, 4).unwrap();
        let start = std::sync::Arc::new(std::sync::Barrier::new(2));
        let demote = |name: &'static str| {
            let (pool, start) = (pool.clone(), start.clone());
            std::thread::spawn(move || {
                let mut conn = pool.get().unwrap();
                start.wait();
                let now = chrono::Utc::now().naive_utc();
                account::set_role(&mut conn, name, Role::Clerk, "cli:test", now).is_ok()
            })
        };
        let (a, b) = (demote("ada"), demote("ben"));
        let done = [a.join().unwrap(), b.join().unwrap()];
        assert_eq!(
            done.iter().filter(|d| **d).count(),
            1,
            "{}: {done:?}",
            db.label
        );
        let mut conn = pool.get().unwrap();
        let admins = account::list(&mut conn)
            .unwrap()
            .into_iter()
            .filter(|s| s.role() == Role::Admin && !s.disabled)
            .count();
        assert_eq!(admins, 1, "{}", db.label);
    }
}

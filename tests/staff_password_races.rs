//! Passwords that count (issue 13, review D3/D4/D10), on SQLite and PostgreSQL: simultaneous
//! logins never get more checks than the lockout allows, the address limit holds under a burst
//! and is audited once, a wrong current password counts like a wrong login, and a locked name
//! without an account answers like a locked account.

mod common;

use chrono::NaiveDateTime;
use common::TestDb;
use sskiosk::db::{DbConn, DbPool};
use sskiosk::staff::account::{self, NewStaff, PasswordChange};
use sskiosk::staff::login::{login, LoginRules};
use sskiosk::staff::{Role, StaffError};
use std::sync::{Arc, Barrier};

const PASSWORD: &str = "race-test-password-1";

fn now() -> NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

fn rules() -> LoginRules {
    let mut c = sskiosk::config::Config::load(None).unwrap().staff;
    c.lockout_after = 5;
    c.address_failures_per_window = 20;
    LoginRules::from_config(&c)
}

fn add(conn: &mut DbConn, username: &str) -> sskiosk::staff::Staff {
    let new = NewStaff {
        username: username.into(),
        display_name: username.into(),
        window_no: None,
        role: Role::Clerk,
        password: PASSWORD.into(),
        must_change_password: false,
    };
    account::create(conn, &new, 12, "cli:test", now()).unwrap()
}

/// Audit entries of `action` with `result`.
fn audited(db: &TestDb, action: &str, result: &str) -> i64 {
    common::count(
        db,
        &format!("audit_log WHERE action = '{action}' AND result = '{result}'"),
    )
}

/// One attempt of a burst, run on its own connection.
type Job<T> = Box<dyn FnOnce(&mut DbConn) -> T + Send>;

/// Runs `attempts` at once, one connection and thread each (the pool must hold that many);
/// returns their outcomes in order.
fn burst<T: Send + 'static>(pool: &DbPool, attempts: Vec<Job<T>>) -> Vec<T> {
    let start = Arc::new(Barrier::new(attempts.len()));
    let threads: Vec<_> = attempts
        .into_iter()
        .map(|attempt| {
            let (pool, start) = (pool.clone(), start.clone());
            std::thread::spawn(move || {
                let mut conn = pool.get().unwrap();
                start.wait();
                attempt(&mut conn)
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join().unwrap()).collect()
}

/// `n` logins for `username` from one address at once, the right password at the positions of
/// `right`; the outcomes in order.
fn login_burst(
    pool: &DbPool,
    username: &'static str,
    n: usize,
    right: &[usize],
) -> Vec<Result<(), StaffError>> {
    let rules = rules();
    let attempts: Vec<Job<Result<(), StaffError>>> = (0..n)
        .map(|i| {
            let rules = rules.clone();
            let password = if right.contains(&i) {
                PASSWORD
            } else {
                "wrong-password-123"
            };
            Box::new(move |conn: &mut DbConn| {
                login(conn, username, password, "10.0.0.63", &rules, now()).map(|_| ())
            }) as Job<Result<(), StaffError>>
        })
        .collect();
    burst(pool, attempts)
}

fn locked(outcomes: &[Result<(), StaffError>]) -> usize {
    outcomes
        .iter()
        .filter(|o| matches!(o, Err(StaffError::Locked { .. })))
        .count()
}

#[test]
fn a_burst_of_wrong_logins_gets_no_more_checks_than_the_lockout_allows() {
    for db in TestDb::all() {
        let pool = sskiosk::db::open_pool(&db.url, 24).unwrap();
        add(&mut pool.get().unwrap(), "victim");
        let outcomes = login_burst(&pool, "victim", 20, &[]);
        let checked = audited(&db, "staff.login", "failed");
        assert_eq!(checked, 5, "{}: {outcomes:?}", db.label);
        assert_eq!(
            locked(&outcomes),
            16,
            "{}: the fifth failure and the 15 refused",
            db.label
        );
        // The right password after the burst is refused, from any address.
        let after = login(
            &mut pool.get().unwrap(),
            "victim",
            PASSWORD,
            "10.0.0.64",
            &rules(),
            now(),
        );
        assert!(
            matches!(after, Err(StaffError::Locked { .. })),
            "{}",
            db.label
        );
    }
}

#[test]
fn a_success_inside_a_burst_does_not_open_it_to_more_guesses() {
    for db in TestDb::all() {
        let pool = sskiosk::db::open_pool(&db.url, 24).unwrap();
        add(&mut pool.get().unwrap(), "victim");
        let outcomes = login_burst(&pool, "victim", 20, &[0, 19]);
        let wrong_checked = audited(&db, "staff.login", "failed");
        // Whatever came before a success was reset by it (the caller knew the password); what
        // was reserved after it is counted, so at most four before and five after.
        assert!(
            wrong_checked <= 9,
            "{}: {wrong_checked} checked: {outcomes:?}",
            db.label
        );
        assert!(locked(&outcomes) >= 9, "{}: {outcomes:?}", db.label);
    }
}

#[test]
fn an_address_burst_stops_at_its_limit_and_is_audited_once() {
    for db in TestDb::all() {
        let pool = sskiosk::db::open_pool(&db.url, 30).unwrap();
        let rules = rules();
        let attempts: Vec<Job<Result<(), StaffError>>> = (0..30)
            .map(|i| {
                let rules = rules.clone();
                Box::new(move |conn: &mut DbConn| {
                    let name = format!("nobody{i}");
                    login(
                        conn,
                        &name,
                        "wrong-password-123",
                        "10.0.0.77",
                        &rules,
                        now(),
                    )
                    .map(|_| ())
                }) as Job<Result<(), StaffError>>
            })
            .collect();
        let outcomes = burst(&pool, attempts);
        let limited = outcomes
            .iter()
            .filter(|o| matches!(o, Err(StaffError::RateLimited { .. })))
            .count();
        assert_eq!(limited, 10, "{}: {outcomes:?}", db.label);
        assert_eq!(audited(&db, "staff.login", "failed"), 20, "{}", db.label);
        assert_eq!(
            audited(&db, "staff.login", "rate_limited"),
            1,
            "{}",
            db.label
        );
        // More refusals in the same window add no audit entry.
        let again = login(
            &mut pool.get().unwrap(),
            "x",
            "y-y-y-y-y-y-y",
            "10.0.0.77",
            &rules,
            now(),
        );
        assert!(matches!(again, Err(StaffError::RateLimited { .. })));
        assert_eq!(
            audited(&db, "staff.login", "rate_limited"),
            1,
            "{}",
            db.label
        );
    }
}

#[test]
fn wrong_current_passwords_count_toward_the_lockout_and_are_audited() {
    for db in TestDb::all() {
        let pool = sskiosk::db::open_pool(&db.url, 8).unwrap();
        let mut conn = pool.get().unwrap();
        let rules = rules();
        let me = add(&mut conn, "clerk");
        let change = |current| PasswordChange {
            current,
            new: "a-new-password-99",
            min_length: 12,
            keep: "no-session",
            address: "10.0.0.5",
        };
        let mut outcomes = Vec::new();
        for _ in 0..6 {
            outcomes.push(account::change_own_password(
                &mut conn,
                &me,
                &change("wrong-password-123"),
                &rules,
                now(),
            ));
        }
        assert!(outcomes[..4]
            .iter()
            .all(|o| matches!(o, Err(StaffError::WrongCurrentPassword))));
        assert!(
            outcomes[4..]
                .iter()
                .all(|o| matches!(o, Err(StaffError::Locked { .. }))),
            "{outcomes:?}"
        );
        assert_eq!(
            audited(&db, "staff.password", "wrong_password"),
            5,
            "{}",
            db.label
        );
        // The right one is refused now, at the password change and at the login.
        let right = account::change_own_password(&mut conn, &me, &change(PASSWORD), &rules, now());
        assert!(matches!(right, Err(StaffError::Locked { .. })), "{right:?}");
        let signed = login(&mut conn, "clerk", PASSWORD, "10.0.0.6", &rules, now()).map(|_| ());
        assert!(
            matches!(signed, Err(StaffError::Locked { .. })),
            "{signed:?}"
        );
    }
}

#[test]
fn a_locked_unknown_name_answers_like_a_locked_account() {
    for db in TestDb::all() {
        let pool = sskiosk::db::open_pool(&db.url, 8).unwrap();
        let mut conn = pool.get().unwrap();
        let rules = rules();
        add(&mut conn, "clerk2");
        let answers = |conn: &mut DbConn, name: &str| -> Vec<String> {
            (0..7)
                .map(
                    |_| match login(conn, name, "wrong-password-123", "10.0.0.9", &rules, now()) {
                        Err(StaffError::Locked { .. }) => "locked".to_string(),
                        other => format!("{:?}", other.map(|_| ())),
                    },
                )
                .collect()
        };
        let real = answers(&mut conn, "clerk2");
        let ghost = answers(&mut conn, "ghost");
        assert_eq!(real, ghost, "{}", db.label);
        assert_eq!(real[4..], ["locked", "locked", "locked"], "{}", db.label);
    }
}

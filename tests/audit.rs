//! The audit log's hash chain on both real databases: concurrent appenders keep one gap-free
//! chain, and a row edited, removed or cut off behind the application's back is found.

mod common;
use common::*;
use diesel::connection::SimpleConnection;
use sskiosk::audit::{append, verify_chain, ChainReport, NewEntry};

fn entry(i: usize) -> NewEntry {
    NewEntry {
        actor: format!("staff:clerk{}", i % 8),
        action: "record.view".into(),
        subject_ssn: Some("440305198503150016".into()),
        purpose: Some("citizen_request".into()),
        result: "ok".into(),
        detail: None,
    }
}

fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

#[test]
fn eight_concurrent_appenders_keep_one_gap_free_chain() {
    for db in TestDb::all() {
        let pool = db.pool();
        std::thread::scope(|s| {
            for writer in 0..8 {
                let pool = pool.clone();
                s.spawn(move || {
                    let mut conn = pool.get().unwrap();
                    for i in 0..25 {
                        append(&mut conn, &entry(writer * 100 + i), now()).unwrap();
                    }
                });
            }
        });
        let mut conn = pool.get().unwrap();
        assert_eq!(
            verify_chain(&mut conn).unwrap(),
            ChainReport::Intact { entries: 200 },
            "{}",
            db.label
        );
        assert_eq!(count(&db, "audit_log"), 200);
    }
}

#[test]
fn an_edited_removed_or_cut_off_entry_is_found() {
    for db in TestDb::all() {
        let pool = db.pool();
        let mut conn = pool.get().unwrap();
        for i in 0..10 {
            append(&mut conn, &entry(i), now()).unwrap();
        }
        conn.batch_execute("UPDATE audit_log SET subject_ssn = '11010519491231002X' WHERE seq = 5")
            .unwrap();
        match verify_chain(&mut conn).unwrap() {
            ChainReport::Broken { seq, reason } => {
                assert_eq!(seq, 5, "{}", db.label);
                assert!(reason.contains("changed"), "{reason}");
            }
            other => panic!("{}: tampering not found: {other:?}", db.label),
        }

        conn.batch_execute("DELETE FROM audit_log WHERE seq = 5")
            .unwrap();
        assert!(
            matches!(
                verify_chain(&mut conn).unwrap(),
                ChainReport::Broken { seq: 5, .. }
            ),
            "{}",
            db.label
        );

        conn.batch_execute("DELETE FROM audit_log WHERE seq >= 5")
            .unwrap();
        match verify_chain(&mut conn).unwrap() {
            ChainReport::Broken { seq, reason } => {
                assert_eq!(seq, 5);
                assert!(reason.contains("10 entries were written"), "{reason}");
            }
            other => panic!("{}: truncation not found: {other:?}", db.label),
        }
    }
}

#[test]
fn the_audit_verify_command_reports_by_exit_status() {
    let db = TestDb::sqlite();
    let pool = db.pool();
    let mut conn = pool.get().unwrap();
    for i in 0..3 {
        append(&mut conn, &entry(i), now()).unwrap();
    }
    let out = db.sskiosk(&["audit", "verify"]);
    assert_status(&out, 0, "intact log");
    assert!(stdout(&out).contains("3 entries"), "{}", stdout(&out));

    conn.batch_execute("UPDATE audit_log SET actor = 'staff:someone-else' WHERE seq = 2")
        .unwrap();
    let out = db.sskiosk(&["audit", "verify"]);
    assert_status(&out, 6, "tampered log");
    assert!(
        stderr(&out).contains("broken at entry 2"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn search_filters_by_subject_actor_prefix_and_action_newest_first() {
    use sskiosk::audit::{search, Filter};
    for db in TestDb::all() {
        let pool = db.pool();
        let mut conn = pool.get().unwrap();
        let mut add = |actor: &str, action: &str, ssn: &str| {
            let mut e = entry(0);
            e.actor = actor.into();
            e.action = action.into();
            e.subject_ssn = Some(ssn.into());
            append(&mut conn, &e, now()).unwrap()
        };
        add("staff:wang_li", "record.view", "440305198503150016");
        add(
            "kiosk:Virtual PCD 00 00",
            "record.view",
            "440305198503150016",
        );
        add("staff:wang_li", "certificate.issue", "310115199007040026");
        add("staffer", "record.view", "440305198503150016");
        let mut conn = pool.get().unwrap();
        let mine = search(
            &mut conn,
            &Filter {
                subject_ssn: Some("440305198503150016".into()),
                limit: 50,
                ..Filter::default()
            },
        )
        .unwrap();
        let seqs: Vec<i64> = mine.iter().map(|e| e.seq).collect();
        assert_eq!(seqs, vec![4, 2, 1], "{}", db.label);
        let staff_views = search(
            &mut conn,
            &Filter {
                actor: Some("staff:".into()),
                action: Some("record.".into()),
                limit: 50,
                ..Filter::default()
            },
        )
        .unwrap();
        assert_eq!(
            staff_views.len(),
            1,
            "{}: `staffer` is not under `staff:`",
            db.label
        );
        assert_eq!(staff_views[0].actor, "staff:wang_li");
        let exact = search(
            &mut conn,
            &Filter {
                actor: Some("staff:wang_li".into()),
                before_seq: Some(3),
                limit: 50,
                ..Filter::default()
            },
        )
        .unwrap();
        assert_eq!(exact.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![1]);
    }
}

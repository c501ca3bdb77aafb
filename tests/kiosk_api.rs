//! The kiosk API against a real `sskiosk serve`, the real pcscd with the virtual card, on SQLite
//! and PostgreSQL: sessions follow the card, and every kind of bad input of issue 5 (forged,
//! replayed and foreign tokens, non-local clients, a second card, a page left open) is refused.

mod common;
mod kiosk_support;
#[path = "common/pcscd.rs"]
mod pcscd;

use common::*;
use kiosk_support::*;
use serde_json::Value;

#[test]
fn a_card_opens_a_session_whose_token_alone_reads_the_record_until_the_card_leaves() {
    let _bench = Bench::new();
    for db in TestDb::all() {
        load_fixtures(&db);
        let s = serve(&db, SLOT0, &[]);
        let card = insert(0, &card_of(&db, LI));
        let token = session_token(&s);
        assert_eq!(token.len(), 64);
        // The snapshot never carries the token (review D6): only the event stream does.
        let (_, plain) = call(&s, "GET", "/api/kiosk/state", None, None);
        assert_eq!(
            (&plain["screen"], &plain["token"]),
            (&serde_json::json!("session"), &Value::Null)
        );

        // No token, a forged one, a malformed header: 401 in the one error shape.
        assert_error(
            &call(&s, "GET", "/api/kiosk/record", None, None),
            401,
            "kiosk_session_required",
        );
        let forged = "ab".repeat(32);
        assert_error(
            &get(&s, "/api/kiosk/record", &forged),
            401,
            "kiosk_session_ended",
        );
        assert_error(
            &get(&s, "/api/kiosk/record", "x"),
            401,
            "kiosk_session_ended",
        );

        // The right person and figures: the same as the unified record the store assembles.
        let (status, overview) = get(&s, "/api/kiosk/record", &token);
        assert_eq!(status, 200, "{overview}");
        assert_eq!(overview["name"], "李建国");
        assert_eq!(overview["ssn_masked"], "4403**********0016");
        assert_eq!(overview["card"]["status"], "active");
        let record = {
            let mut conn = db.pool().get().unwrap();
            sskiosk::record::unified_record(
                &mut conn,
                &sskiosk::domain::CitizenId::parse(LI).unwrap(),
            )
            .unwrap()
            .unwrap()
        };
        let shown = overview["insurances"].as_array().unwrap();
        assert_eq!(shown.len(), record.insurances.len());
        for (s, r) in shown.iter().zip(&record.insurances) {
            assert_eq!(s["insurance"], r.insurance.code());
            assert_eq!(s["months_paid"], r.months_paid);
            assert_eq!(s["gap_months"], r.gap_months);
            assert_eq!(
                s["last_paid_month"].as_str(),
                r.last_paid_month.map(|m| m.to_string()).as_deref()
            );
        }
        assert!(!overview.to_string().contains(LI), "full ID number shown");
        // What only the unified record can tell: the retirement outlook, in the citizen's words.
        let outlook: Vec<&str> = overview["outlook_zh"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        if let Some(sskiosk::domain::pension_projection::PensionProjection::Computed {
            answers,
            ..
        }) = &record.pension_projection
        {
            for a in answers {
                assert!(
                    outlook.contains(&a.wording_zh.as_str()),
                    "{outlook:?} lacks {}",
                    a.wording_zh
                );
            }
            assert!(!answers.is_empty());
        }

        // Detail by insurance and year; a bad insurance code is a 422 naming the codes.
        let first = &shown[0];
        let year = first["years"].as_array().unwrap().last().unwrap().clone();
        let (status, grid) = get(
            &s,
            &format!(
                "/api/kiosk/contributions?insurance={}&year={year}",
                first["insurance"].as_str().unwrap()
            ),
            &token,
        );
        assert_eq!(status, 200, "{grid}");
        assert_eq!(grid["months"].as_array().unwrap().len(), 12);
        assert!(grid["months"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["status"] != "none"));
        // 李建国's pension in 2019 (fixtures): paid Jan, Feb, Jun, back-paid May, arrears in
        // March, a gap in April, July and August, not insured after the enrolment ended.
        let (_, pension) = get(
            &s,
            "/api/kiosk/contributions?insurance=enterprise_pension&year=2019",
            &token,
        );
        let states: Vec<&str> = pension["months"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["status"].as_str().unwrap())
            .collect();
        assert_eq!(
            states,
            [
                "paid",
                "paid",
                "arrears",
                "gap",
                "back_paid",
                "paid",
                "gap",
                "gap",
                "none",
                "none",
                "none",
                "none"
            ]
        );
        assert_eq!(pension["total_personal"], "1600.00", "arrears are not paid");
        // The year strip marks the years with a gap or arrears.
        assert_eq!(pension["years_with_gaps"], serde_json::json!([2019]));
        assert_eq!(pension["years_with_arrears"], serde_json::json!([2019]));
        let bad = get(&s, "/api/kiosk/contributions?insurance=nope", &token);
        assert_error(&bad, 422, "invalid_insurance");
        for path in [
            "/api/kiosk/benefits",
            "/api/kiosk/employment",
            "/api/kiosk/card",
        ] {
            let (status, body) = get(&s, path, &token);
            assert_eq!(status, 200, "{path}: {body}");
        }

        // Every look is in the audit log under this kiosk, and the citizen sees their own log.
        let trail = audit_of(&db, LI);
        assert!(trail.len() >= 5, "{trail:?}");
        assert!(trail.iter().all(|e| e.actor == format!("kiosk:{}", s.name)
            && e.action == "record.view"
            && e.purpose.as_deref() == Some("citizen_self_service")));
        let (status, log) = get(&s, "/api/kiosk/access-log", &token);
        assert_eq!(status, 200);
        // One visit's own views are one line, counted, in Chinese and the bureau's time.
        let entries = log["entries"].as_array().unwrap();
        assert_eq!(entries.len(), 1, "{log}");
        assert_eq!(entries[0]["count"], trail.len() + 1);
        assert_eq!(
            entries[0]["action_zh"],
            format!("本人自助查询 {} 次", trail.len() + 1)
        );
        assert!(entries[0]["at_local"].as_str().unwrap().contains('年'));
        assert!(entries.iter().all(|e| e["who_kind"] == "kiosk"));
        assert!(!log.to_string().contains(WANG));

        // The card leaves: the token is dead, and a replay of it stays dead after re-insertion.
        card.remove();
        wait_state(&s, "the start screen", |v| v["screen"] == "ready");
        assert!(wait_state(&s, "no token", |v| v["token"].is_null())["token"].is_null());
        assert_error(
            &get(&s, "/api/kiosk/record", &token),
            401,
            "kiosk_session_ended",
        );
        let again = insert(0, &card_of(&db, LI));
        let second = session_token(&s);
        assert_ne!(second, token);
        assert_error(
            &get(&s, "/api/kiosk/record", &token),
            401,
            "kiosk_session_ended",
        );
        assert_eq!(get(&s, "/api/kiosk/card", &second).0, 200);

        // Logout ends the session with the card still in; "start again" opens a new one.
        assert_eq!(
            call(&s, "POST", "/api/kiosk/end", Some(&second), None).0,
            204
        );
        let v = wait_state(&s, "ended", |v| v["screen"] == "ended");
        assert_eq!(v["ended"], "logout");
        assert_error(
            &get(&s, "/api/kiosk/card", &second),
            401,
            "kiosk_session_ended",
        );
        assert_eq!(call(&s, "POST", "/api/kiosk/restart", None, None).0, 200);
        let third = session_token(&s);
        assert_ne!(third, second);
        drop(again);
        wait_state(&s, "the start screen", |v| v["screen"] == "ready");
        assert_error(
            &call(&s, "POST", "/api/kiosk/restart", None, None),
            409,
            "kiosk_nothing_to_restart",
        );
    }
}

#[test]
fn the_event_stream_carries_the_token_on_insertion_and_drops_it_on_removal() {
    let _bench = Bench::new();
    let db = TestDb::sqlite();
    load_fixtures(&db);
    let s = serve(&db, SLOT0, &[]);
    let url = format!("{}/api/kiosk/events", s.base);
    let (tx, rx) = std::sync::mpsc::channel::<Value>();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            use futures_util::StreamExt;
            let mut res = awc::Client::default().get(url).send().await.unwrap();
            assert_eq!(
                res.headers().get("content-type").unwrap(),
                "text/event-stream"
            );
            let mut buffer = String::new();
            while let Some(Ok(chunk)) = res.next().await {
                buffer.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(end) = buffer.find("\n\n") {
                    let frame: String = buffer.drain(..end + 2).collect();
                    if let Some(data) = frame.lines().find_map(|l| l.strip_prefix("data: ")) {
                        if tx.send(serde_json::from_str(data).unwrap()).is_err() {
                            return;
                        }
                    }
                }
            }
        })
    });
    let next = |want: &str| loop {
        let v = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .unwrap_or_else(|_| panic!("no {want} event"));
        if v["screen"] == want {
            return v;
        }
        assert!(v["token"].is_null() || v["screen"] == "session", "{v}");
    };
    assert!(next("ready")["token"].is_null());
    let card = insert(0, &card_of(&db, LI));
    let pin = next("pin");
    assert!(pin["token"].is_null(), "no token before the PIN: {pin}");
    let (status, _) = call(
        &s,
        "POST",
        "/api/kiosk/pin",
        None,
        Some(serde_json::json!({"pin": PIN})),
    );
    assert_eq!(status, 200);
    let v = next("session");
    assert_eq!(v["reader"], SLOT0);
    assert_eq!(v["token"].as_str().unwrap().len(), 64);
    assert!(v["card_read_us"].as_u64().unwrap() > 0);
    card.remove();
    assert!(next("ready")["token"].is_null());
}

#[test]
fn a_second_card_ends_the_open_session_and_opens_none() {
    let _bench = Bench::new();
    let db = TestDb::sqlite();
    load_fixtures(&db);
    let s = serve(&db, "Virtual PCD", &[]);
    wait_state(&s, "both readers", |v| {
        v["readers"].as_array().unwrap().len() == 2
    });
    let first = insert(0, &card_of(&db, LI));
    let token = session_token(&s);
    let second = insert(1, &card_of(&db, WANG));
    let v = wait_state(&s, "two cards", |v| v["screen"] == "multiple_cards");
    assert!(v["token"].is_null());
    assert_error(
        &get(&s, "/api/kiosk/record", &token),
        401,
        "kiosk_session_ended",
    );
    // The first card's owner leaves: the second card still opens nothing until inserted alone.
    first.remove();
    let v = wait_state(&s, "one card", |v| {
        v["readers"].is_array() && v["reader"].is_string()
    });
    assert_eq!(v["screen"], "multiple_cards");
    assert!(v["token"].is_null());
    second.remove();
    wait_state(&s, "the start screen", |v| v["screen"] == "ready");
    let _again = insert(1, &card_of(&db, WANG));
    let token = session_token(&s);
    assert_eq!(get(&s, "/api/kiosk/record", &token).1["name"], "王秀英");
}

#[test]
fn an_idle_session_ends_and_a_page_left_open_overnight_gets_401() {
    let _bench = Bench::new();
    let db = TestDb::sqlite();
    load_fixtures(&db);
    let s = serve(
        &db,
        SLOT0,
        &[
            ("SSKIOSK__KIOSK__IDLE_TIMEOUT_SECONDS", "2"),
            ("SSKIOSK__KIOSK__WARNING_SECONDS", "1"),
        ],
    );
    let _card = insert(0, &card_of(&db, LI));
    let token = session_token(&s);
    assert_eq!(get(&s, "/api/kiosk/card", &token).0, 200);
    let v = wait_state(&s, "the idle end", |v| v["screen"] == "ended");
    assert_eq!(v["ended"], "idle");
    assert!(v["token"].is_null());
    assert_error(
        &get(&s, "/api/kiosk/record", &token),
        401,
        "kiosk_session_ended",
    );
    assert_error(
        &call(&s, "POST", "/api/kiosk/continue", Some(&token), None),
        401,
        "kiosk_session_ended",
    );
    // The idle end was audited nowhere as a look: no data was read after the last call.
    let looks = audit_of(&db, LI).len();
    assert_eq!(looks, 1);
}

#[test]
fn refused_cards_get_no_session_and_say_why() {
    let _bench = Bench::new();
    let db = TestDb::sqlite();
    load_fixtures(&db);
    let s = serve(&db, SLOT0, &[]);
    let cases: Vec<(&str, sskiosk::card::virtual_card::CardProfile, &str)> = vec![
        ("expired card", fixture_card("expired.json"), "expired"),
        (
            "unknown person",
            fixture_card("zhang-san-2.00.json"),
            "unknown_person",
        ),
        (
            "card reported temporarily lost",
            card_of(&db, CHEN),
            "card_temp_lost",
        ),
        (
            "card not the one on record",
            {
                let mut p = card_of(&db, LI);
                p.card_no = "A99999999".into();
                p
            },
            "card_not_registered",
        ),
    ];
    for (what, profile, reason) in cases {
        let card = insert(0, &profile);
        let v = wait_state(&s, what, |v| v["screen"] == "refused");
        assert_eq!(v["reason"], reason, "{what}: {v}");
        assert!(v["token"].is_null(), "{what}");
        assert_eq!(v["help_desk"], "1号综合服务窗口");
        card.remove();
        wait_state(&s, "the start screen", |v| v["screen"] == "ready");
    }
    assert!(audit_of(&db, CHEN).is_empty());

    // A card reported lost at a window while its session is open stops working at once.
    let card = insert(0, &card_of(&db, LI));
    let token = session_token(&s);
    assert_eq!(get(&s, "/api/kiosk/card", &token).0, 200);
    {
        use diesel::RunQueryDsl;
        let mut conn = db.pool().get().unwrap();
        diesel::sql_query("UPDATE cards SET status = 'lost' WHERE card_no = 'A12345678'")
            .execute(&mut *conn)
            .unwrap();
    }
    assert_error(
        &get(&s, "/api/kiosk/record", &token),
        401,
        "kiosk_card_blocked",
    );
    let v = wait_state(&s, "the lost card screen", |v| v["screen"] == "refused");
    assert_eq!(v["reason"], "card_lost");
    assert_error(
        &get(&s, "/api/kiosk/card", &token),
        401,
        "kiosk_session_ended",
    );
    card.remove();
    wait_state(&s, "the start screen", |v| v["screen"] == "ready");

    // A reader name that matches none of pcscd's: the screen says there is no reader.
    let blind = serve(&db, "No Such Reader", &[]);
    assert_eq!(
        wait_state(&blind, "no reader", |v| v["screen"] != "starting")["screen"],
        "no_reader"
    );
}

#[test]
fn clients_not_allowed_get_403_and_another_kiosks_token_is_unknown_here() {
    let _bench = Bench::new();
    let db = TestDb::sqlite();
    load_fixtures(&db);
    // This test's client connects from 127.0.0.1, which the first kiosk does not allow.
    let strict = serve_unchecked(
        &db,
        "Virtual PCD 00 01",
        &[("SSKIOSK__KIOSK__ALLOWED_CLIENTS", "[\"::1\"]")],
    );
    for path in ["/api/kiosk/state", "/api/kiosk/events", "/api/kiosk/record"] {
        assert_error(
            &call(&strict, "GET", path, Some(&"ab".repeat(32)), None),
            403,
            "kiosk_client_not_allowed",
        );
    }
    assert_error(
        &call(&strict, "POST", "/api/kiosk/restart", None, None),
        403,
        "kiosk_client_not_allowed",
    );
    drop(strict);

    // Two kiosks on two readers: each one's token means nothing to the other.
    let a = serve(&db, SLOT0, &[]);
    let b = serve(&db, "Virtual PCD 00 01", &[]);
    let _ca = insert(0, &card_of(&db, LI));
    let _cb = insert(1, &card_of(&db, WANG));
    let (ta, tb) = (session_token(&a), session_token(&b));
    assert_eq!(get(&a, "/api/kiosk/record", &ta).1["name"], "李建国");
    assert_eq!(get(&b, "/api/kiosk/record", &tb).1["name"], "王秀英");
    assert_error(
        &get(&a, "/api/kiosk/record", &tb),
        401,
        "kiosk_session_ended",
    );
    assert_error(
        &get(&b, "/api/kiosk/record", &ta),
        401,
        "kiosk_session_ended",
    );

    // The center has no kiosk API on its public port at all: only terminals reach it.
    let off = Served::start_with(&db, &[]);
    assert_error(
        &call(&off, "GET", "/api/kiosk/state", None, None),
        404,
        "not_found",
    );
}

#[test]
fn the_openapi_document_lists_every_kiosk_route_and_its_token_scheme() {
    let db = TestDb::sqlite();
    let s = Served::start(&db);
    let (status, doc) = s.json("/api/openapi.json");
    assert_eq!(status, 200);
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/api/kiosk/events",
        "/api/kiosk/state",
        "/api/kiosk/continue",
        "/api/kiosk/end",
        "/api/kiosk/restart",
        "/api/kiosk/record",
        "/api/kiosk/contributions",
        "/api/kiosk/benefits",
        "/api/kiosk/employment",
        "/api/kiosk/card",
        "/api/kiosk/access-log",
        "/api/kiosk/certificates/options",
        "/api/kiosk/certificates",
        "/api/kiosk/certificates/{serial}/preview",
        "/api/kiosk/certificates/{serial}/print",
        "/api/kiosk/print-jobs/{id}",
    ] {
        assert!(paths.contains_key(path), "{path} missing");
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["kiosk_token"]["scheme"],
        "bearer"
    );
    assert!(doc["components"]["schemas"]["View"].is_object());
    // The core document is still whole.
    assert!(paths.contains_key("/healthz"));
}

#[test]
fn a_kiosk_out_of_service_opens_no_session_and_lets_an_open_one_finish() {
    let _bench = Bench::new();
    let db = TestDb::sqlite();
    load_fixtures(&db);
    let s = serve(&db, SLOT0, &[]);
    let set_in_service = |on: bool| {
        use diesel::RunQueryDsl;
        let mut conn = db.pool().get().unwrap();
        diesel::sql_query(format!(
            "UPDATE devices SET in_service = {on}, note = '请到 2 号窗口' WHERE name = '{}'",
            s.name
        ))
        .execute(&mut *conn)
        .unwrap();
    };
    // The citizen at the screen when the kiosk is closed finishes their visit.
    let card = insert(0, &card_of(&db, LI));
    let token = session_token(&s);
    set_in_service(false);
    wait_state(&s, "the node to apply it", |v| {
        v["screen"] == "session" && v["note"] == "请到 2 号窗口"
    });
    assert_eq!(get(&s, "/api/kiosk/record", &token).0, 200);
    card.remove();
    let v = wait_state(&s, "the out-of-service screen", |v| {
        v["screen"] == "out_of_service"
    });
    assert_eq!(v["note"], "请到 2 号窗口");
    // The next card is refused with the reason, and gets no token.
    let card = insert(0, &card_of(&db, LI));
    let v = wait_state(&s, "the refusal", |v| v["screen"] == "refused");
    assert_eq!(
        (&v["reason"], &v["token"]),
        (&"out_of_service".into(), &Value::Null)
    );
    card.remove();
    set_in_service(true);
    wait_state(&s, "the start screen", |v| v["screen"] == "ready");
    let _card = insert(0, &card_of(&db, LI));
    session_token(&s);
}

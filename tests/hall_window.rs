//! The hall over HTTP on every backend: the public catalogue and ticket page (no personal data,
//! guessed references refused), calling at the window with its refusals, the bound ticket
//! opening the citizen's record for the calling clerk only (audited with the item's purpose),
//! the display's event within a second of the call, and the announcement as real audio.

mod common;
mod staff_support;
use common::*;
use serde_json::{json, Value};
use sskiosk::domain::CitizenId;
use sskiosk::hall::ticket::{issue, Request};
use staff_support::*;
use std::io::{BufRead, BufReader, Write};
use std::time::{Duration, Instant};

const CERTIFICATE: &str = "111101-SB-0001";
const CARD_LOSS: &str = "111101-SK-0007";

/// A bound ticket for 王秀英, as the kiosk issues it after her card session.
fn kiosk_ticket(db: &TestDb) -> sskiosk::hall::ticket::Issued {
    let pool = db.pool();
    let mut conn = pool.get().unwrap();
    let config = sskiosk::config::Config::load(None).unwrap().hall;
    let catalogue = sskiosk::hall::catalogue::store::current(&mut conn, &config.windows).unwrap();
    let wang = CitizenId::parse(WANG).unwrap();
    let request = Request {
        item_code: CERTIFICATE,
        citizen: Some(&wang),
        consent: true,
        green_channel: false,
        issued_by: "kiosk:test-kiosk",
    };
    issue(
        &mut conn,
        &config,
        &catalogue,
        &request,
        sskiosk::hall::now(),
    )
    .unwrap()
}

/// The display's event stream, read on a thread: each `call` event with when it arrived.
fn listen(base: &str) -> std::sync::mpsc::Receiver<(Instant, Value)> {
    let address = base.trim_start_matches("http://").to_string();
    let (tx, rx) = std::sync::mpsc::channel();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut stream = std::net::TcpStream::connect(&address).unwrap();
        write!(
            stream,
            "GET /api/hall/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut lines = BufReader::new(stream).lines();
        for line in lines.by_ref() {
            if line.unwrap().is_empty() {
                break; // end of the headers: the stream is open
            }
        }
        ready_tx.send(()).unwrap();
        for line in lines {
            let Ok(line) = line else { return };
            if let Some(data) = line.strip_prefix("data: ") {
                let _ = tx.send((Instant::now(), serde_json::from_str(data).unwrap()));
            }
        }
    });
    ready_rx.recv_timeout(Duration::from_secs(10)).unwrap();
    rx
}

/// Seconds of audio and its RMS level (0..1) of a 16-bit PCM WAV file.
fn measure(wav: &[u8]) -> (f64, f64) {
    assert_eq!(&wav[..4], b"RIFF");
    assert_eq!(&wav[8..12], b"WAVE");
    let fmt = wav.windows(4).position(|w| w == b"fmt ").unwrap() + 8;
    let channels = u16::from_le_bytes([wav[fmt + 2], wav[fmt + 3]]) as f64;
    let rate = u32::from_le_bytes(wav[fmt + 4..fmt + 8].try_into().unwrap()) as f64;
    let bits = u16::from_le_bytes([wav[fmt + 14], wav[fmt + 15]]);
    assert_eq!(bits, 16);
    // espeak-ng streams to stdout, so the header's sizes are placeholders: count the bytes.
    let data = wav.windows(4).position(|w| w == b"data").unwrap() + 8;
    let samples: Vec<f64> = wav[data..]
        .chunks_exact(2)
        .map(|b| i16::from_le_bytes([b[0], b[1]]) as f64 / 32768.0)
        .collect();
    let seconds = samples.len() as f64 / channels / rate;
    let rms = (samples.iter().map(|s| s * s).sum::<f64>() / samples.len().max(1) as f64).sqrt();
    (seconds, rms)
}

fn get_bytes(base: &str, path: &str) -> (u16, Vec<u8>, String) {
    let url = format!("{base}{path}");
    actix_web::rt::System::new().block_on(async move {
        let mut res = awc::Client::builder()
            .timeout(Duration::from_secs(30))
            .finish()
            .get(url)
            .send()
            .await
            .expect("request");
        let csp = res
            .headers()
            .get("content-security-policy")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let body = res.body().limit(8 << 20).await.unwrap().to_vec();
        (res.status().as_u16(), body, csp)
    })
}

#[test]
fn a_bound_ticket_is_called_served_and_finished_with_every_refusal_on_the_way() {
    for db in TestDb::all() {
        load_fixtures(&db);
        add_staff_window(&db, "clara", "clerk", "1");
        add_staff_window(&db, "cora", "clerk", "2");
        add_staff_window(&db, "bob", "clerk", "5");
        add_staff_window(&db, "sam", "supervisor", "6");
        let server = Served::start_with(
            &db,
            &[
                ("SSKIOSK__HALL__RECALL_MIN_SECONDS", "1"),
                ("SSKIOSK__HALL__NO_SHOW_AFTER_RECALLS", "1"),
            ],
        );
        let base = server.base.clone();

        // The public catalogue, page and JSON, with the hardening headers.
        let (status, catalogue) = server.json("/api/catalogue");
        assert_eq!(status, 200);
        assert!(catalogue["items"].as_array().unwrap().len() >= 20);
        let (status, page, csp) = get_bytes(&base, "/catalogue/");
        assert_eq!(status, 200);
        assert!(String::from_utf8_lossy(&page).contains("政务服务事项目录"));
        assert!(csp.contains("default-src 'self'"), "{csp}");

        let bound = kiosk_ticket(&db);
        assert_eq!(bound.number, "A001");
        let clara = Client::login(&base, "clara");
        let cora = Client::login(&base, "cora");
        let bob = Client::login(&base, "bob");
        let (status, desk) = clara.post("/api/staff/hall/tickets", json!({"item": CERTIFICATE}));
        assert_eq!(status, 201, "{desk}");
        assert_eq!(desk["number"], "A002");
        assert_eq!(desk["bound"], false);

        // The public page of a ticket: the queue, nothing personal; guesses are 404.
        let (status, public) = server.get(&format!("/api/{}", &bound.queue_path[1..]));
        assert_eq!(status, 200, "{public}");
        assert!(public.contains("\"ahead\":0"), "{public}");
        assert!(
            !public.contains("王秀英") && !public.contains(WANG),
            "{public}"
        );
        for guess in ["A001", "00000000000000000000000000000000", "../catalogue"] {
            let (status, _) = server.get(&format!("/api/queue/{guess}"));
            assert_eq!(status, 404, "{guess}");
        }

        // 叫号: the elder's bound ticket first; the display hears of it within a second.
        let events = listen(&base);
        let clicked = Instant::now();
        let (status, called) = clara.post("/api/staff/hall/call", json!({}));
        assert_eq!(status, 200, "{called}");
        assert_eq!(
            (called["number"].as_str(), called["bound"].as_bool()),
            (Some("A001"), Some(true))
        );
        let (arrived, event) = events.recv_timeout(Duration::from_secs(5)).unwrap();
        let delay = arrived - clicked;
        assert!(
            delay < Duration::from_secs(1),
            "{}: event after {delay:?}",
            db.label
        );
        assert_eq!(event["text_zh"], "请A001号到1号窗口办理");
        let id = called["id"].as_i64().unwrap();

        // Another window can neither take it nor see the citizen through it.
        let (status, answer) = cora.post("/api/staff/hall/call", json!({"ticket": id}));
        assert_eq!(
            (status, code(&answer)),
            (409, "ticket_elsewhere"),
            "{answer}"
        );
        let (status, _) = cora.get("/api/staff/hall/record");
        assert_eq!(status, 404);
        let (status, answer) = cora.post(
            &format!("/api/staff/hall/tickets/{id}/act"),
            json!({"action": "finish"}),
        );
        assert_eq!((status, code(&answer)), (409, "ticket_elsewhere"));

        // The calling clerk sees the record, looked up with the item's purpose, audited.
        let (status, record) = clara.get("/api/staff/hall/record");
        assert_eq!(status, 200, "{record}");
        assert_eq!(record["record"]["person"]["name"], "王秀英");
        let looks = audit(&db, "record.view");
        let look = looks
            .iter()
            .find(|e| e.actor == "staff:clara")
            .expect("audited");
        assert_eq!(look.subject_ssn.as_deref(), Some(WANG));
        assert!(
            look.purpose
                .as_deref()
                .unwrap_or("")
                .starts_with("certificate: 排队号 A001"),
            "{look:?}"
        );

        // 重呼 too soon, then after the interval; the display hears the recall too.
        let act = |who: &Client, action: &str| {
            who.post(
                &format!("/api/staff/hall/tickets/{id}/act"),
                json!({ "action": action }),
            )
        };
        let (status, answer) = act(&clara, "recall");
        assert_eq!((status, code(&answer)), (409, "too_soon"), "{answer}");
        std::thread::sleep(Duration::from_millis(1100));
        assert_eq!(act(&clara, "recall").0, 200);
        let (_, recall) = events.recv_timeout(Duration::from_secs(5)).unwrap();
        assert_eq!(recall["recall"], true);

        assert_eq!(act(&clara, "start").1["state"], "serving");
        let (status, answer) = act(&clara, "no_show");
        assert_eq!(
            (status, code(&answer)),
            (409, "ticket_state"),
            "no-show only while called"
        );
        assert_eq!(act(&clara, "finish").1["state"], "done");
        let (status, answer) = act(&clara, "finish");
        assert_eq!((status, code(&answer)), (409, "ticket_state"), "{answer}");
        assert!(answer["error"]["message"]
            .as_str()
            .unwrap()
            .contains("已办结"));
        let (status, _) = clara.get("/api/staff/hall/record");
        assert_eq!(status, 404, "the record closes with the ticket");

        // The next: the desk ticket; a transfer to a closed item changes nothing, one to the
        // card counter puts it in window 5's queue.
        let (_, next) = clara.post("/api/staff/hall/call", json!({}));
        assert_eq!(next["number"], "A002");
        let next_id = next["id"].as_i64().unwrap();
        let transfer = |item: &str| {
            clara.post(
                &format!("/api/staff/hall/tickets/{next_id}/transfer"),
                json!({"item": item}),
            )
        };
        let (status, answer) = transfer("999999-XX-0000");
        assert_eq!((status, code(&answer)), (409, "hall_refused"), "{answer}");
        let (_, panel) = clara.get("/api/staff/hall/panel");
        assert_eq!(panel["current"]["number"], "A002", "nothing changed");
        let (status, moved) = transfer(CARD_LOSS);
        assert_eq!(status, 200, "{moved}");
        assert_eq!(moved["state"], "waiting");
        let (status, answer) = clara.post("/api/staff/hall/call", json!({}));
        assert_eq!(
            (status, code(&answer)),
            (409, "hall_refused"),
            "nobody left for window 1"
        );
        let (_, at_card) = bob.post("/api/staff/hall/call", json!({}));
        assert_eq!(at_card["number"], "A002");

        // The announcement as audio: over a second of sound, not silence.
        let (status, wav, _) =
            get_bytes(&base, &format!("/api/hall/calls/{}/voice.wav", event["id"]));
        assert_eq!(status, 200);
        let (seconds, rms) = measure(&wav);
        assert!(seconds > 1.0, "{seconds} s");
        assert!(rms > 0.01, "rms {rms}: silence");
        let (status, board) = server.json("/api/hall/board");
        assert_eq!(status, 200);
        assert!(!board.to_string().contains("王秀英"));
        assert_eq!(board["calls"][0]["number"], "A002");

        // 好差评: a ticket not yet finished cannot be rated; the finished one once, and a bad
        // rating opens a follow-up case for a supervisor, closed with both notes.
        let rate = |path: &str, level: i32| {
            Client::anonymous(&base).post(
                &format!("/api/{}/rating", &path[1..]),
                json!({"level": level, "reason": "等候时间长", "comment": "等了很久"}),
            )
        };
        let (status, answer) = rate(desk["queue_path"].as_str().unwrap(), 5);
        assert_eq!((status, code(&answer)), (409, "ticket_state"), "{answer}");
        assert!(answer["error"]["message"]
            .as_str()
            .unwrap()
            .contains("尚未办结"));
        let (status, rated) = rate(&bound.queue_path, 2);
        assert_eq!(status, 201, "{rated}");
        assert_eq!(
            (rated["level_zh"].as_str(), rated["follow_up"].as_bool()),
            (Some("不满意"), Some(true))
        );
        let (status, answer) = rate(&bound.queue_path, 5);
        assert_eq!(status, 409);
        assert!(
            answer["error"]["message"]
                .as_str()
                .unwrap()
                .contains("该办件已评价"),
            "{answer}"
        );

        let sam = Client::login(&base, "sam");
        let (status, cases) = sam.get("/api/staff/hall/cases");
        assert_eq!(status, 200, "{cases}");
        let case = &cases[0];
        assert_eq!(
            (case["clerk"].as_str(), case["overdue"].as_bool()),
            (Some("clara"), Some(false))
        );
        assert!(
            !cases.to_string().contains(WANG),
            "no rater, no citizen: {cases}"
        );
        let case_id = case["id"].as_i64().unwrap();
        let (status, answer) = cora.post(
            &format!("/api/staff/hall/cases/{case_id}/appeal"),
            json!({"note": "不是我"}),
        );
        assert_eq!(
            (status, code(&answer)),
            (409, "ticket_elsewhere"),
            "only the rated clerk appeals"
        );
        let (status, appealed) = clara.post(
            &format!("/api/staff/hall/cases/{case_id}/appeal"),
            json!({"note": "当日系统故障"}),
        );
        assert_eq!(
            (status, appealed["appeal_state"].as_str()),
            (200, Some("pending")),
            "{appealed}"
        );
        let close = |fix: &str| {
            sam.post(
                &format!("/api/staff/hall/cases/{case_id}/close"),
                json!({"callback_note": "已电话回访，群众表示理解", "fix_note": fix}),
            )
        };
        let (status, answer) = close("  ");
        assert_eq!(
            (status, code(&answer)),
            (409, "hall_refused"),
            "both notes are needed"
        );
        let (status, closed) = close("高峰时段增开2号窗口");
        assert_eq!(
            (status, closed["state"].as_str()),
            (200, Some("closed")),
            "{closed}"
        );
        assert_eq!(closed["closed_by"], "staff:sam");
        let (status, decided) = sam.post(
            &format!("/api/staff/hall/cases/{case_id}/decision"),
            json!({"upheld": false}),
        );
        assert_eq!(
            (status, decided["appeal_state"].as_str()),
            (200, Some("rejected"))
        );
        assert_eq!(audit(&db, "hall.rating").len(), 1);

        // The figures, derived from the periods: clara's window served one, rated 不满意.
        let (status, rows) = sam.get("/api/staff/hall/figures");
        assert_eq!(status, 200, "{rows}");
        let mine = rows
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["clerk"] == "clara")
            .expect("clara's row");
        assert_eq!(
            (mine["issued"].as_u64(), mine["served"].as_u64()),
            (Some(1), Some(1)),
            "{mine}"
        );
        assert_eq!(
            (mine["ratings"].as_u64(), mine["good_rate"].as_f64()),
            (Some(1), Some(0.0))
        );
        assert!(mine["wait_p50"].as_f64().unwrap() >= 0.0);
        let (status, text, _) = get_bytes(&base, "/api/staff/hall/figures.csv");
        assert_eq!(
            status,
            401,
            "the CSV needs a supervisor: {}",
            String::from_utf8_lossy(&text)
        );
        let (status, csv) = sam.get("/api/staff/hall/figures.csv");
        assert_eq!(status, 200);
        assert!(csv.as_str().unwrap().contains("好评率"), "{csv}");
        assert_eq!(audit(&db, "hall.case.close").len(), 1);
    }
}

//! Slow and greedy clients (issue 13, review D1): one address trickling request bodies over more
//! connections than it may hold neither keeps them all nor shuts out anyone else, and each
//! trickling body is cut off at the deadline.

mod common;
mod http_support;

use common::{Served, TestDb};
use http_support::{address, connect_from, read_answer};
use std::io::Write;
use std::net::Ipv4Addr;
use std::time::Duration;

const CAP: usize = 6;
const OPENED: usize = 30;

#[test]
fn an_address_over_its_connection_cap_is_refused_and_others_are_still_served() {
    let db = TestDb::sqlite();
    let served = Served::start_with(
        &db,
        &[
            ("SSKIOSK__HTTP__CONNECTIONS_PER_PEER", &CAP.to_string()),
            ("SSKIOSK__HTTP__REQUEST_SECONDS", "3"),
        ],
    );
    let to = address(&served.base);
    let attacker = Ipv4Addr::new(127, 0, 0, 1);
    let head = format!(
        "POST /api/staff/login HTTP/1.1\r\nHost: {to}\r\nContent-Type: application/json\r\n\
         Content-Length: 1000\r\n\r\n{{"
    );
    let mut held = Vec::new();
    for _ in 0..OPENED {
        let mut s = connect_from(attacker, to);
        s.write_all(head.as_bytes()).unwrap();
        held.push(s);
    }
    // Each body trickles, one byte a quarter second, until an answer is there to read (writing
    // after it would only earn a reset).
    let tricklers: Vec<_> = held
        .into_iter()
        .map(|mut s| {
            std::thread::spawn(move || {
                let mut probe = [0u8; 1];
                for _ in 0..2000 {
                    std::thread::sleep(Duration::from_millis(250));
                    s.set_nonblocking(true).unwrap();
                    let waiting = s.peek(&mut probe).is_ok();
                    s.set_nonblocking(false).unwrap();
                    if waiting || s.write_all(b" ").is_err() {
                        break;
                    }
                }
                read_answer(&mut s).code()
            })
        })
        .collect();

    // Another client is served while the attacker's connections are open.
    let head = format!("GET /healthz HTTP/1.1\r\nHost: {to}");
    let other = http_support::request(to, Ipv4Addr::new(127, 0, 0, 2), &head, "");
    assert_eq!(other.status, 200, "{other:?}");

    let codes: Vec<String> = tricklers.into_iter().map(|t| t.join().unwrap()).collect();
    let refused = codes
        .iter()
        .filter(|c| *c == "too_many_connections")
        .count();
    let cut = codes.iter().filter(|c| *c == "request_timeout").count();
    assert_eq!((refused, cut), (OPENED - CAP, CAP), "{codes:?}");

    // Once they are gone the address itself is served again.
    let again = http_support::request(to, attacker, &head, "");
    assert_eq!(again.status, 200);
}

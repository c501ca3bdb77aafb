//! Raw HTTP/1.1 over a socket for the hardening tests: they need to send what a browser or an
//! attacker sends (any Host, Origin, a body that never ends) and to choose the client address
//! (any of 127.0.0.0/8), which an HTTP client library does not let them.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::os::fd::FromRawFd;

/// An answer: status, headers (names lower-cased) and body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

/// `host:port` of a server's base URL.
pub fn address(base: &str) -> SocketAddr {
    base.trim_start_matches("http://").parse().expect("address")
}

/// A TCP connection to `to` from the local address `from` (bound before connecting).
pub fn connect_from(from: Ipv4Addr, to: SocketAddr) -> TcpStream {
    let SocketAddr::V4(to) = to else {
        panic!("IPv4 only")
    };
    // SAFETY: plain socket calls on a descriptor this function owns until it is wrapped.
    unsafe {
        let fd = libc::socket(libc::AF_INET, libc::SOCK_STREAM, 0);
        assert!(fd >= 0, "socket");
        let local = libc::sockaddr_in {
            sin_family: libc::AF_INET as libc::sa_family_t,
            sin_port: 0,
            sin_addr: libc::in_addr {
                s_addr: u32::from(from).to_be(),
            },
            sin_zero: [0; 8],
        };
        let remote = libc::sockaddr_in {
            sin_family: libc::AF_INET as libc::sa_family_t,
            sin_port: to.port().to_be(),
            sin_addr: libc::in_addr {
                s_addr: u32::from(*to.ip()).to_be(),
            },
            sin_zero: [0; 8],
        };
        let len = std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t;
        assert_eq!(
            libc::bind(fd, &local as *const _ as *const libc::sockaddr, len),
            0,
            "bind {from}"
        );
        assert_eq!(
            libc::connect(fd, &remote as *const _ as *const libc::sockaddr, len),
            0,
            "connect {to}"
        );
        TcpStream::from_raw_fd(fd)
    }
}

/// Sends one request (`Connection: close`) and reads the whole answer.
pub fn request(to: SocketAddr, from: Ipv4Addr, head: &str, body: &str) -> Answer {
    let mut stream = connect_from(from, to);
    let text = format!(
        "{head}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(text.as_bytes()).expect("send");
    read_answer(&mut stream)
}

/// `METHOD path` with `Host` the server's own address and the extra header lines.
pub fn simple(to: SocketAddr, method: &str, path: &str, extra: &[&str], body: &str) -> Answer {
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {to}");
    for line in extra {
        head += "\r\n";
        head += line;
    }
    if !body.is_empty() {
        head += "\r\nContent-Type: application/json";
    }
    request(to, Ipv4Addr::LOCALHOST, &head, body)
}

/// Reads an answer until the server closes the connection, or for 3 s of silence (an event
/// stream, such as the hall display's, never closes by itself).
pub fn read_answer(stream: &mut TcpStream) -> Answer {
    let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(3)));
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    parse(&raw)
}

fn parse(raw: &[u8]) -> Answer {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(raw.len());
    let head = String::from_utf8_lossy(&raw[..split]);
    let body = raw.get(split + 4..).unwrap_or_default();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {head:?}"));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect::<Vec<_>>();
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"));
    let body = if chunked {
        unchunk(body)
    } else {
        body.to_vec()
    };
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

fn unchunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = body.windows(2).position(|w| w == b"\r\n") {
        let size = String::from_utf8_lossy(&body[..end]);
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        let rest = &body[end + 2..];
        if n == 0 || rest.len() < n {
            break;
        }
        out.extend_from_slice(&rest[..n]);
        body = rest.get(n + 2..).unwrap_or_default();
    }
    out
}

//! A cap on the connections one client address holds at a time (review D1): under the default
//! 1,024 file descriptors one address had filled the node. Each accepted connection takes a
//! [`Slot`] (in the connection's data, dropped when it closes); a request on a connection beyond
//! the cap is refused and that connection closed at once, so it holds its descriptor only for
//! the time actix allows for headers.

use actix_web::dev::{Extensions, ServiceRequest};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// Open connections per address, shared by all workers.
#[derive(Debug, Clone, Default)]
pub struct PeerCount {
    limit: u32,
    open: Arc<Mutex<HashMap<IpAddr, u32>>>,
}

struct Slot {
    over: bool,
    ip: IpAddr,
    open: Arc<Mutex<HashMap<IpAddr, u32>>>,
}

impl PeerCount {
    /// `limit` 0: no cap (and no bookkeeping).
    pub fn new(limit: u32) -> PeerCount {
        PeerCount {
            limit,
            open: Arc::default(),
        }
    }

    /// For `HttpServer::on_connect`: counts the new connection's address.
    pub fn on_connect(&self, connection: &dyn std::any::Any, data: &mut Extensions) {
        if self.limit == 0 {
            return;
        }
        let Some(ip) = connection
            .downcast_ref::<actix_web::rt::net::TcpStream>()
            .and_then(|s| s.peer_addr().ok())
            .map(|a| canonical(a.ip()))
        else {
            return;
        };
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let count = open.entry(ip).or_insert(0);
        *count += 1;
        data.insert(Slot {
            over: *count > self.limit,
            ip,
            open: self.open.clone(),
        });
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(count) = open.get_mut(&self.ip) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.ip);
            }
        }
    }
}

/// An IPv4 client of a dual-stack listener arrives as `::ffff:a.b.c.d`: one address, one count.
pub fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

pub fn over_limit(req: &ServiceRequest) -> bool {
    req.conn_data::<Slot>().is_some_and(|s| s.over)
}

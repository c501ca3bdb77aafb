//! Which client addresses may use the kiosk API: the kiosk's own browser only. The peer address
//! of the TCP connection is checked, never a forwarded-for header, which any client can write.

use std::net::IpAddr;

#[derive(Debug, Clone)]
pub struct AllowedClients(Vec<IpAddr>);

impl AllowedClients {
    pub fn parse(list: &[String]) -> Result<AllowedClients, String> {
        list.iter()
            .map(|a| {
                a.trim().parse::<IpAddr>().map_err(|_| {
                    format!("{a:?} is not an IP address (write e.g. \"127.0.0.1\" or \"::1\")")
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(AllowedClients)
    }

    /// An IPv4 client seen through an IPv6 socket (`::ffff:a.b.c.d`) counts as its IPv4 address.
    pub fn allows(&self, peer: IpAddr) -> bool {
        let peer = match peer {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(peer),
            v4 => v4,
        };
        self.0.contains(&peer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_listed_addresses_are_allowed_and_bad_entries_are_named() {
        let c = AllowedClients::parse(&["127.0.0.1".into(), "::1".into()]).unwrap();
        assert!(c.allows("127.0.0.1".parse().unwrap()));
        assert!(c.allows("::1".parse().unwrap()));
        assert!(c.allows("::ffff:127.0.0.1".parse().unwrap()));
        assert!(!c.allows("127.0.0.2".parse().unwrap()));
        assert!(!c.allows("10.0.0.5".parse().unwrap()));
        let err = AllowedClients::parse(&["localhost".into()]).unwrap_err();
        assert!(err.contains("\"localhost\""), "{err}");
    }
}

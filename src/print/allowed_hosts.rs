//! The printers an admin may pick on the staff page (review D14): a printer URI set there makes
//! every node it applies to send IPP requests to that host:port at every heartbeat, and show the
//! answer — an internal port scanner. So its host must be one of `print.allowed_printer_hosts`;
//! the printers a node's own configuration names are the operator's and need no list.

/// `host` (any port) or `host:port` entries, compared without case.
#[derive(Debug, Clone, Default)]
pub struct PrinterHosts(Vec<String>);

impl PrinterHosts {
    pub fn new(entries: &[String]) -> PrinterHosts {
        PrinterHosts(
            entries
                .iter()
                .map(|e| e.trim().to_ascii_lowercase())
                .collect(),
        )
    }

    /// Whether an admin's `ipp://` or `ipps://` URI names an allowed printer.
    pub fn permits(&self, uri: &str) -> bool {
        let Some(rest) = uri
            .strip_prefix("ipp://")
            .or_else(|| uri.strip_prefix("ipps://"))
        else {
            return false;
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if authority.contains('@') || authority.is_empty() {
            return false;
        }
        let authority = authority.to_ascii_lowercase();
        let host = match authority.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or_default().to_string(),
            None => authority.split(':').next().unwrap_or_default().to_string(),
        };
        let bare = |e: &String| e.trim_start_matches('[').trim_end_matches(']') == host;
        self.0.iter().any(|e| *e == authority || bare(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_listed_hosts_and_ports_are_printers() {
        let hosts = PrinterHosts::new(&["printer-3.hall".into(), "10.0.0.9:631".into()]);
        assert!(hosts.permits("ipp://printer-3.hall:631/ipp/print"));
        assert!(hosts.permits("ipps://PRINTER-3.hall/ipp/print"));
        assert!(hosts.permits("ipp://10.0.0.9:631/ipp/print"));
        assert!(!hosts.permits("ipp://10.0.0.9:22/x"));
        assert!(!hosts.permits("ipp://127.0.0.1:18998/internal/probe"));
        assert!(!hosts.permits("ipp://printer-3.hall@evil:631/"));
        assert!(!hosts.permits("file:///tmp"));
        let v6 = PrinterHosts::new(&["::1".into()]);
        assert!(v6.permits("ipp://[::1]:631/ipp/print"));
    }
}

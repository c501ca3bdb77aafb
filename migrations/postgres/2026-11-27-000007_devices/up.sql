-- The service hall's terminals (kiosk PCs and window PCs), each a `sskiosk serve` node that
-- registers itself and reports on a heartbeat; admins take a terminal out of service or point it
-- at another printer from the staff page, and the node picks that up on its next heartbeat
-- (docs/devices.md).
CREATE TABLE devices (
    name TEXT PRIMARY KEY NOT NULL,
    -- kiosk | window | server (what the node's configuration makes it)
    kind TEXT NOT NULL,
    -- The node's configured card reader(s) and printer, as reported by the node.
    reader TEXT NOT NULL,
    configured_printer TEXT NOT NULL,
    -- What the kiosk shows (ready, no_reader, service_down, session…); empty when no kiosk.
    state TEXT NOT NULL,
    -- The effective printer as last checked by the node: "ready", or the printer's reason.
    printer_state TEXT NOT NULL,
    last_seen TIMESTAMP NOT NULL,
    -- Set by an admin; the node only reads them.
    in_service BOOLEAN NOT NULL DEFAULT TRUE,
    note TEXT NOT NULL DEFAULT '',
    -- Replaces configured_printer while set.
    printer_override TEXT,
    changed_by TEXT,
    changed_at TIMESTAMP
);

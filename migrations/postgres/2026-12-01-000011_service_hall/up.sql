-- The service hall (issue 15): the published catalogue of service items, queue tickets with
-- their timing periods, 好差评 ratings and the follow-up cases of bad ratings. See
-- docs/service-hall.md.

-- Every loaded catalogue is kept; the highest version is in force. The items are the validated
-- file as JSON: a catalogue is read whole (a few dozen items), never queried item by item.
CREATE TABLE catalogue_versions (
    version INTEGER PRIMARY KEY,
    loaded_at TIMESTAMP NOT NULL,
    loaded_by TEXT NOT NULL,
    source_sha256 TEXT NOT NULL,
    item_count INTEGER NOT NULL,
    document TEXT NOT NULL
);

-- The last number given per hall day and ticket prefix: the next ticket takes it + 1 under the
-- row's lock, so nodes sharing the store never give one number twice.
CREATE TABLE hall_counters (
    day DATE NOT NULL,
    prefix TEXT NOT NULL,
    last_number INTEGER NOT NULL,
    PRIMARY KEY (day, prefix)
);

CREATE TABLE hall_tickets (
    id BIGSERIAL PRIMARY KEY,
    day DATE NOT NULL,
    number TEXT NOT NULL,
    item_code TEXT NOT NULL,
    catalogue_version INTEGER NOT NULL,
    -- The citizen the ticket is bound to (card session, consent shown); NULL = anonymous.
    ssn TEXT,
    consent TEXT,
    -- 0 normal; higher first (70+ by the ID number's birth date, 绿色通道).
    priority INTEGER NOT NULL,
    priority_reason TEXT,
    -- waiting | called | serving | held | done | no_show | transferred | cancelled
    state TEXT NOT NULL,
    window_no TEXT,
    clerk TEXT,
    recalls INTEGER NOT NULL,
    issued_at TIMESTAMP NOT NULL,
    -- Where the ticket stands in its queue (issue time, or per the transfer rule). Who issued
    -- it is in the audit log, when it was called in hall_calls: neither is kept twice.
    queued_at TIMESTAMP NOT NULL,
    -- The unguessable reference of the public page /queue/<ref> (never the number).
    public_ref TEXT NOT NULL UNIQUE,
    UNIQUE (day, number)
);
-- One open ticket per item and citizen, enforced by the store on every node.
CREATE UNIQUE INDEX hall_tickets_one_open ON hall_tickets (ssn, item_code)
    WHERE ssn IS NOT NULL AND state IN ('waiting', 'called', 'serving', 'held');
CREATE INDEX hall_tickets_by_state ON hall_tickets (state, item_code, queued_at);

-- Timing as periods (waiting, walking = called until started, serving, held): each figure is
-- derived from these, nothing is stored twice.
CREATE TABLE hall_periods (
    id BIGSERIAL PRIMARY KEY,
    ticket_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    started_at TIMESTAMP NOT NULL,
    ended_at TIMESTAMP,
    window_no TEXT,
    clerk TEXT
);
CREATE INDEX hall_periods_by_ticket ON hall_periods (ticket_id);
CREATE INDEX hall_periods_by_start ON hall_periods (started_at);

-- The hall's calls, in order: the display and its voice read these (any node may call).
CREATE TABLE hall_calls (
    id BIGSERIAL PRIMARY KEY,
    ticket_id BIGINT NOT NULL,
    number TEXT NOT NULL,
    window_no TEXT NOT NULL,
    recall BOOLEAN NOT NULL,
    called_at TIMESTAMP NOT NULL
);

-- 一事一评: one rating per ticket (办件). No rater is stored: staff never learn who rated.
CREATE TABLE hall_ratings (
    id BIGSERIAL PRIMARY KEY,
    ticket_id BIGINT NOT NULL UNIQUE,
    level INTEGER NOT NULL,
    reason TEXT,
    comment TEXT,
    channel TEXT NOT NULL,
    rated_at TIMESTAMP NOT NULL,
    item_code TEXT NOT NULL,
    window_no TEXT,
    clerk TEXT
);

-- A bad rating's follow-up (回访, 整改) with its due date in working days, and the clerk's 申诉.
CREATE TABLE hall_cases (
    id BIGSERIAL PRIMARY KEY,
    rating_id BIGINT NOT NULL UNIQUE,
    opened_at TIMESTAMP NOT NULL,
    due_on DATE NOT NULL,
    -- open | closed
    state TEXT NOT NULL,
    callback_note TEXT,
    fix_note TEXT,
    closed_at TIMESTAMP,
    closed_by TEXT,
    appeal_note TEXT,
    -- NULL | pending | upheld | rejected
    appeal_state TEXT,
    appeal_decided_by TEXT
);

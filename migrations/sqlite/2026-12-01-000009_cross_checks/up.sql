-- Cross-checks (issue 12): the facts the fund-safety rules need, and the supervisor's cases.

-- male | female_55 | female_50 (2024 NPCSC decision, 第一条); NULL when the export does not say.
ALTER TABLE persons ADD COLUMN retirement_category TEXT;

-- Benefits gain the paying scheme as part of their key, so two basic pensions of one month from
-- two schemes can both be stored. '' = the export did not say (files older than the column);
-- the benefits only one scheme pays get that scheme.
CREATE TABLE benefits_by_scheme (
    ssn TEXT NOT NULL,
    benefit TEXT NOT NULL,
    insurance TEXT NOT NULL DEFAULT '',
    period INTEGER NOT NULL,
    amount BIGINT NOT NULL,
    paid_on DATE,
    batch_id BIGINT NOT NULL,
    PRIMARY KEY (ssn, benefit, insurance, period)
) WITHOUT ROWID;
INSERT INTO benefits_by_scheme (ssn, benefit, insurance, period, amount, paid_on, batch_id)
    SELECT ssn, benefit,
           CASE benefit WHEN 'unemployment_benefit' THEN 'unemployment'
                        WHEN 'injury_allowance' THEN 'work_injury'
                        WHEN 'injury_pension' THEN 'work_injury'
                        ELSE '' END,
           period, amount, paid_on, batch_id
    FROM benefits;
DROP TABLE benefits;
ALTER TABLE benefits_by_scheme RENAME TO benefits;

-- Death records shared by public security, civil affairs and health (经办条例 §8): one per
-- reporting source, so a correction from the same source replaces its earlier report.
CREATE TABLE deaths (
    ssn TEXT NOT NULL,
    source TEXT NOT NULL,
    death_date DATE NOT NULL,
    reported_on DATE NOT NULL,
    batch_id BIGINT NOT NULL,
    PRIMARY KEY (ssn, source)
) WITHOUT ROWID;

-- The citizens each import batch wrote: an incremental check run reads these instead of
-- scanning every fact table by batch.
CREATE TABLE batch_citizens (
    batch_id BIGINT NOT NULL,
    ssn TEXT NOT NULL,
    PRIMARY KEY (batch_id, ssn)
) WITHOUT ROWID;

CREATE TABLE check_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NOT NULL,
    -- NULL: the whole store; otherwise only citizens of batches after this one.
    since_batch BIGINT,
    -- The newest batch the run saw: the next incremental run starts after it.
    up_to_batch BIGINT NOT NULL,
    citizens BIGINT NOT NULL,
    hits BIGINT NOT NULL,
    opened BIGINT NOT NULL,
    actor TEXT NOT NULL
);

-- One case per (rule, citizen, anchor): the anchor names the facts (a death month, a pair of
-- schemes, an employer…), so the same facts never open a second case.
CREATE TABLE fund_cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    rule TEXT NOT NULL,
    ssn TEXT NOT NULL,
    anchor TEXT NOT NULL,
    first_month INTEGER NOT NULL,
    last_month INTEGER NOT NULL,
    -- Sum of the payments concerned, fen.
    amount_at_risk BIGINT NOT NULL,
    -- JSON array of the evidence rows (table, key, source, batch, import time, amount).
    evidence TEXT NOT NULL,
    -- open | under_review | confirmed | cleared
    state TEXT NOT NULL,
    opened_at TIMESTAMP NOT NULL,
    -- The latest check run that found these facts again.
    last_seen_run BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    -- staff:<username> of the latest change; NULL while only the checks wrote it.
    updated_by TEXT,
    -- Confirmed: the amount to recover (fen) and, later, what the paying system recovered.
    recover_amount BIGINT,
    recovered_amount BIGINT,
    -- Under review: what was asked; confirmed: the basis; cleared: the reason.
    note TEXT,
    UNIQUE (rule, ssn, anchor)
);
CREATE INDEX fund_cases_by_state ON fund_cases (state, rule);
CREATE INDEX fund_cases_by_ssn ON fund_cases (ssn);

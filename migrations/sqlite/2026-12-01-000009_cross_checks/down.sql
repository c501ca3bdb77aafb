DROP TABLE fund_cases;
DROP TABLE check_runs;
DROP TABLE batch_citizens;
DROP TABLE deaths;
CREATE TABLE benefits_by_kind (
    ssn TEXT NOT NULL,
    benefit TEXT NOT NULL,
    period INTEGER NOT NULL,
    amount BIGINT NOT NULL,
    paid_on DATE,
    batch_id BIGINT NOT NULL,
    PRIMARY KEY (ssn, benefit, period)
) WITHOUT ROWID;
INSERT OR REPLACE INTO benefits_by_kind (ssn, benefit, period, amount, paid_on, batch_id)
    SELECT ssn, benefit, period, amount, paid_on, batch_id FROM benefits;
DROP TABLE benefits;
ALTER TABLE benefits_by_kind RENAME TO benefits;
ALTER TABLE persons DROP COLUMN retirement_category;

DROP TABLE fund_cases;
DROP TABLE check_runs;
DROP TABLE batch_citizens;
DROP TABLE deaths;
DELETE FROM benefits a USING benefits b
    WHERE a.ssn = b.ssn AND a.benefit = b.benefit AND a.period = b.period
      AND a.insurance > b.insurance;
ALTER TABLE benefits DROP CONSTRAINT benefits_pkey;
ALTER TABLE benefits DROP COLUMN insurance;
ALTER TABLE benefits ADD PRIMARY KEY (ssn, benefit, period);
ALTER TABLE persons DROP COLUMN retirement_category;

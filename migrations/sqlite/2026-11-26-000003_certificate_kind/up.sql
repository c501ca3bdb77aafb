-- The kind of certificate (contribution 参保缴费证明 or benefit 待遇领取证明), so the store can
-- say what a serial certifies without parsing its content; certificates issued before this
-- column existed are all contribution certificates.
ALTER TABLE certificates ADD COLUMN kind TEXT NOT NULL DEFAULT 'contribution';

-- An account whose password someone else chose (an admin creating it in the browser, an admin's
-- reset, `sskiosk staff passwd --temporary`) must set its own before doing anything else; see
-- docs/staff.md. Existing accounts chose their own passwords on the command line: not forced.
ALTER TABLE staff ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;

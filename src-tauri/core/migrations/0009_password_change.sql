-- A password the administrator set (a reset, or a new account's initial one) is for one sign-in:
-- the user must set their own before doing anything else. Existing accounts keep theirs.
ALTER TABLE user ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;

-- Sessions of `doudi serve`: a desktop signed in over the network holds a random token; only its
-- SHA-256 is kept here, so a copy of the database (a backup) signs nobody in. A token is revoked
-- on sign-out, when the user's password changes or is reset, and when the user is deactivated;
-- it lapses after `server.idle_minutes` without a call.
CREATE TABLE server_session (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    user_id     INTEGER NOT NULL REFERENCES user(id),
    created_at  TEXT NOT NULL,
    last_used   TEXT NOT NULL,
    address     TEXT NOT NULL DEFAULT '',
    revoked_at  TEXT
);
CREATE INDEX server_session_user ON server_session(user_id) WHERE revoked_at IS NULL;

-- The per-account sign-in throttle counts an account's failed sign-ins since its last success:
-- these partial indexes keep that a look-up, not a scan of the whole audit trail.
CREATE INDEX audit_sign_in_failed ON audit(user_name, id) WHERE command = 'auth.sign_in_failed';
CREATE INDEX audit_sign_in ON audit(user_name, id) WHERE command = 'auth.sign_in';

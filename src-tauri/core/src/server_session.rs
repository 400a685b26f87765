//! Sessions of `doudi serve`: a token for a signed-in user, and a [`Session`] resumed from it.
//!
//! The server makes a fresh token at each sign-in ([`Session::issue_token`]) and hands it to the
//! desktop; every later call carries it, and [`Session::resume`] signs the user in again for that
//! one call. Only the token's SHA-256 is stored (`server_session`), so neither a backup nor a
//! reader of the database can sign anyone in. A token is refused when unknown, revoked (sign-out,
//! a password changed or reset, the user deactivated) or idle longer than the county's dated
//! standard `server.idle_minutes` (default 30). The decisions are the pure functions at the top.

use chrono::{Duration, NaiveDateTime};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::db::with_tx;
use crate::error::{CmdError, CmdResult, ErrorCode};
use crate::rules::Standards;
use crate::session::Session;
use crate::store;

/// The refusal of a token that is unknown, revoked or expired: the desktop signs in again.
pub const EXPIRED: &str = "登录已过期，请重新登录";

/// A new token: 32 random bytes from the operating system, as 64 hex digits.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// What is stored of a token: its SHA-256 in hex.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Whether a session last used at `last_used` has lapsed at `now` after `idle_minutes` idle.
pub fn idle_expired(last_used: NaiveDateTime, now: NaiveDateTime, idle_minutes: i64) -> bool {
    now - last_used > Duration::minutes(idle_minutes)
}

/// A token's last use is written at most once a minute: a write per call would make every read
/// on the server wait for the database's write lock. Idle expiry is thus up to a minute early.
pub const TOUCH_EVERY_SECONDS: i64 = 60;

/// Whether a call at `now` records itself as the token's last use.
pub fn needs_touch(last_used: NaiveDateTime, now: NaiveDateTime) -> bool {
    now - last_used >= Duration::seconds(TOUCH_EVERY_SECONDS)
}

fn expired() -> CmdError {
    CmdError::new(ErrorCode::Unauthenticated, EXPIRED)
}

const AT: &str = "%Y-%m-%d %H:%M:%S";

impl Session {
    /// A token for the signed-in user, from `address` (the desktop's, for the record). Made once
    /// per sign-in; the server returns it with `auth.sign_in`'s reply.
    pub fn issue_token(&mut self, address: &str) -> CmdResult<String> {
        let user_id = self.user()?.id;
        let token = new_token();
        let at = self.now_text();
        let id = with_tx(&mut self.conn, |tx| {
            store::tokens::insert(tx, &token_hash(&token), user_id, &at, address)
        })?;
        self.token_id = Some(id);
        Ok(token)
    }

    /// Sign in the token's user for this call (their current role, area and state), recording
    /// its last use (at most once a minute, [`needs_touch`]). Refused with `unauthenticated` and [`EXPIRED`] when the token is unknown,
    /// revoked, idle too long, or its user deactivated.
    pub fn resume(&mut self, token: &str, address: &str) -> CmdResult<()> {
        self.user = None;
        self.token_id = None;
        let found = store::tokens::by_hash(&self.conn, &token_hash(token))?.ok_or_else(expired)?;
        if found.revoked_at.is_some() {
            return Err(expired());
        }
        let now = self.clock.now();
        let last = NaiveDateTime::parse_from_str(&found.last_used, AT)
            .map_err(|_| CmdError::internal("登录记录的时间无法读取"))?;
        let rows = store::standards::engine_rows(&self.conn)?;
        let idle = Standards::as_of(&rows, now.date())
            .integer("server.idle_minutes", None)
            .map_or(30, |l| l.value);
        if idle_expired(last, now, idle) {
            return Err(expired());
        }
        let user = store::users::get(&self.conn, found.user_id)?
            .filter(|u| u.active)
            .ok_or_else(expired)?;
        if needs_touch(last, now) {
            let at = now.format(AT).to_string();
            with_tx(&mut self.conn, |tx| {
                store::tokens::touch(tx, found.id, &at, address)
            })?;
        }
        self.user = Some(user);
        self.token_id = Some(found.id);
        Ok(())
    }

    /// Forget who is signed in (the server does so between calls on a pooled session).
    pub fn sign_out_locally(&mut self) {
        self.user = None;
        self.token_id = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_random_and_only_its_hash_is_kept() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
        assert_eq!(token_hash(&a), token_hash(&a));
    }

    #[test]
    fn the_last_use_is_written_once_a_minute() {
        let t = |s: &str| NaiveDateTime::parse_from_str(s, AT).unwrap();
        let last = t("2026-11-23 09:00:00");
        assert!(!needs_touch(last, t("2026-11-23 09:00:59")));
        assert!(needs_touch(last, t("2026-11-23 09:01:00")));
    }

    #[test]
    fn idle_expiry_table() {
        let t = |s: &str| NaiveDateTime::parse_from_str(s, AT).unwrap();
        let last = t("2026-11-23 09:00:00");
        for (now, minutes, lapsed) in [
            ("2026-11-23 09:00:00", 30, false),
            ("2026-11-23 09:30:00", 30, false),
            ("2026-11-23 09:30:01", 30, true),
            ("2026-11-23 10:00:00", 60, false),
            ("2026-11-24 09:00:00", 1440, false),
            ("2026-11-24 09:00:01", 1440, true),
        ] {
            assert_eq!(
                idle_expired(last, t(now), minutes),
                lapsed,
                "{now} {minutes}"
            );
        }
    }
}

//! What the server guards on its own, outside the core: the failed sign-ins of each address (on
//! top of the core's per-account throttle) and the request ids each session has used (a
//! captured request replayed is refused).

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Request ids remembered per session (the oldest are forgotten first).
const IDS_PER_SESSION: usize = 10_000;
/// Sessions whose ids are remembered; past this, those idle for a day are forgotten.
const SESSIONS: usize = 10_000;

#[derive(Default)]
struct Seen {
    ids: HashSet<String>,
    order: VecDeque<String>,
    last: Option<Instant>,
}

pub(crate) struct Guard {
    allowed: usize,
    window: Duration,
    failures: Mutex<HashMap<IpAddr, VecDeque<Instant>>>,
    seen: Mutex<HashMap<String, Seen>>,
}

impl Guard {
    pub fn new(allowed: usize, window: Duration) -> Guard {
        Guard {
            allowed,
            window,
            failures: Mutex::new(HashMap::new()),
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Whether `ip` has used up its failed sign-ins in the window.
    pub fn address_blocked(&self, ip: IpAddr) -> bool {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let Some(times) = map.get_mut(&ip) else {
            return false;
        };
        while times.front().is_some_and(|t| t.elapsed() > self.window) {
            times.pop_front();
        }
        times.len() >= self.allowed
    }

    pub fn sign_in_failed(&self, ip: IpAddr) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(ip).or_default().push_back(Instant::now());
    }

    /// Record `id` for the session `key`; false when it was used before (a replay).
    pub fn first_use(&self, key: &str, id: &str) -> bool {
        let mut map = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > SESSIONS {
            let day = Duration::from_secs(24 * 3600);
            map.retain(|_, s| s.last.is_some_and(|t| t.elapsed() < day));
        }
        let seen = map.entry(key.to_owned()).or_default();
        seen.last = Some(Instant::now());
        if !seen.ids.insert(id.to_owned()) {
            return false;
        }
        seen.order.push_back(id.to_owned());
        if seen.order.len() > IDS_PER_SESSION {
            if let Some(old) = seen.order.pop_front() {
                seen.ids.remove(&old);
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_good_once_per_session() {
        let g = Guard::new(3, Duration::from_secs(60));
        assert!(g.first_use("a", "1"));
        assert!(!g.first_use("a", "1"));
        assert!(g.first_use("b", "1"));
    }

    #[test]
    fn an_address_is_blocked_at_its_allowance() {
        let g = Guard::new(2, Duration::from_secs(60));
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        g.sign_in_failed(ip);
        assert!(!g.address_blocked(ip));
        g.sign_in_failed(ip);
        assert!(g.address_blocked(ip));
        assert!(!g.address_blocked("10.0.0.2".parse().unwrap()));
    }
}

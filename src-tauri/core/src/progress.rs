//! Progress of a long command (a ledger import), for a progress bar: the face calling the command
//! hands the session a sink (`Session::set_progress`); the command reports each phase through a
//! [`Ticker`], every [`EVERY`] items and at the phase's end, so reporting costs nothing measurable.
//! Without a sink nothing is reported.

use serde::Serialize;

/// How far one phase of a command has got. The Tauri shell emits it as the `progress` event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// The command reporting, e.g. "ledger.import".
    pub task: &'static str,
    /// "read" (the file; `total` 0: unknown), "check" (rows), "write" (households).
    pub phase: &'static str,
    pub done: usize,
    pub total: usize,
}

/// Where progress goes: called on the thread running the command.
pub type ProgressSink = Box<dyn Fn(Progress) + Send>;

/// Items between two reports of a phase.
pub const EVERY: usize = 500;

/// Reports one phase of a command to the session's sink, if it has one.
pub(crate) struct Ticker<'a> {
    sink: Option<&'a ProgressSink>,
    task: &'static str,
    phase: &'static str,
    total: usize,
}

impl<'a> Ticker<'a> {
    /// A phase of `total` items starts: reported as 0 of `total`.
    pub fn start(
        sink: Option<&'a ProgressSink>,
        task: &'static str,
        phase: &'static str,
        total: usize,
    ) -> Ticker<'a> {
        let t = Ticker {
            sink,
            task,
            phase,
            total,
        };
        t.report(0);
        t
    }

    /// `done` items are done: reported every [`EVERY`] items and at the last.
    pub fn tick(&self, done: usize) {
        if done.is_multiple_of(EVERY) || done == self.total {
            self.report(done);
        }
    }

    fn report(&self, done: usize) {
        if let Some(sink) = self.sink {
            sink(Progress {
                task: self.task,
                phase: self.phase,
                done,
                total: self.total,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[test]
    fn a_phase_reports_its_start_every_500_items_and_its_end() {
        let seen = Arc::new(Mutex::new(vec![]));
        let into = Arc::clone(&seen);
        let sink: ProgressSink = Box::new(move |p: Progress| into.lock().unwrap().push(p.done));
        let t = Ticker::start(Some(&sink), "ledger.import", "check", 1_234);
        for done in 1..=1_234 {
            t.tick(done);
        }
        assert_eq!(*seen.lock().unwrap(), vec![0, 500, 1_000, 1_234]);
        // No sink: nothing to report to, and nothing fails.
        Ticker::start(None, "ledger.import", "check", 10).tick(10);
    }
}

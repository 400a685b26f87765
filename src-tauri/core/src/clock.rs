//! Time is passed in: domain code asks a `Clock`, never the system directly.

use chrono::{DateTime, Local, NaiveDate, NaiveDateTime};

pub trait Clock: Send + Sync {
    /// Local wall-clock time of the office.
    fn now(&self) -> NaiveDateTime;
    fn today(&self) -> NaiveDate {
        self.now().date()
    }
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> NaiveDateTime {
        let now: DateTime<Local> = Local::now();
        now.naive_local()
    }
}

/// A clock stopped at one instant, for tests and reproducible demo data.
pub struct FixedClock(pub NaiveDateTime);

impl FixedClock {
    pub fn on(date: NaiveDate) -> FixedClock {
        FixedClock(date.and_hms_opt(9, 0, 0).expect("09:00 is a valid time"))
    }
}

impl Clock for FixedClock {
    fn now(&self) -> NaiveDateTime {
        self.0
    }
}

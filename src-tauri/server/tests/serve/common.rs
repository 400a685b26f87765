//! A small county on a temporary file, served on 127.0.0.1:0 with a certificate of its own and a
//! clock the tests move; the log lines are captured.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{NaiveDate, NaiveDateTime};
use doudi_core::{call, Clock, Session};
use doudi_server::{Config, Remote, Running};
use serde_json::{json, Value};
use tempfile::TempDir;

pub const PASSWORD: &str = "test-pass-1";
pub const HEAD_NAME: &str = "欧阳娜娜";

/// A clock the test moves; every pooled session reads it.
#[derive(Clone)]
pub struct Moving(pub Arc<Mutex<NaiveDateTime>>);

impl Clock for Moving {
    fn now(&self) -> NaiveDateTime {
        *self.0.lock().unwrap()
    }
}

pub struct County {
    pub dir: TempDir,
    pub clock: Moving,
    /// The county's own in-process session (for setup and for comparison).
    pub local: Session,
    pub server: Option<Running>,
    pub fingerprint: String,
    pub log: Arc<Mutex<Vec<String>>>,
    pub household2: i64,
    pub head_id: String,
}

impl County {
    pub fn db(&self) -> PathBuf {
        self.dir.path().join("county.sqlite")
    }

    pub fn tls_dir(&self) -> PathBuf {
        self.dir.path().join("tls")
    }

    pub fn address(&self) -> String {
        self.server.as_ref().unwrap().address.to_string()
    }

    pub fn remote(&self) -> Remote {
        Remote::connect(&self.address(), &self.fingerprint).unwrap()
    }

    /// A desktop signed in as `user`.
    pub fn signed_in(&self, user: &str) -> Remote {
        let r = self.remote();
        let reply = r
            .call(
                "auth.sign_in",
                json!({"username": user, "password": PASSWORD}),
            )
            .unwrap();
        assert_eq!(reply["user"]["username"], user);
        r
    }

    pub fn local_ok(&mut self, name: &str, input: Value) -> Value {
        call(&mut self.local, name, input).unwrap_or_else(|e| panic!("{name}: {e:?}"))
    }

    pub fn move_clock(&self, minutes: i64) {
        let mut t = self.clock.0.lock().unwrap();
        *t += chrono::Duration::minutes(minutes);
    }

    pub fn log_text(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    /// Serve (again) with `tune` applied to the default configuration.
    pub fn serve(&mut self, tune: impl FnOnce(&mut Config)) {
        self.server = None;
        let mut config = Config::new(self.db(), "127.0.0.1:0".parse().unwrap(), self.tls_dir());
        let clock = self.clock.clone();
        config.clock = Arc::new(move || Box::new(clock.clone()));
        let log = self.log.clone();
        config.log = Arc::new(move |line: &str| log.lock().unwrap().push(line.to_owned()));
        config.read_timeout = Duration::from_secs(2);
        tune(&mut config);
        self.server = Some(doudi_server::start(config).unwrap());
    }
}

pub fn id(birth: &str, seq: u32) -> String {
    let body = format!("410122{birth}{seq:03}");
    format!("{body}{}", doudi_core::idcard::check_char(&body))
}

/// 清河县: 城关镇 (jbr1) and 东城街道 (jbr2–jbr5, with one household), an administrator; served.
pub fn county() -> County {
    county_with(|_| {})
}

pub fn county_with(tune: impl FnOnce(&mut Config)) -> County {
    let dir = tempfile::tempdir().unwrap();
    let start = NaiveDate::from_ymd_opt(2026, 11, 23)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    let clock = Moving(Arc::new(Mutex::new(start)));
    let local = Session::open(&dir.path().join("county.sqlite"), Box::new(clock.clone())).unwrap();
    let fingerprint = doudi_server::tls::init(
        &dir.path().join("tls"),
        &["localhost".into(), "127.0.0.1".into()],
    )
    .unwrap();
    let mut c = County {
        dir,
        clock,
        local,
        server: None,
        fingerprint,
        log: Arc::new(Mutex::new(Vec::new())),
        household2: 0,
        head_id: id("19800101", 1),
    };
    c.local_ok(
        "auth.setup",
        json!({"county_name": "清河县", "county_code": "410122", "username": "admin", "display_name": "管理员", "password": PASSWORD}),
    );
    let county_id = c.local_ok("area.list", json!({}))["areas"][0]["id"].clone();
    let t1 = c.local_ok(
        "area.create",
        json!({"parent_id": county_id, "name": "城关镇", "urban_rural": "rural"}),
    )["id"]
        .clone();
    let t2 = c.local_ok(
        "area.create",
        json!({"parent_id": county_id, "name": "东城街道", "urban_rural": "urban"}),
    )["id"]
        .clone();
    let v2 = c.local_ok("area.create", json!({"parent_id": t2, "name": "幸福社区"}))["id"].clone();
    for (username, name, area) in [
        ("jbr1", "王经办", &t1),
        ("jbr2", "赵经办", &t2),
        ("jbr3", "钱经办", &t2),
        ("jbr4", "孙经办", &t2),
        ("jbr5", "周经办", &t2),
    ] {
        let u = c.local_ok("user.create", json!({"username": username, "display_name": name, "role": "caseworker", "area_id": area, "password": PASSWORD}));
        c.local
            .connection()
            .execute(
                "UPDATE user SET must_change_password = 0 WHERE id = ?1",
                [u["id"].as_i64().unwrap()],
            )
            .unwrap();
    }
    c.local_ok(
        "auth.sign_in",
        json!({"username": "jbr2", "password": PASSWORD}),
    );
    let head_id = c.head_id.clone();
    c.household2 = c.local_ok(
        "household.create",
        json!({"village_id": v2, "address": "幸福社区 3 号楼", "hukou": "urban",
               "phone": "13812345678", "bank_name": "农村信用社", "bank_account": "6222021234567890123",
               "head": {"name": HEAD_NAME, "id_number": head_id, "labour_capacity": "partial"}}),
    )["household"]["id"]
        .as_i64()
        .unwrap();
    c.local_ok("auth.sign_out", json!({}));
    c.serve(tune);
    c
}

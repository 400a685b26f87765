-- Doudi schema 6: the monthly payment run (月度发放), batch grants, manual adjustments, the
-- reviewed differences from last month, and each payment with its bank delivery status.

-- One row per run month, 'YYYY-MM'. Open until locked; a locked month is immutable.
CREATE TABLE payment_run (
    month      TEXT PRIMARY KEY,
    state      TEXT NOT NULL CHECK (state IN ('open', 'locked')),
    runs       INTEGER NOT NULL DEFAULT 1,
    run_at     TEXT NOT NULL,
    run_by     INTEGER NOT NULL REFERENCES user(id),
    locked_at  TEXT,
    locked_by  INTEGER REFERENCES user(id),
    roster_at  TEXT
);
CREATE TRIGGER payment_run_locked BEFORE UPDATE ON payment_run
    WHEN OLD.state = 'locked' AND (NEW.state <> 'locked' OR NEW.runs <> OLD.runs)
BEGIN SELECT RAISE(ABORT, 'a locked payment month is immutable'); END;

-- A batch grant for a month, recorded before the run: 价格临时补贴 with the month's price rises,
-- or 一次性生活补贴 for 低保, 特困 or both. params is JSON: {cpi_rise, food_rise} or {for}.
CREATE TABLE payment_grant (
    month       TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('price_subsidy', 'one_time')),
    params      TEXT NOT NULL,
    recorded_by INTEGER NOT NULL REFERENCES user(id),
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (month, kind)
);

-- A correction of an earlier (locked) month, paid in a later month. Append-only.
CREATE TABLE payment_adjustment (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES aid_case(id),
    month       TEXT NOT NULL,
    amount_fen  INTEGER NOT NULL CHECK (amount_fen > 0),
    reason      TEXT NOT NULL,
    recorded_by INTEGER NOT NULL REFERENCES user(id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX payment_adjustment_month ON payment_adjustment(month);

-- One payment: what was sent to whom in a run month, for which month, and why. The payee, bank
-- and area are copied at the run, so a roster re-exported later shows what was sent. Statistics
-- sum this table by township, village, programme, urban/rural, persons, amount and kind.
-- The key (source_kind, source_id, for_month, kind) makes a second run pay nothing twice:
--   case: an aid_case (regular, back_pay); grant: an aid_case (price_subsidy, one_time);
--   temp_aid: a temp_aid_stage; deliberation: a deliberation_payment rowid;
--   adjustment: a payment_adjustment; payment: the failed payment re-sent (resend).
CREATE TABLE payment (
    id              INTEGER PRIMARY KEY,
    month           TEXT NOT NULL,
    for_month       TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('regular', 'back_pay', 'price_subsidy', 'one_time',
                      'temp_aid', 'deliberation', 'adjustment', 'resend')),
    source_kind     TEXT NOT NULL CHECK (source_kind IN ('case', 'grant', 'temp_aid', 'deliberation',
                      'adjustment', 'payment')),
    source_id       INTEGER NOT NULL,
    case_id         INTEGER REFERENCES aid_case(id),
    household_id    INTEGER NOT NULL REFERENCES household(id),
    township_id     INTEGER NOT NULL REFERENCES area(id),
    village_id      INTEGER NOT NULL REFERENCES area(id),
    group_id        INTEGER REFERENCES area(id),
    urban_rural     TEXT NOT NULL CHECK (urban_rural IN ('urban', 'rural')),
    programme       TEXT NOT NULL CHECK (programme IN ('dibao', 'tekun', 'temp_aid', 'deliberation')),
    persons         INTEGER NOT NULL CHECK (persons >= 0),
    standard_fen    INTEGER,
    amount_fen      INTEGER NOT NULL CHECK (amount_fen > 0),
    head_name       TEXT NOT NULL,
    head_id_number  TEXT NOT NULL,
    payee_name      TEXT NOT NULL,
    payee_id_number TEXT NOT NULL,
    bank_name       TEXT NOT NULL,
    bank_account    TEXT NOT NULL,
    certificate     TEXT NOT NULL,
    start_month     TEXT,
    note            TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'paid', 'failed')),
    failure_reason  TEXT,
    UNIQUE (source_kind, source_id, for_month, kind)
);
CREATE INDEX payment_month ON payment(month, kind);
CREATE INDEX payment_failed ON payment(month) WHERE status = 'failed';
-- Payments are never deleted; in a locked month only the delivery status moves on
-- (pending → sent → paid | failed), and no payment is added.
CREATE TRIGGER payment_no_delete BEFORE DELETE ON payment
BEGIN SELECT RAISE(ABORT, 'payments are never deleted'); END;
CREATE TRIGGER payment_locked_insert BEFORE INSERT ON payment
    WHEN (SELECT state FROM payment_run WHERE month = NEW.month) = 'locked'
BEGIN SELECT RAISE(ABORT, 'a locked payment month is immutable'); END;
CREATE TRIGGER payment_content_fixed BEFORE UPDATE ON payment
    WHEN NEW.amount_fen <> OLD.amount_fen OR NEW.month <> OLD.month OR NEW.for_month <> OLD.for_month
      OR NEW.kind <> OLD.kind OR NEW.household_id <> OLD.household_id
      OR NEW.bank_account <> OLD.bank_account OR NEW.payee_name <> OLD.payee_name
BEGIN SELECT RAISE(ABORT, 'a payment is never changed; corrections are adjustment rows'); END;

-- What changed from last month, with its reason, and who reviewed it. key names the thing that
-- changed: 'case:12', 'adjustment:3', 'payment:55'.
CREATE TABLE payment_difference (
    id           INTEGER PRIMARY KEY,
    month        TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('new', 'stopped', 'changed', 'back_pay',
                   'adjustment', 'resend')),
    key          TEXT NOT NULL,
    case_id      INTEGER REFERENCES aid_case(id),
    household_id INTEGER NOT NULL REFERENCES household(id),
    township_id  INTEGER NOT NULL REFERENCES area(id),
    old_fen      INTEGER NOT NULL,
    new_fen      INTEGER NOT NULL,
    reason       TEXT NOT NULL,
    reviewed_by  INTEGER REFERENCES user(id),
    reviewed_at  TEXT,
    UNIQUE (month, kind, key)
);
CREATE TRIGGER payment_difference_locked_insert BEFORE INSERT ON payment_difference
    WHEN (SELECT state FROM payment_run WHERE month = NEW.month) = 'locked'
BEGIN SELECT RAISE(ABORT, 'a locked payment month is immutable'); END;
CREATE TRIGGER payment_difference_locked_update BEFORE UPDATE ON payment_difference
    WHEN (SELECT state FROM payment_run WHERE month = NEW.month) = 'locked'
BEGIN SELECT RAISE(ABORT, 'a locked payment month is immutable'); END;
CREATE TRIGGER payment_difference_no_delete BEFORE DELETE ON payment_difference
BEGIN SELECT RAISE(ABORT, 'payment differences are never deleted'); END;

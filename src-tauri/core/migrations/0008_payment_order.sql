-- Doudi schema 8: a month's payment run touches only the end of the payment table.
--
-- The key that keeps a second run from paying twice was case-major (source_kind, source_id, …):
-- each month's rows, one per case, landed on a different leaf of that index all over a county's
-- years of history, so a 70,000-row month rewrote some 70,000 index pages (2.5 s of commit on
-- 4 million rows of history). Month-major (for_month, kind, source_kind, source_id), a month's
-- rows sit together at the end. The one reader that needed the case-major order — the last
-- month paid for each case — reads a column of the case kept by a trigger instead, and the
-- re-sends of failed payments have a small index of their own.
--
-- SQLite cannot change a table's UNIQUE constraint, so the table is copied; its indexes and
-- triggers come back as they were. Locked months from before schema 7 get their totals too.

ALTER TABLE aid_case ADD COLUMN paid_through TEXT;
UPDATE aid_case SET paid_through =
    (SELECT max(for_month) FROM payment WHERE source_kind = 'case' AND source_id = aid_case.id);

UPDATE payment_run SET (total_fen, persons, households) = (
    SELECT coalesce(SUM(amount_fen), 0),
        coalesce(SUM(CASE WHEN kind = 'regular' AND programme IN ('dibao', 'tekun') THEN persons END), 0),
        COUNT(DISTINCT CASE WHEN kind = 'regular' AND programme IN ('dibao', 'tekun') THEN household_id END)
    FROM payment WHERE payment.month = payment_run.month)
WHERE state = 'locked' AND total_fen IS NULL;

CREATE TABLE payment_copy AS SELECT * FROM payment;
DROP TABLE payment;
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
    UNIQUE (for_month, kind, source_kind, source_id)
);
INSERT INTO payment SELECT * FROM payment_copy ORDER BY id;
DROP TABLE payment_copy;

CREATE INDEX payment_month ON payment(month, kind);
CREATE INDEX payment_failed ON payment(month) WHERE status = 'failed';
CREATE INDEX payment_resend ON payment(source_id) WHERE source_kind = 'payment';
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

-- The last month paid for each case (regular or back pay), kept as its payments are written.
CREATE TRIGGER payment_case_paid_through AFTER INSERT ON payment
    WHEN NEW.source_kind = 'case'
BEGIN
    UPDATE aid_case SET paid_through = NEW.for_month
    WHERE id = NEW.source_id AND (paid_through IS NULL OR paid_through < NEW.for_month);
END;

-- A locked month's statistics as reported at the lock (JSON), read back instead of recomputed.
ALTER TABLE payment_run ADD COLUMN stats TEXT;
CREATE TRIGGER payment_run_stats_fixed BEFORE UPDATE OF stats ON payment_run
    WHEN OLD.stats IS NOT NULL AND NEW.stats IS NOT OLD.stats
BEGIN SELECT RAISE(ABORT, 'a locked month''s statistics are never changed'); END;

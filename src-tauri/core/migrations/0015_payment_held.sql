-- A payment held at the lock for an invalid account has a status of its own, 'held' (暂缓发放),
-- instead of 'failed' with the text 「暂缓发放：…」: it never went to the bank, totals and
-- statistics do not count it as paid, and a later run re-sends it (暂缓后补发) like a failure.
--
-- SQLite cannot change a CHECK constraint, so the table is copied as in schema 8; its indexes
-- and triggers come back as they were. payment_hold refers to payment(id): the foreign keys are
-- checked at the commit, when every id is back.
PRAGMA defer_foreign_keys = ON;

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
    status          TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'paid', 'failed', 'held')),
    failure_reason  TEXT,
    UNIQUE (for_month, kind, source_kind, source_id)
);
INSERT INTO payment SELECT * FROM payment_copy ORDER BY id;
DROP TABLE payment_copy;

-- Payments held before this schema: 'failed' with 「暂缓发放：reason」.
UPDATE payment SET status = 'held', failure_reason = substr(failure_reason, 6)
WHERE id IN (SELECT payment_id FROM payment_hold) AND status = 'failed'
  AND failure_reason LIKE '暂缓发放：%';

CREATE INDEX payment_month ON payment(month, kind);
CREATE INDEX payment_failed ON payment(month) WHERE status IN ('failed', 'held');
CREATE INDEX payment_resend ON payment(source_id) WHERE source_kind = 'payment';
CREATE TRIGGER payment_no_delete BEFORE DELETE ON payment
BEGIN SELECT RAISE(ABORT, 'payments are never deleted'); END;
CREATE TRIGGER payment_locked_insert BEFORE INSERT ON payment
    WHEN (SELECT state FROM payment_run WHERE month = NEW.month) = 'locked'
BEGIN SELECT RAISE(ABORT, 'a locked payment month is immutable'); END;
CREATE TRIGGER payment_content_fixed BEFORE UPDATE ON payment
    WHEN NEW.amount_fen <> OLD.amount_fen OR NEW.month <> OLD.month OR NEW.for_month <> OLD.for_month
      OR NEW.kind <> OLD.kind OR NEW.household_id <> OLD.household_id
      OR NEW.payee_name <> OLD.payee_name
      OR (NEW.bank_account <> OLD.bank_account AND NOT (OLD.status = 'pending'
          AND (SELECT state FROM payment_run WHERE month = OLD.month) = 'open'))
BEGIN SELECT RAISE(ABORT, 'a payment is never changed; corrections are adjustment rows'); END;
CREATE TRIGGER payment_case_paid_through AFTER INSERT ON payment
    WHEN NEW.source_kind = 'case'
BEGIN
    UPDATE aid_case SET paid_through = NEW.for_month
    WHERE id = NEW.source_id AND (paid_through IS NULL OR paid_through < NEW.for_month);
END;
CREATE TRIGGER back_pay_hold_paid AFTER INSERT ON payment
    WHEN NEW.source_kind = 'case' AND NEW.kind = 'back_pay'
BEGIN
    UPDATE back_pay_hold SET paid_in = NEW.month
    WHERE case_id = NEW.source_id AND for_month = NEW.for_month AND paid_in IS NULL;
END;

-- Doudi schema 9: back pay beyond the county's limit (payment.back_pay_months) is held, not paid,
-- until a second person confirms it with a reason.
--
-- One row per case and month held. A run holds a month of back pay earlier than the case's
-- limit (the month after the approval was entered, less payment.back_pay_months); the month is
-- listed again in each run until confirmed (confirmed_by/at, reason, in the run month
-- confirmed_in) and then paid as back pay: paid_in is set when its payment goes in.
CREATE TABLE back_pay_hold (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES aid_case(id),
    for_month    TEXT NOT NULL,
    held_in      TEXT NOT NULL,
    amount_fen   INTEGER NOT NULL,
    confirmed_in TEXT,
    confirmed_by INTEGER REFERENCES user(id),
    confirmed_at TEXT,
    reason       TEXT,
    paid_in      TEXT,
    UNIQUE (case_id, for_month)
);
CREATE INDEX back_pay_hold_open ON back_pay_hold(case_id) WHERE paid_in IS NULL;
CREATE TRIGGER back_pay_hold_no_delete BEFORE DELETE ON back_pay_hold
BEGIN SELECT RAISE(ABORT, 'held back pay is never deleted'); END;

CREATE TRIGGER back_pay_hold_paid AFTER INSERT ON payment
    WHEN NEW.source_kind = 'case' AND NEW.kind = 'back_pay'
BEGIN
    UPDATE back_pay_hold SET paid_in = NEW.month
    WHERE case_id = NEW.source_id AND for_month = NEW.for_month AND paid_in IS NULL;
END;

-- Doudi schema 9: payees without a valid bank account.
--
-- A payment held at the lock because its payee's account cannot be paid (the county's
-- payment.invalid_account = hold): it is marked failed with the reason, left off the roster sent
-- to the bank, listed by township, and re-sent by a later run once the account is corrected.
CREATE TABLE payment_hold (
    payment_id INTEGER PRIMARY KEY REFERENCES payment(id),
    month      TEXT NOT NULL,
    reason     TEXT NOT NULL,
    held_at    TEXT NOT NULL,
    held_by    INTEGER NOT NULL REFERENCES user(id)
);
CREATE INDEX payment_hold_month ON payment_hold(month);
CREATE TRIGGER payment_hold_no_change BEFORE UPDATE ON payment_hold
BEGIN SELECT RAISE(ABORT, 'a held payment is never changed'); END;
CREATE TRIGGER payment_hold_no_delete BEFORE DELETE ON payment_hold
BEGIN SELECT RAISE(ABORT, 'a held payment is never changed'); END;

-- While its month is open and it has not been sent, a payment takes its household's corrected
-- bank and account (a re-run copies them again); otherwise a payment stays as it was sent.
DROP TRIGGER payment_content_fixed;
CREATE TRIGGER payment_content_fixed BEFORE UPDATE ON payment
    WHEN NEW.amount_fen <> OLD.amount_fen OR NEW.month <> OLD.month OR NEW.for_month <> OLD.for_month
      OR NEW.kind <> OLD.kind OR NEW.household_id <> OLD.household_id
      OR NEW.payee_name <> OLD.payee_name
      OR (NEW.bank_account <> OLD.bank_account AND NOT (OLD.status = 'pending'
          AND (SELECT state FROM payment_run WHERE month = OLD.month) = 'open'))
BEGIN SELECT RAISE(ABORT, 'a payment is never changed; corrections are adjustment rows'); END;

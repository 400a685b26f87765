-- Doudi schema 7: a locked month's totals for the statistics' twelve-month series (all money
-- paid; persons and households on regular 低保/特困 payments), written once when the month is
-- locked — a locked month never changes — so the series reads twelve rows, not every payment.
ALTER TABLE payment_run ADD COLUMN total_fen INTEGER;
ALTER TABLE payment_run ADD COLUMN persons INTEGER;
ALTER TABLE payment_run ADD COLUMN households INTEGER;

CREATE TRIGGER payment_run_totals_fixed BEFORE UPDATE OF total_fen, persons, households ON payment_run
    WHEN OLD.total_fen IS NOT NULL
      AND (NEW.total_fen IS NOT OLD.total_fen OR NEW.persons IS NOT OLD.persons
           OR NEW.households IS NOT OLD.households)
BEGIN SELECT RAISE(ABORT, 'a locked month''s totals are never changed'); END;

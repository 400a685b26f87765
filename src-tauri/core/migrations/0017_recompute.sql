-- Doudi schema 17: 调标 — a batch recomputing every open 低保/特困 case's amount under the
-- standards in force from a month. Submitted with its list frozen, confirmed by a second county
-- approver (then each case gets a new dated amount and a 'recompute' step) or cancelled.

CREATE TABLE recompute_batch (
    id                 INTEGER PRIMARY KEY,
    from_month         TEXT NOT NULL,
    state              TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', 'cancelled')),
    reason             TEXT NOT NULL,
    submitted_by       INTEGER NOT NULL REFERENCES user(id),
    submitted_at       TEXT NOT NULL,
    decided_by         INTEGER REFERENCES user(id),
    decided_at         TEXT,
    note               TEXT NOT NULL DEFAULT '',
    monthly_change_fen INTEGER NOT NULL,
    back_pay_fen       INTEGER NOT NULL
);
-- One pending batch per month.
CREATE UNIQUE INDEX recompute_batch_pending ON recompute_batch(from_month) WHERE state = 'pending';
CREATE TRIGGER recompute_batch_no_delete BEFORE DELETE ON recompute_batch
BEGIN SELECT RAISE(ABORT, 'recompute batches are never deleted'); END;

-- One case of a batch as frozen at submission: the amounts, the reason, the new trail, and the
-- case's last step then (a later step means the case changed: it is skipped at confirmation).
-- outcome is NULL until the batch is decided: 'applied' or the reason it was skipped.
CREATE TABLE recompute_item (
    id            INTEGER PRIMARY KEY,
    batch_id      INTEGER NOT NULL REFERENCES recompute_batch(id),
    case_id       INTEGER NOT NULL REFERENCES aid_case(id),
    number        TEXT NOT NULL,
    programme     TEXT NOT NULL,
    head_name     TEXT NOT NULL,
    township_name TEXT NOT NULL,
    from_month    TEXT NOT NULL,
    old_fen       INTEGER NOT NULL,
    new_fen       INTEGER NOT NULL CHECK (new_fen > 0),
    persons       INTEGER NOT NULL,
    reason        TEXT NOT NULL,
    trail         TEXT NOT NULL,
    last_step_id  INTEGER NOT NULL,
    outcome       TEXT,
    UNIQUE (batch_id, case_id)
);
CREATE TRIGGER recompute_item_no_delete BEFORE DELETE ON recompute_item
BEGIN SELECT RAISE(ABORT, 'recompute items are never deleted'); END;

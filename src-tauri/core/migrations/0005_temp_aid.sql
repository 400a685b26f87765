-- Doudi schema 4: 临时救助 cases with their steps and staged payment plan, and the townships'
-- reserve funds (备用金) for 先行救助.

-- One application for 临时救助 and everything recorded on its way. The state says which step is
-- next; temp_aid_step keeps every step taken, in order.
CREATE TABLE temp_aid_case (
    id                    INTEGER PRIMARY KEY,
    number                TEXT NOT NULL UNIQUE,
    kind                  TEXT NOT NULL CHECK (kind IN ('emergency', 'expenditure')),
    -- 救助事由: once per calendar year for the same cause.
    cause                 TEXT NOT NULL CHECK (cause IN ('illness', 'education', 'fire', 'traffic',
                            'accident', 'disaster', 'living', 'other')),
    household_id          INTEGER NOT NULL REFERENCES household(id),
    township_id           INTEGER NOT NULL REFERENCES area(id),
    state                 TEXT NOT NULL CHECK (state IN ('applied', 'accepted', 'advanced',
                            'investigated', 'referred', 'approved', 'closed', 'refused')),
    applied_on            TEXT NOT NULL,
    -- What happened and what the family asks for, as told at the window.
    description           TEXT NOT NULL,
    requested_fen         INTEGER CHECK (requested_fen >= 0),
    created_by            INTEGER NOT NULL REFERENCES user(id),
    created_at            TEXT NOT NULL,
    accepted_by           INTEGER REFERENCES user(id),
    accepted_on           TEXT,
    -- The survey, or the paperwork completed after an advance (事后补充说明).
    investigated_by       INTEGER REFERENCES user(id),
    investigated_on       TEXT,
    findings              TEXT,
    advance_by            INTEGER REFERENCES user(id),
    advance_on            TEXT,
    advance_fen           INTEGER NOT NULL DEFAULT 0 CHECK (advance_fen >= 0),
    county_check_by       INTEGER REFERENCES user(id),
    county_check_on       TEXT,
    county_check_findings TEXT,
    -- A township reviewer's override of the once-a-year rule for the same cause.
    override_by           INTEGER REFERENCES user(id),
    override_on           TEXT,
    override_reason       TEXT,
    referred_by           INTEGER REFERENCES user(id),
    referred_on           TEXT,
    referral_opinion      TEXT,
    decided_by            INTEGER REFERENCES user(id),
    decided_on            TEXT,
    decision_level        TEXT CHECK (decision_level IN ('township', 'county')),
    -- The approved total, the advance included.
    approved_fen          INTEGER CHECK (approved_fen > 0),
    refusal_reasons       TEXT,
    closed_on             TEXT,
    updated_at            TEXT NOT NULL
);
CREATE INDEX temp_aid_case_household ON temp_aid_case(household_id, cause);
CREATE INDEX temp_aid_case_township_state ON temp_aid_case(township_id, state);

-- Every step taken on a case, append-only: the case page's timeline.
CREATE TABLE temp_aid_step (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES temp_aid_case(id),
    action     TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    user_id    INTEGER NOT NULL REFERENCES user(id),
    at         TEXT NOT NULL,
    -- The step's own data as entered (findings, amounts, reasons), JSON.
    data       TEXT NOT NULL
);
CREATE INDEX temp_aid_step_case ON temp_aid_step(case_id, id);
CREATE TRIGGER temp_aid_step_no_update BEFORE UPDATE ON temp_aid_step
BEGIN SELECT RAISE(ABORT, 'temp aid steps are append-only'); END;
CREATE TRIGGER temp_aid_step_no_delete BEFORE DELETE ON temp_aid_step
BEGIN SELECT RAISE(ABORT, 'temp aid steps are append-only'); END;

-- 一次审批、分阶段救助: the plan written with the approval. A stage is paid once: paid_on goes from
-- NULL to a date and never changes again; stages are never deleted.
CREATE TABLE temp_aid_stage (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES temp_aid_case(id),
    no         INTEGER NOT NULL CHECK (no >= 1),
    -- First day of the planned month.
    month      TEXT NOT NULL,
    amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
    paid_on    TEXT,
    paid_by    INTEGER REFERENCES user(id),
    UNIQUE (case_id, no)
);
CREATE TRIGGER temp_aid_stage_paid_once BEFORE UPDATE ON temp_aid_stage
    WHEN OLD.paid_on IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a paid stage is never changed'); END;
CREATE TRIGGER temp_aid_stage_no_delete BEFORE DELETE ON temp_aid_stage
BEGIN SELECT RAISE(ABORT, 'payment stages are never deleted'); END;

-- A township's reserve fund (备用金) as a ledger: the balance is the sum of amount_fen. Top-ups
-- and refunds come in (positive), advances go out (negative), adjustments either way. The ledger
-- is append-only; a correction is a new row. The balance never goes below zero.
CREATE TABLE reserve_fund_entry (
    id           INTEGER PRIMARY KEY,
    township_id  INTEGER NOT NULL REFERENCES area(id),
    kind         TEXT NOT NULL CHECK (kind IN ('top_up', 'advance', 'refund', 'adjustment')),
    amount_fen   INTEGER NOT NULL CHECK (
                   (kind IN ('top_up', 'refund') AND amount_fen > 0)
                   OR (kind = 'advance' AND amount_fen < 0)
                   OR (kind = 'adjustment' AND amount_fen <> 0)),
    entry_on     TEXT NOT NULL,
    -- The payment voucher or document number of a top-up, refund or adjustment.
    reference    TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    case_id      INTEGER REFERENCES temp_aid_case(id),
    recorded_by  INTEGER NOT NULL REFERENCES user(id),
    recorded_at  TEXT NOT NULL
);
CREATE INDEX reserve_fund_entry_township ON reserve_fund_entry(township_id, id);
CREATE TRIGGER reserve_fund_never_negative BEFORE INSERT ON reserve_fund_entry
    WHEN (SELECT coalesce(sum(amount_fen), 0) FROM reserve_fund_entry
          WHERE township_id = NEW.township_id) + NEW.amount_fen < 0
BEGIN SELECT RAISE(ABORT, 'reserve fund balance would go below zero'); END;
CREATE TRIGGER reserve_fund_entry_no_update BEFORE UPDATE ON reserve_fund_entry
BEGIN SELECT RAISE(ABORT, 'reserve fund entries are append-only'); END;
CREATE TRIGGER reserve_fund_entry_no_delete BEFORE DELETE ON reserve_fund_entry
BEGIN SELECT RAISE(ABORT, 'reserve fund entries are append-only'); END;

-- Doudi schema 3: 低保/特困 cases with their steps and dated amounts, near-relative filing
-- (近亲属备案) and the working-day calendar.

-- Declared near relatives of caseworkers and village committee members. A case whose household
-- has an open member with a filed ID number is flagged: county home check before approval, and a
-- declared user takes no action on it. Rows are withdrawn (withdrawn_on), never deleted.
CREATE TABLE near_relative (
    id                 INTEGER PRIMARY KEY,
    -- The staff member: a Doudi user, or a village cadre who is not one.
    user_id            INTEGER REFERENCES user(id),
    staff_name         TEXT NOT NULL,
    staff_post         TEXT NOT NULL,
    area_id            INTEGER NOT NULL REFERENCES area(id),
    relative_id_number TEXT NOT NULL,
    relative_name      TEXT NOT NULL,
    relation           TEXT NOT NULL,
    declared_on        TEXT NOT NULL,
    recorded_by        INTEGER NOT NULL REFERENCES user(id),
    recorded_at        TEXT NOT NULL,
    withdrawn_on       TEXT,
    withdraw_reason    TEXT
);
CREATE INDEX near_relative_person ON near_relative(relative_id_number) WHERE withdrawn_on IS NULL;

-- Exceptions to "Monday to Friday": public holidays on weekdays and make-up workdays (调休上班)
-- on weekends, as the State Council publishes them each year.
CREATE TABLE calendar_day (
    date TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    note TEXT NOT NULL DEFAULT ''
);

-- One application for 低保 or 特困 and everything recorded on its way. The state says which
-- step is next; case_step keeps every step taken, in order.
CREATE TABLE aid_case (
    id                   INTEGER PRIMARY KEY,
    number               TEXT NOT NULL UNIQUE,
    programme            TEXT NOT NULL CHECK (programme IN ('dibao', 'tekun')),
    household_id         INTEGER NOT NULL REFERENCES household(id),
    township_id          INTEGER NOT NULL REFERENCES area(id),
    state                TEXT NOT NULL CHECK (state IN ('applied', 'accepted', 'investigated',
                           'township_reviewed', 'on_notice', 'enrolled', 'phasing_out', 'exited', 'refused')),
    applied_on           TEXT NOT NULL,
    application_note     TEXT NOT NULL DEFAULT '',
    -- 特困: 集中供养 or 分散供养.
    support_mode         TEXT CHECK (support_mode IN ('centralised', 'dispersed')),
    created_by           INTEGER NOT NULL REFERENCES user(id),
    created_at           TEXT NOT NULL,
    accepted_by          INTEGER REFERENCES user(id),
    accepted_on          TEXT,
    verification_on      TEXT,
    verification_summary TEXT,
    survey_on            TEXT,
    survey_findings      TEXT,
    -- JSON array of user ids who signed the household survey.
    investigator_ids     TEXT NOT NULL DEFAULT '[]',
    appraisal_on         TEXT,
    appraisal_summary    TEXT,
    near_relative_filed  INTEGER NOT NULL DEFAULT 0,
    county_check_on      TEXT,
    county_check_by      INTEGER REFERENCES user(id),
    county_check_findings TEXT,
    reviewed_by          INTEGER REFERENCES user(id),
    reviewed_on          TEXT,
    review_opinion       TEXT,
    notice_start         TEXT,
    notice_days          INTEGER,
    decided_by           INTEGER REFERENCES user(id),
    decided_on           TEXT,
    refusal_reasons      TEXT,
    -- First month paid, 'YYYY-MM' (the month after approval).
    pay_from             TEXT,
    review_class         TEXT CHECK (review_class IN ('A', 'B', 'C')),
    next_review_due      TEXT,
    exit_reason          TEXT CHECK (exit_reason IN ('work_income', 'voluntary', 'other')),
    exit_note            TEXT,
    exit_decided_on      TEXT,
    grace_months         INTEGER,
    -- Last month paid, 'YYYY-MM', once an exit is decided.
    pay_until            TEXT,
    phase_out_end        TEXT,
    updated_at           TEXT NOT NULL
);
CREATE INDEX aid_case_household ON aid_case(household_id);
CREATE INDEX aid_case_township_state ON aid_case(township_id, state);
-- One open case per household and programme: a new application waits until the last is final.
CREATE UNIQUE INDEX aid_case_one_open ON aid_case(household_id, programme)
    WHERE state NOT IN ('exited', 'refused');

-- Every step taken on a case, append-only: the case page's timeline.
CREATE TABLE case_step (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES aid_case(id),
    action     TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    user_id    INTEGER NOT NULL REFERENCES user(id),
    at         TEXT NOT NULL,
    -- The step's own data as entered (opinion, findings, dates, amount), JSON.
    data       TEXT NOT NULL
);
CREATE INDEX case_step_case ON case_step(case_id, id);
CREATE TRIGGER case_step_no_update BEFORE UPDATE ON case_step
BEGIN SELECT RAISE(ABORT, 'case steps are append-only'); END;
CREATE TRIGGER case_step_no_delete BEFORE DELETE ON case_step
BEGIN SELECT RAISE(ABORT, 'case steps are append-only'); END;

-- The monthly amount of an enrolled case from a month on: approval, each change, exit. The amount
-- for month M is the row with the greatest from_month <= M, the latest of those if a month changed
-- twice (until the case's pay_until).
CREATE TABLE case_amount (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES aid_case(id),
    from_month  TEXT NOT NULL,
    amount_fen  INTEGER NOT NULL CHECK (amount_fen >= 0),
    persons     INTEGER NOT NULL CHECK (persons >= 0),
    -- The calculation trail (JSON) that produced the amount.
    trail       TEXT NOT NULL,
    step_id     INTEGER NOT NULL REFERENCES case_step(id)
);
CREATE INDEX case_amount_case ON case_amount(case_id, from_month, id);

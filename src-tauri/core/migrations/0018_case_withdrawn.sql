-- A 低保/特困 application the applicant withdraws (撤回) before approval closes as 'withdrawn',
-- with the day and the reason; like an exited or refused case it no longer blocks a new
-- application of the household (aid_case_one_open).
--
-- SQLite cannot change a CHECK constraint, so the table is copied as in schema 15; its indexes
-- come back as they were. case_step, case_amount, payment and the others refer to aid_case(id):
-- the foreign keys are checked at the commit, when every id is back.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE aid_case_copy AS SELECT * FROM aid_case;
DROP TABLE aid_case;
CREATE TABLE aid_case (
    id                   INTEGER PRIMARY KEY,
    number               TEXT NOT NULL UNIQUE,
    programme            TEXT NOT NULL CHECK (programme IN ('dibao', 'tekun')),
    household_id         INTEGER NOT NULL REFERENCES household(id),
    township_id          INTEGER NOT NULL REFERENCES area(id),
    state                TEXT NOT NULL CHECK (state IN ('applied', 'accepted', 'investigated',
                           'township_reviewed', 'on_notice', 'enrolled', 'phasing_out', 'exited',
                           'refused', 'withdrawn')),
    applied_on           TEXT NOT NULL,
    application_note     TEXT NOT NULL DEFAULT '',
    support_mode         TEXT CHECK (support_mode IN ('centralised', 'dispersed')),
    created_by           INTEGER NOT NULL REFERENCES user(id),
    created_at           TEXT NOT NULL,
    accepted_by          INTEGER REFERENCES user(id),
    accepted_on          TEXT,
    verification_on      TEXT,
    verification_summary TEXT,
    survey_on            TEXT,
    survey_findings      TEXT,
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
    pay_from             TEXT,
    review_class         TEXT CHECK (review_class IN ('A', 'B', 'C')),
    next_review_due      TEXT,
    exit_reason          TEXT CHECK (exit_reason IN ('work_income', 'voluntary', 'other')),
    exit_note            TEXT,
    exit_decided_on      TEXT,
    grace_months         INTEGER,
    pay_until            TEXT,
    phase_out_end        TEXT,
    updated_at           TEXT NOT NULL,
    paid_through         TEXT,
    refusal_served_on    TEXT,
    refusal_served_method TEXT,
    notice_end           TEXT,
    version              INTEGER NOT NULL DEFAULT 0,
    -- 撤回: the day the applicant withdrew and the reason given.
    withdrawn_on         TEXT,
    withdrawal_reason    TEXT
);
INSERT INTO aid_case (id, number, programme, household_id, township_id, state, applied_on,
    application_note, support_mode, created_by, created_at, accepted_by, accepted_on,
    verification_on, verification_summary, survey_on, survey_findings, investigator_ids,
    appraisal_on, appraisal_summary, near_relative_filed, county_check_on, county_check_by,
    county_check_findings, reviewed_by, reviewed_on, review_opinion, notice_start, notice_days,
    decided_by, decided_on, refusal_reasons, pay_from, review_class, next_review_due, exit_reason,
    exit_note, exit_decided_on, grace_months, pay_until, phase_out_end, updated_at, paid_through,
    refusal_served_on, refusal_served_method, notice_end, version)
SELECT id, number, programme, household_id, township_id, state, applied_on,
    application_note, support_mode, created_by, created_at, accepted_by, accepted_on,
    verification_on, verification_summary, survey_on, survey_findings, investigator_ids,
    appraisal_on, appraisal_summary, near_relative_filed, county_check_on, county_check_by,
    county_check_findings, reviewed_by, reviewed_on, review_opinion, notice_start, notice_days,
    decided_by, decided_on, refusal_reasons, pay_from, review_class, next_review_due, exit_reason,
    exit_note, exit_decided_on, grace_months, pay_until, phase_out_end, updated_at, paid_through,
    refusal_served_on, refusal_served_method, notice_end, version
FROM aid_case_copy ORDER BY id;
DROP TABLE aid_case_copy;

CREATE INDEX aid_case_household ON aid_case(household_id);
CREATE INDEX aid_case_township_state ON aid_case(township_id, state);
CREATE UNIQUE INDEX aid_case_one_open ON aid_case(household_id, programme)
    WHERE state NOT IN ('exited', 'refused', 'withdrawn');

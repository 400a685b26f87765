-- Doudi schema 5: 一事一议 (deliberation) cases, their steps, the coordination meetings with
-- agenda, attendance and opinions, staged payments and follow-up visits, and which member unit a
-- member-unit user speaks for. Member units, quorum and majority are settings 'deliberation.*'.

-- One 申报表 and everything decided on it. The state says which step is next.
CREATE TABLE deliberation_case (
    id                  INTEGER PRIMARY KEY,
    number              TEXT NOT NULL UNIQUE,
    household_id        INTEGER NOT NULL REFERENCES household(id),
    township_id         INTEGER NOT NULL REFERENCES area(id),
    state               TEXT NOT NULL CHECK (state IN ('filed', 'returned', 'reviewed', 'on_agenda',
                          'approved', 'rejected', 'referred', 'signed_off', 'on_notice', 'paying', 'closed')),
    -- The 申报表.
    family_situation    TEXT NOT NULL,
    special_matter      TEXT NOT NULL,
    -- What regular programmes already gave: JSON array of {programme, amount_fen, note}.
    received            TEXT NOT NULL DEFAULT '[]',
    proposed_amount_fen INTEGER NOT NULL CHECK (proposed_amount_fen >= 0),
    proposed_measures   TEXT NOT NULL,
    reporting_unit      TEXT NOT NULL,
    township_opinion    TEXT NOT NULL,
    filed_on            TEXT NOT NULL,
    filed_by            INTEGER NOT NULL REFERENCES user(id),
    -- The county bureau's review.
    review_opinion      TEXT,
    reviewed_by         INTEGER REFERENCES user(id),
    reviewed_on         TEXT,
    -- The meeting holding the case on its agenda, then the one that decided it.
    meeting_id          INTEGER REFERENCES meeting(id),
    decision            TEXT CHECK (decision IN ('approve', 'reject', 'refer')),
    -- Reasons for a rejection, or the programme a referral goes to.
    decision_note       TEXT,
    approved_amount_fen INTEGER CHECK (approved_amount_fen > 0),
    approved_measures   TEXT,
    -- JSON array of member unit names.
    responsible_units   TEXT NOT NULL DEFAULT '[]',
    decided_on          TEXT,
    signed_off_by       INTEGER REFERENCES user(id),
    signed_off_on       TEXT,
    notice_start        TEXT,
    notice_days         INTEGER,
    outcome             TEXT,
    closed_on           TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX deliberation_case_township_state ON deliberation_case(township_id, state);
CREATE INDEX deliberation_case_household ON deliberation_case(household_id);

-- Every step taken on a case, append-only: the case page's timeline.
CREATE TABLE deliberation_step (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES deliberation_case(id),
    action     TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    user_id    INTEGER NOT NULL REFERENCES user(id),
    at         TEXT NOT NULL,
    -- The step's own data as entered, JSON.
    data       TEXT NOT NULL
);
CREATE INDEX deliberation_step_case ON deliberation_step(case_id, id);
CREATE TRIGGER deliberation_step_no_update BEFORE UPDATE ON deliberation_step
BEGIN SELECT RAISE(ABORT, 'deliberation steps are append-only'); END;
CREATE TRIGGER deliberation_step_no_delete BEFORE DELETE ON deliberation_step
BEGIN SELECT RAISE(ABORT, 'deliberation steps are append-only'); END;

-- A meeting of the coordination mechanism. The quorum and majority rules in force when it was
-- convened are kept with it, so a later change of settings does not change its decisions.
CREATE TABLE meeting (
    id            INTEGER PRIMARY KEY,
    held_on       TEXT NOT NULL,
    place         TEXT NOT NULL,
    chair         TEXT NOT NULL,
    recorder      TEXT NOT NULL,
    minutes       TEXT NOT NULL DEFAULT '',
    state         TEXT NOT NULL CHECK (state IN ('open', 'closed')),
    quorum_rule   TEXT NOT NULL,
    majority_rule TEXT NOT NULL,
    created_by    INTEGER NOT NULL REFERENCES user(id),
    created_at    TEXT NOT NULL,
    closed_at     TEXT
);

-- The cases on a meeting's agenda, in order.
CREATE TABLE meeting_item (
    meeting_id INTEGER NOT NULL REFERENCES meeting(id),
    case_id    INTEGER NOT NULL REFERENCES deliberation_case(id),
    position   INTEGER NOT NULL,
    -- 'approve' / 'reject' / 'refer' once decided, 'defer' when the meeting closed without a decision.
    decision   TEXT CHECK (decision IN ('approve', 'reject', 'refer', 'defer')),
    PRIMARY KEY (meeting_id, case_id)
);

-- Every member unit invited to a meeting, and whether it came.
CREATE TABLE meeting_attendance (
    meeting_id     INTEGER NOT NULL REFERENCES meeting(id),
    unit           TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('invited', 'present', 'absent')),
    representative TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (meeting_id, unit)
);

-- Each present unit's opinion on a case and what its department commits to do.
CREATE TABLE meeting_opinion (
    meeting_id  INTEGER NOT NULL REFERENCES meeting(id),
    case_id     INTEGER NOT NULL REFERENCES deliberation_case(id),
    unit        TEXT NOT NULL,
    opinion     TEXT NOT NULL CHECK (opinion IN ('agree', 'disagree', 'agree_with_changes')),
    commitment  TEXT NOT NULL DEFAULT '',
    recorded_by INTEGER NOT NULL REFERENCES user(id),
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (meeting_id, case_id, unit)
);

-- The payment plan of an approved case: one row per stage, paid_on set when paid.
CREATE TABLE deliberation_payment (
    case_id       INTEGER NOT NULL REFERENCES deliberation_case(id),
    stage         INTEGER NOT NULL CHECK (stage >= 1),
    planned_month TEXT NOT NULL,
    amount_fen    INTEGER NOT NULL CHECK (amount_fen > 0),
    paid_on       TEXT,
    paid_by       INTEGER REFERENCES user(id),
    PRIMARY KEY (case_id, stage)
);

-- Follow-up visits (跟踪回访), append-only.
CREATE TABLE deliberation_visit (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES deliberation_case(id),
    visited_on  TEXT NOT NULL,
    visitor     TEXT NOT NULL,
    findings    TEXT NOT NULL,
    recorded_by INTEGER NOT NULL REFERENCES user(id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX deliberation_visit_case ON deliberation_visit(case_id, id);

-- The member unit a member-unit user speaks for at meetings.
CREATE TABLE member_unit_user (
    user_id INTEGER PRIMARY KEY REFERENCES user(id),
    unit    TEXT NOT NULL
);

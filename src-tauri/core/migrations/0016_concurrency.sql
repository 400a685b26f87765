-- Optimistic concurrency: each 低保/特困, 临时救助 and 一事一议 case, and each coordination
-- meeting, carries a version that every step bumps. A desktop sends the version it showed; a step
-- on a case that has moved on since is refused (「该案件已被他人办理，请刷新」) and writes nothing.
-- The bump lives here, beside the timelines, so no writer can forget it: a timeline step (other
-- than a saved document, which changes nothing in the case) is a new version of its case.
ALTER TABLE aid_case ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE temp_aid_case ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deliberation_case ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE meeting ADD COLUMN version INTEGER NOT NULL DEFAULT 0;

UPDATE aid_case SET version = (SELECT count(*) FROM case_step s
                               WHERE s.case_id = aid_case.id AND s.action <> 'document');
UPDATE temp_aid_case SET version = (SELECT count(*) FROM temp_aid_step s
                                    WHERE s.case_id = temp_aid_case.id AND s.action <> 'document');
UPDATE deliberation_case SET version = (SELECT count(*) FROM deliberation_step s
                                        WHERE s.case_id = deliberation_case.id AND s.action <> 'document');

CREATE TRIGGER case_step_version AFTER INSERT ON case_step WHEN NEW.action <> 'document'
BEGIN UPDATE aid_case SET version = version + 1 WHERE id = NEW.case_id; END;
CREATE TRIGGER temp_aid_step_version AFTER INSERT ON temp_aid_step WHEN NEW.action <> 'document'
BEGIN UPDATE temp_aid_case SET version = version + 1 WHERE id = NEW.case_id; END;
CREATE TRIGGER deliberation_step_version AFTER INSERT ON deliberation_step WHEN NEW.action <> 'document'
BEGIN UPDATE deliberation_case SET version = version + 1 WHERE id = NEW.case_id; END;

-- A meeting moves on with its agenda, attendance, opinions, minutes and closing: a decision is
-- taken on the tally the chair saw, or refused.
CREATE TRIGGER meeting_version_minutes AFTER UPDATE OF minutes, state, closed_at ON meeting
BEGIN UPDATE meeting SET version = version + 1 WHERE id = NEW.id; END;
CREATE TRIGGER meeting_item_version_insert AFTER INSERT ON meeting_item
BEGIN UPDATE meeting SET version = version + 1 WHERE id = NEW.meeting_id; END;
CREATE TRIGGER meeting_item_version_update AFTER UPDATE ON meeting_item
BEGIN UPDATE meeting SET version = version + 1 WHERE id = NEW.meeting_id; END;
CREATE TRIGGER meeting_item_version_delete AFTER DELETE ON meeting_item
BEGIN UPDATE meeting SET version = version + 1 WHERE id = OLD.meeting_id; END;
CREATE TRIGGER meeting_attendance_version_insert AFTER INSERT ON meeting_attendance
BEGIN UPDATE meeting SET version = version + 1 WHERE id = NEW.meeting_id; END;
CREATE TRIGGER meeting_attendance_version_update AFTER UPDATE ON meeting_attendance
BEGIN UPDATE meeting SET version = version + 1 WHERE id = NEW.meeting_id; END;
CREATE TRIGGER meeting_opinion_version_insert AFTER INSERT ON meeting_opinion
BEGIN UPDATE meeting SET version = version + 1 WHERE id = NEW.meeting_id; END;
CREATE TRIGGER meeting_opinion_version_update AFTER UPDATE ON meeting_opinion
BEGIN UPDATE meeting SET version = version + 1 WHERE id = NEW.meeting_id; END;

-- Long jobs that are exclusive for their month or file (a payment run or lock, a ledger import):
-- the claim names who is running one, so a second desktop is told at once instead of waiting.
-- The holder also holds the write lock for the whole job; a claim whose holder holds no lock was
-- left by a process that died, and the next claimant takes it over.
CREATE TABLE job_claim (
    job        TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES user(id),
    started_at TEXT NOT NULL
);

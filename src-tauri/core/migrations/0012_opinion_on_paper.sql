-- Doudi schema 12: a member unit's opinion entered from its signed paper opinion.
--
-- A member unit's opinion is recorded by that unit's own user; a county user (the meeting's
-- secretary) may enter it only from the unit's signed paper opinion, noted here (its number or a
-- description). Empty when the unit's own user recorded it. `recorded_by` says who entered it.
ALTER TABLE meeting_opinion ADD COLUMN paper_ref TEXT NOT NULL DEFAULT '';

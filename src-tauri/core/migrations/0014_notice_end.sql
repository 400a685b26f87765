-- The last day of a 公示, fixed when the notice starts (from the 公示 length, day kind and work
-- calendar in force then), for 低保/特困 and 一事一议 cases. Rows whose notice started before this
-- column existed keep it NULL: their end is computed from the settings as before.
ALTER TABLE aid_case ADD COLUMN notice_end TEXT;
ALTER TABLE deliberation_case ADD COLUMN notice_end TEXT;

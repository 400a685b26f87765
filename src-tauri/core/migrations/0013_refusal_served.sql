-- When and how the 不予批准通知书 of a refused 低保/特困 case was served (送达).
ALTER TABLE aid_case ADD COLUMN refusal_served_on TEXT;
ALTER TABLE aid_case ADD COLUMN refusal_served_method TEXT;

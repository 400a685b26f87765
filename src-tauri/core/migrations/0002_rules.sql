-- Doudi schema 2: dated standards and each household's finances (income, rigid spending, assets).

-- Standards are dated data, looked up "as of" a day. A row in force is never changed: a new value
-- takes a new effective date. Only a row not yet in force may be replaced or withdrawn.
CREATE TABLE standard (
    id             INTEGER PRIMARY KEY,
    key            TEXT NOT NULL,
    scope          TEXT NOT NULL CHECK (scope IN ('urban', 'rural', 'all')),
    effective_from TEXT NOT NULL,
    value          TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    created_by     TEXT NOT NULL
);
CREATE UNIQUE INDEX standard_key ON standard(key, scope, effective_from);

-- Itemised income of a household's members, as last declared and verified. Money in fen.
CREATE TABLE income (
    id            INTEGER PRIMARY KEY,
    household_id  INTEGER NOT NULL REFERENCES household(id),
    person_id     INTEGER NOT NULL REFERENCES person(id),
    kind          TEXT NOT NULL CHECK (kind IN ('wage', 'business', 'property', 'transfer', 'other')),
    period        TEXT NOT NULL CHECK (period IN ('monthly', 'annual')),
    amount_fen    INTEGER NOT NULL CHECK (amount_fen >= 0),
    exempt        INTEGER NOT NULL DEFAULT 0,
    exempt_reason TEXT,
    note          TEXT
);
CREATE INDEX income_household ON income(household_id);

-- Long-term unavoidable spending (刚性支出), deducted once. Annual fen.
CREATE TABLE expenditure (
    id           INTEGER PRIMARY KEY,
    household_id INTEGER NOT NULL REFERENCES household(id),
    person_id    INTEGER REFERENCES person(id),
    kind         TEXT NOT NULL CHECK (kind IN ('medical', 'disability', 'schooling')),
    annual_fen   INTEGER NOT NULL CHECK (annual_fen >= 0),
    note         TEXT
);
CREATE INDEX expenditure_household ON expenditure(household_id);

CREATE TABLE asset (
    household_id  INTEGER PRIMARY KEY REFERENCES household(id),
    deposits_fen  INTEGER NOT NULL DEFAULT 0 CHECK (deposits_fen >= 0),
    vehicles      INTEGER NOT NULL DEFAULT 0 CHECK (vehicles >= 0),
    extra_housing INTEGER NOT NULL DEFAULT 0 CHECK (extra_housing >= 0),
    note          TEXT
);

-- Doudi schema 1: settings, users, areas, the household registry and the audit chain.
-- Money is integer fen. Dates are ISO 'YYYY-MM-DD' text; instants 'YYYY-MM-DD HH:MM:SS' local time.

CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- County -> township (乡镇/街道) -> village/community (村/社区) -> group (组).
CREATE TABLE area (
    id          INTEGER PRIMARY KEY,
    parent_id   INTEGER REFERENCES area(id),
    level       TEXT NOT NULL CHECK (level IN ('county', 'township', 'village', 'group')),
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    urban_rural TEXT CHECK (urban_rural IN ('urban', 'rural')),
    active      INTEGER NOT NULL DEFAULT 1,
    CHECK ((level = 'county') = (parent_id IS NULL))
);
CREATE UNIQUE INDEX area_code ON area(code);
CREATE UNIQUE INDEX area_sibling_name ON area(parent_id, name);

CREATE TABLE user (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN
                    ('caseworker', 'reviewer', 'approver', 'member_unit', 'admin')),
    area_id       INTEGER NOT NULL REFERENCES area(id),
    password_hash TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL
);

CREATE TABLE household (
    id           INTEGER PRIMARY KEY,
    village_id   INTEGER NOT NULL REFERENCES area(id),
    group_id     INTEGER REFERENCES area(id),
    address      TEXT NOT NULL,
    hukou        TEXT NOT NULL CHECK (hukou IN ('urban', 'rural')),
    head_id      INTEGER REFERENCES person(id),
    phone        TEXT,
    bank_name    TEXT,
    bank_account TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX household_village ON household(village_id);

-- A person is known once, by resident ID number, whatever household they belong to over time.
CREATE TABLE person (
    id               INTEGER PRIMARY KEY,
    id_number        TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    -- Pinyin initials of every plausible reading, space-separated with a leading space: ' zs zx'.
    initials         TEXT NOT NULL,
    sex              TEXT NOT NULL CHECK (sex IN ('male', 'female')),
    birth_date       TEXT NOT NULL,
    disability_type  TEXT,
    disability_grade INTEGER CHECK (disability_grade BETWEEN 1 AND 4),
    serious_illness  TEXT,
    labour_capacity  TEXT NOT NULL DEFAULT 'full' CHECK (labour_capacity IN ('full', 'partial', 'none')),
    self_care        TEXT NOT NULL DEFAULT 'self' CHECK (self_care IN ('self', 'partial', 'none')),
    student          TEXT,
    employment       TEXT,
    death_date       TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    -- The household of the person's open membership, or NULL. Kept by the membership triggers
    -- below, never written directly: it lets a search answer from one narrow index.
    household_id     INTEGER REFERENCES household(id)
);
-- Covering indexes: substring and initials searches scan these instead of the wide table.
CREATE INDEX person_name ON person(name, household_id);
CREATE INDEX person_initials ON person(initials, household_id);

-- Membership history: rows are closed (left_on set), never deleted or reopened.
CREATE TABLE membership (
    id           INTEGER PRIMARY KEY,
    household_id INTEGER NOT NULL REFERENCES household(id),
    person_id    INTEGER NOT NULL REFERENCES person(id),
    relation     TEXT NOT NULL,
    joined_on    TEXT NOT NULL,
    left_on      TEXT,
    left_reason  TEXT CHECK (left_reason IN ('moved_out', 'death', 'other')),
    CHECK ((left_on IS NULL) = (left_reason IS NULL))
);
-- The invariant: a person is an active member of at most one household.
CREATE UNIQUE INDEX membership_one_active ON membership(person_id) WHERE left_on IS NULL;
CREATE INDEX membership_household ON membership(household_id);

CREATE TRIGGER membership_opens AFTER INSERT ON membership WHEN NEW.left_on IS NULL
BEGIN UPDATE person SET household_id = NEW.household_id WHERE id = NEW.person_id; END;
CREATE TRIGGER membership_closes AFTER UPDATE OF left_on ON membership
    WHEN OLD.left_on IS NULL AND NEW.left_on IS NOT NULL
BEGIN UPDATE person SET household_id = NULL WHERE id = NEW.person_id; END;

-- Append-only and hash-chained: hash = sha256(prev_hash | every other column).
CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    user_name TEXT NOT NULL,
    command   TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id INTEGER,
    before    TEXT,
    after     TEXT,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit(entity, entity_id);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;

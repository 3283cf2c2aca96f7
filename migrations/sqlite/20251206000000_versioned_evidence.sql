-- Evidence is never rewritten. A correction to a source adds a version; the
-- earlier text stays in source_versions, and every status change records the
-- version of each source it relied on, so a later correction can be flagged
-- on it with what changed.

-- A source's date is what the source gives (`published`) or, when it gives
-- none, the date it was reported in the document named by `via` (`reported`).
ALTER TABLE sources RENAME COLUMN published_on TO dated_on;
ALTER TABLE sources ADD COLUMN date_basis TEXT NOT NULL DEFAULT 'published'
    CHECK (date_basis IN ('published', 'reported'));
-- Whether `title` is the outlet's own headline or a description Accord wrote.
-- Sources stored before this was asked are not claimed to be headlines.
ALTER TABLE sources ADD COLUMN title_basis TEXT NOT NULL DEFAULT 'description'
    CHECK (title_basis IN ('headline', 'description'));
-- The version the columns above hold: the newest row of source_versions.
ALTER TABLE sources ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- Every version of every source, the current one included. Append-only.
CREATE TABLE source_versions (
    source_id    INTEGER NOT NULL REFERENCES sources (id),
    version      INTEGER NOT NULL CHECK (version >= 1),
    publisher    TEXT NOT NULL,
    via          TEXT,
    title        TEXT NOT NULL,
    title_basis  TEXT NOT NULL CHECK (title_basis IN ('headline', 'description')),
    dated_on     TEXT NOT NULL,
    date_basis   TEXT NOT NULL CHECK (date_basis IN ('published', 'reported')),
    url          TEXT,
    quote        TEXT NOT NULL,
    kind         TEXT NOT NULL,
    language     TEXT NOT NULL,
    -- Why this version was made; NULL for a source's first version.
    correction_note TEXT,
    recorded_by  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    PRIMARY KEY (source_id, version)
) WITHOUT ROWID;

INSERT INTO source_versions (source_id, version, publisher, via, title, title_basis, dated_on, date_basis,
                             url, quote, kind, language, correction_note, recorded_by, recorded_at)
SELECT id, 1, publisher, via, title, title_basis, dated_on, date_basis, url, quote, kind, language, NULL,
       'Accord', strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
FROM sources;

CREATE TRIGGER source_versions_no_update BEFORE UPDATE ON source_versions
BEGIN
    SELECT RAISE(ABORT, 'source versions are append-only');
END;

CREATE TRIGGER source_versions_no_delete BEFORE DELETE ON source_versions
BEGIN
    SELECT RAISE(ABORT, 'source versions are append-only');
END;

-- A source's current columns always equal one of its stored versions, the
-- one `version` names: a correction adds the version first, then points the
-- source at it. Anything else (a rewrite in place, a bumped number with no
-- version behind it) is refused.
CREATE TRIGGER sources_change_only_with_a_version BEFORE UPDATE ON sources
WHEN NOT EXISTS (
    SELECT 1 FROM source_versions v
    WHERE v.source_id = NEW.id AND v.version = NEW.version
      AND v.publisher IS NEW.publisher AND v.via IS NEW.via AND v.title IS NEW.title
      AND v.title_basis IS NEW.title_basis AND v.dated_on IS NEW.dated_on
      AND v.date_basis IS NEW.date_basis AND v.url IS NEW.url AND v.quote IS NEW.quote
      AND v.kind IS NEW.kind AND v.language IS NEW.language)
BEGIN
    SELECT RAISE(ABORT, 'a source is corrected by adding a version');
END;

CREATE TRIGGER sources_no_delete BEFORE DELETE ON sources
BEGIN
    SELECT RAISE(ABORT, 'sources are evidence and are never deleted');
END;
-- The version of each source a status change relied on when it was recorded.
ALTER TABLE status_update_sources ADD COLUMN source_version INTEGER NOT NULL DEFAULT 1;

-- Corrections made to shipped data after it was first published (from the
-- seed file's [[corrections]]), for the public corrections page.
CREATE TABLE data_corrections (
    id             INTEGER PRIMARY KEY,
    summit_id      INTEGER NOT NULL REFERENCES summits (id),
    commitment_id  INTEGER REFERENCES commitments (id),
    made_on        TEXT NOT NULL,
    what           TEXT NOT NULL,
    why            TEXT NOT NULL
);
CREATE INDEX data_corrections_made_on ON data_corrections (made_on);

-- The time zone a summit's dates are reckoned in (IANA name).
ALTER TABLE summits ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
-- The shipped summit, in a database seeded before summits had a zone.
UPDATE summits SET time_zone = 'Asia/Seoul' WHERE slug = 'xi-lee-2025-11-01';

-- A reader's suggested source says the same about its date and title.
ALTER TABLE suggestions ADD COLUMN source_via TEXT;
ALTER TABLE suggestions ADD COLUMN source_date_basis TEXT NOT NULL DEFAULT 'published'
    CHECK (source_date_basis IN ('published', 'reported'));
ALTER TABLE suggestions ADD COLUMN source_title_basis TEXT NOT NULL DEFAULT 'description'
    CHECK (source_title_basis IN ('headline', 'description'));

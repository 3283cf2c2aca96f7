-- Accord speaks English, Korean and Simplified Chinese ('en', 'ko', 'zh').
-- A commitment's own title and summary are its original text, in the
-- language recorded here; translations into the other languages sit beside
-- it, each naming who made it. Sources record the language they were
-- published in, so their quotes are shown exactly as published.

ALTER TABLE commitments ADD COLUMN language TEXT NOT NULL DEFAULT 'en'
    CHECK (language IN ('en', 'ko', 'zh'));

CREATE TABLE commitment_translations (
    commitment_id  INTEGER NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
    language       TEXT NOT NULL CHECK (language IN ('en', 'ko', 'zh')),
    title          TEXT NOT NULL CHECK (length(trim(title)) > 0),
    summary        TEXT NOT NULL CHECK (length(trim(summary)) > 0),
    -- Who translated it: an editor's name, or "Accord" for the seed's own.
    translated_by  TEXT NOT NULL CHECK (length(trim(translated_by)) > 0),
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (commitment_id, language)
) WITHOUT ROWID;

-- The original is never also a translation.
CREATE TRIGGER commitment_translations_not_original BEFORE INSERT ON commitment_translations
WHEN NEW.language = (SELECT language FROM commitments WHERE id = NEW.commitment_id)
BEGIN
    SELECT RAISE(ABORT, 'a translation must be in another language than the original');
END;

ALTER TABLE summits ADD COLUMN language TEXT NOT NULL DEFAULT 'en'
    CHECK (language IN ('en', 'ko', 'zh'));

CREATE TABLE summit_translations (
    summit_id      INTEGER NOT NULL REFERENCES summits (id) ON DELETE CASCADE,
    language       TEXT NOT NULL CHECK (language IN ('en', 'ko', 'zh')),
    title          TEXT NOT NULL,
    location       TEXT NOT NULL,
    summary        TEXT NOT NULL,
    translated_by  TEXT NOT NULL,
    PRIMARY KEY (summit_id, language)
) WITHOUT ROWID;

-- A BCP 47 language tag such as 'en', 'ko' or 'zh-Hans'.
ALTER TABLE sources ADD COLUMN language TEXT NOT NULL DEFAULT 'en'
    CHECK (length(language) BETWEEN 2 AND 35);
ALTER TABLE suggestions ADD COLUMN source_language TEXT NOT NULL DEFAULT 'en'
    CHECK (length(source_language) BETWEEN 2 AND 35);

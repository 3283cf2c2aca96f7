-- Search in every language (docs/ARCHITECTURE.md, "Search in every language").
--
-- The word index (unicode61) finds words by prefix, which is right for
-- English but cannot find a Chinese word inside a run of Han characters
-- written without spaces (自贸 in 中韩自贸协定第二阶段谈判), nor a Korean
-- word inside a compound (협정 in 자유무역협정을). So there are now two
-- indexes, and both hold the commitment's translations as well:
--
-- - commitment_search: the word index, as before (unicode61, diacritics
--   removed), with a fourth column for the translations' titles and
--   summaries. Terms without CJK characters are matched here, as prefixes.
-- - commitment_search_cjk: a trigram index of those texts that contain CJK
--   characters (no other text can contain a CJK term). CJK terms of three
--   characters or more are trigram phrases, which match anywhere in the
--   text. A shorter term is found through the index's list of trigrams
--   (commitment_search_cjk_trigrams): it occurs wherever a trigram starting
--   with it does, since the text ends with two line breaks.
--
-- Each index's text for a commitment is defined once, by a view, and every
-- trigger rewrites the commitment's rows from those views, so no write can
-- leave either index stale.

DROP TRIGGER commitments_search_on_insert;
DROP TRIGGER commitments_search_on_update;
DROP TRIGGER commitments_search_on_delete;
DROP TRIGGER commitment_sources_search_on_insert;
DROP TRIGGER commitment_sources_search_on_delete;
DROP TRIGGER sources_search_on_update;
DROP TABLE commitment_search;

-- A GLOB pattern matching text that contains a CJK character: the blocks of
-- domain::CJK_RANGES (a store test checks that the two agree).
CREATE VIEW search_cjk_glob (pattern) AS
SELECT '*['
       || char(0x1100) || '-' || char(0x11FF)    -- Hangul Jamo
       || char(0x2E80) || '-' || char(0x2FDF)    -- CJK and Kangxi radicals
       || char(0x3000) || '-' || char(0x31FF)    -- CJK symbols, kana, bopomofo, compatibility jamo
       || char(0x3400) || '-' || char(0x4DBF)    -- CJK unified ideographs extension A
       || char(0x4E00) || '-' || char(0x9FFF)    -- CJK unified ideographs
       || char(0xA960) || '-' || char(0xA97F)    -- Hangul Jamo extended A
       || char(0xAC00) || '-' || char(0xD7FF)    -- Hangul syllables, Hangul Jamo extended B
       || char(0xF900) || '-' || char(0xFAFF)    -- CJK compatibility ideographs
       || char(0xFF00) || '-' || char(0xFFEF)    -- full-width and half-width forms
       || char(0x20000) || '-' || char(0x3FFFF)  -- ideographs of planes 2 and 3
       || ']*';

-- The word index's text of each commitment.
CREATE VIEW commitment_search_text (id, title, summary, quotes, translations) AS
SELECT c.id, c.title, c.summary,
       coalesce((SELECT group_concat(s.quote, char(10)) FROM commitment_sources cs
                 JOIN sources s ON s.id = cs.source_id WHERE cs.commitment_id = c.id), ''),
       coalesce((SELECT group_concat(t.title || char(10) || t.summary, char(10))
                 FROM commitment_translations t WHERE t.commitment_id = c.id), '')
FROM commitments c;

-- The trigram index's text of each commitment: those of its texts (title,
-- summary, each quote, each translation's title and summary) that contain a
-- CJK character, one per line, and two line breaks after the last, so that
-- every character of the text starts a trigram. A commitment with no such
-- text has no row. ASCII text (as many bytes as characters) is passed over
-- before the GLOB, which costs more; the CASE makes sure of the order.
CREATE VIEW commitment_search_cjk_text (id, text) AS
SELECT id, text || char(10) || char(10) FROM (
    SELECT c.id,
           coalesce((
               SELECT group_concat(part, char(10)) FROM (
                   SELECT c.title AS part
                   UNION ALL SELECT c.summary
                   UNION ALL SELECT s.quote FROM commitment_sources cs JOIN sources s ON s.id = cs.source_id
                             WHERE cs.commitment_id = c.id
                   UNION ALL SELECT t.title FROM commitment_translations t WHERE t.commitment_id = c.id
                   UNION ALL SELECT t.summary FROM commitment_translations t WHERE t.commitment_id = c.id)
               WHERE CASE WHEN length(part) = length(CAST(part AS BLOB)) THEN 0
                          ELSE part GLOB (SELECT pattern FROM search_cjk_glob) END), '') AS text
    FROM commitments c)
WHERE text <> '';

CREATE VIRTUAL TABLE commitment_search USING fts5(
    title, summary, quotes, translations,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Case is folded, as in the word index. Diacritics are kept: a short term
-- is looked up among the stored trigrams as the reader typed it (lower-
-- cased), so they must be stored as written; accent-blind matching of Latin
-- words is the word index's job. (These options, unlike remove_diacritics,
-- are also understood by SQLite 3.40, Debian's sqlite3 and Python's.)
CREATE VIRTUAL TABLE commitment_search_cjk USING fts5(
    text,
    tokenize = 'trigram case_sensitive 0'
);

-- Every trigram of the trigram index, with the row (doc) it occurs in.
CREATE VIRTUAL TABLE commitment_search_cjk_trigrams USING fts5vocab(commitment_search_cjk, 'instance');

INSERT INTO commitment_search (rowid, title, summary, quotes, translations)
SELECT id, title, summary, quotes, translations FROM commitment_search_text;

INSERT INTO commitment_search_cjk (rowid, text)
SELECT id, text FROM commitment_search_cjk_text;

-- Every trigger below rewrites the rows of the commitments whose text it
-- changed from the two views (FTS5 rewrites a whole row on any update, so
-- this costs what updating one column did).

CREATE TRIGGER commitments_search_on_insert AFTER INSERT ON commitments
BEGIN
    INSERT INTO commitment_search (rowid, title, summary, quotes, translations)
    SELECT id, title, summary, quotes, translations FROM commitment_search_text WHERE id = NEW.id;
    INSERT INTO commitment_search_cjk (rowid, text)
    SELECT id, text FROM commitment_search_cjk_text WHERE id = NEW.id;
END;

CREATE TRIGGER commitments_search_on_update AFTER UPDATE OF title, summary ON commitments
BEGIN
    DELETE FROM commitment_search WHERE rowid = NEW.id;
    INSERT INTO commitment_search (rowid, title, summary, quotes, translations)
    SELECT id, title, summary, quotes, translations FROM commitment_search_text WHERE id = NEW.id;
    DELETE FROM commitment_search_cjk WHERE rowid = NEW.id;
    INSERT INTO commitment_search_cjk (rowid, text)
    SELECT id, text FROM commitment_search_cjk_text WHERE id = NEW.id;
END;

CREATE TRIGGER commitments_search_on_delete AFTER DELETE ON commitments
BEGIN
    DELETE FROM commitment_search WHERE rowid = OLD.id;
    DELETE FROM commitment_search_cjk WHERE rowid = OLD.id;
END;

CREATE TRIGGER commitment_sources_search_on_insert AFTER INSERT ON commitment_sources
BEGIN
    DELETE FROM commitment_search WHERE rowid = NEW.commitment_id;
    INSERT INTO commitment_search (rowid, title, summary, quotes, translations)
    SELECT id, title, summary, quotes, translations FROM commitment_search_text WHERE id = NEW.commitment_id;
    DELETE FROM commitment_search_cjk WHERE rowid = NEW.commitment_id;
    INSERT INTO commitment_search_cjk (rowid, text)
    SELECT id, text FROM commitment_search_cjk_text WHERE id = NEW.commitment_id;
END;

CREATE TRIGGER commitment_sources_search_on_delete AFTER DELETE ON commitment_sources
BEGIN
    DELETE FROM commitment_search WHERE rowid = OLD.commitment_id;
    INSERT INTO commitment_search (rowid, title, summary, quotes, translations)
    SELECT id, title, summary, quotes, translations FROM commitment_search_text WHERE id = OLD.commitment_id;
    DELETE FROM commitment_search_cjk WHERE rowid = OLD.commitment_id;
    INSERT INTO commitment_search_cjk (rowid, text)
    SELECT id, text FROM commitment_search_cjk_text WHERE id = OLD.commitment_id;
END;

CREATE TRIGGER sources_search_on_update AFTER UPDATE OF quote ON sources
BEGIN
    DELETE FROM commitment_search
    WHERE rowid IN (SELECT commitment_id FROM commitment_sources WHERE source_id = NEW.id);
    INSERT INTO commitment_search (rowid, title, summary, quotes, translations)
    SELECT id, title, summary, quotes, translations FROM commitment_search_text
    WHERE id IN (SELECT commitment_id FROM commitment_sources WHERE source_id = NEW.id);
    DELETE FROM commitment_search_cjk
    WHERE rowid IN (SELECT commitment_id FROM commitment_sources WHERE source_id = NEW.id);
    INSERT INTO commitment_search_cjk (rowid, text)
    SELECT id, text FROM commitment_search_cjk_text
    WHERE id IN (SELECT commitment_id FROM commitment_sources WHERE source_id = NEW.id);
END;

CREATE TRIGGER commitment_translations_search_on_insert AFTER INSERT ON commitment_translations
BEGIN
    DELETE FROM commitment_search WHERE rowid = NEW.commitment_id;
    INSERT INTO commitment_search (rowid, title, summary, quotes, translations)
    SELECT id, title, summary, quotes, translations FROM commitment_search_text WHERE id = NEW.commitment_id;
    DELETE FROM commitment_search_cjk WHERE rowid = NEW.commitment_id;
    INSERT INTO commitment_search_cjk (rowid, text)
    SELECT id, text FROM commitment_search_cjk_text WHERE id = NEW.commitment_id;
END;

-- Any column: a translation moved to another commitment (or language)
-- rewrites both commitments' rows.
CREATE TRIGGER commitment_translations_search_on_update AFTER UPDATE ON commitment_translations
BEGIN
    DELETE FROM commitment_search WHERE rowid IN (OLD.commitment_id, NEW.commitment_id);
    INSERT INTO commitment_search (rowid, title, summary, quotes, translations)
    SELECT id, title, summary, quotes, translations FROM commitment_search_text
    WHERE id IN (OLD.commitment_id, NEW.commitment_id);
    DELETE FROM commitment_search_cjk WHERE rowid IN (OLD.commitment_id, NEW.commitment_id);
    INSERT INTO commitment_search_cjk (rowid, text)
    SELECT id, text FROM commitment_search_cjk_text WHERE id IN (OLD.commitment_id, NEW.commitment_id);
END;

CREATE TRIGGER commitment_translations_search_on_delete AFTER DELETE ON commitment_translations
BEGIN
    DELETE FROM commitment_search WHERE rowid = OLD.commitment_id;
    INSERT INTO commitment_search (rowid, title, summary, quotes, translations)
    SELECT id, title, summary, quotes, translations FROM commitment_search_text WHERE id = OLD.commitment_id;
    DELETE FROM commitment_search_cjk WHERE rowid = OLD.commitment_id;
    INSERT INTO commitment_search_cjk (rowid, text)
    SELECT id, text FROM commitment_search_cjk_text WHERE id = OLD.commitment_id;
END;

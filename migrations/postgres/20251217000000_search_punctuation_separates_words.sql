-- Search reads every run of letters and digits as a word, as SQLite's FTS5
-- (unicode61) does. PostgreSQL's text-search parser reads some runs of
-- punctuation as tokens of their own kind instead, and the 'simple'
-- configuration leaves several of them out of the vector: `<script>` and
-- `</b>` are HTML tags (dropped, and with them the word inside), `&amp;` is
-- an entity, `example.com` a host, `a@b.com` an address, `1.5` a number.
-- So a commitment titled "<script> ferry routes" was not found by "script"
-- here while SQLite found it (the hostile-input test, run on both engines,
-- showed it). ASCII punctuation now becomes a space before the text is
-- parsed, leaving only words and numbers, as FTS5 sees them. Non-ASCII
-- punctuation is already a separator to the parser.

CREATE OR REPLACE FUNCTION search_words(part text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT translate(part, '!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~', repeat(' ', 32))
$$;

CREATE OR REPLACE FUNCTION refresh_commitment_search(target bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM commitment_search WHERE commitment_id = target;
    INSERT INTO commitment_search (commitment_id, words, cjk_text)
    SELECT c.id,
           to_tsvector('simple', unaccent(search_words(concat_ws(chr(10), c.title, c.summary,
               (SELECT string_agg(s.quote, chr(10) ORDER BY s.id) FROM commitment_sources cs
                JOIN sources s ON s.id = cs.source_id WHERE cs.commitment_id = c.id),
               (SELECT string_agg(t.title || chr(10) || t.summary, chr(10) ORDER BY t.language)
                FROM commitment_translations t WHERE t.commitment_id = c.id))))),
           coalesce((SELECT string_agg(lower(part COLLATE "und-x-icu"), chr(10)) FROM (
                SELECT c.title AS part
                UNION ALL SELECT c.summary
                UNION ALL SELECT s.quote FROM commitment_sources cs JOIN sources s ON s.id = cs.source_id
                          WHERE cs.commitment_id = c.id
                UNION ALL SELECT t.title FROM commitment_translations t WHERE t.commitment_id = c.id
                UNION ALL SELECT t.summary FROM commitment_translations t WHERE t.commitment_id = c.id) parts
                WHERE has_cjk(part)), '')
    FROM commitments c WHERE c.id = target;
END;
$$;

-- The commitments already stored, indexed again.
SELECT refresh_commitment_search(id) FROM commitments;

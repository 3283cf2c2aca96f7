-- A no-JavaScript form's refusal on its way from the post to the page it
-- redirects to (server::flash), kept a minute under a random id that the
-- browser holds in a cookie. A site on PostgreSQL keeps them here, so the
-- replica that answers the redirect shows what another refused; a site on
-- SQLite, one process, keeps them in its memory. The table is on both
-- engines so that both have one schema (store::schema_report).
CREATE TABLE form_flashes (
    id          TEXT PRIMARY KEY NOT NULL,
    page        TEXT NOT NULL,
    carried     TEXT NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX form_flashes_expires_at ON form_flashes (expires_at);

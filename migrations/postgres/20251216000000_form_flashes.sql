-- A no-JavaScript form's refusal on its way from the post to the page it
-- redirects to (server::flash; see migrations/sqlite/ of the same name):
-- every replica reads what another kept.
CREATE TABLE form_flashes (
    id          TEXT COLLATE "C" PRIMARY KEY,
    page        TEXT COLLATE "C" NOT NULL,
    carried     TEXT COLLATE "C" NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX form_flashes_expires_at ON form_flashes (expires_at);

-- The sessions table now holds SHA-256 of each session id (hex), never the
-- id itself (store/src/sessions.rs). A stored id cannot be turned into its
-- hash's key, and the old rows are the very credentials this change stops
-- keeping, so they are deleted: everyone signed in signs in again.
DELETE FROM sessions;

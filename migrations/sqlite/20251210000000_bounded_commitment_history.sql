-- A commitment's permalink and history read only the rows they show, however
-- long its history grows (issue 17: 10,000 status changes).
--
-- The timeline, newest first: the latest rows of one commitment in date
-- order are read straight off this index, with no sort of all its changes.
CREATE INDEX status_updates_commitment_effective_on ON status_updates (commitment_id, effective_on, id);

-- When a commitment's statuses last changed (the permalink's dateModified
-- and the sitemap's lastmod): the last entry of this index, not a scan.
CREATE INDEX status_updates_commitment_recorded_at ON status_updates (commitment_id, recorded_at);

-- The history pages walk revisions by (commitment_id, version) through the
-- UNIQUE constraint's index, which exists already.

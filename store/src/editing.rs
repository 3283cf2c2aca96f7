//! The write path for commitments. Every write runs in one transaction that
//! starts by bumping the commitment's version *only if* it still has the
//! version the editor's form was loaded at; a stale form therefore changes
//! nothing and gets a conflict naming the change it missed. Each write also
//! appends a revision with the state before and after.

use crate::data_changes::Change;
use crate::Db;
use chrono::{DateTime, Utc};
use sqlx::{Sqlite, Transaction};

use domain::{
    format_date, CommitmentSnapshot, CommitmentTranslation, ConflictInfo, CurrentUser, Locale, PartyChoice, PartyCode,
    PartyRef, Slug, SnapshotStatus, Status, StatusChange,
};

use super::commitments::decode;

pub use crate::refusal::{Refusal, WriteError};

/// A commitment's next version, claimed for a write.
struct Claimed {
    id: i64,
    version: i64,
    /// The slug of the commitment's summit (as it was before the write):
    /// whose views the write makes stale (`data_changes`).
    summit: String,
}

/// Claims the next version of a commitment for this write. Being the first
/// statement, this UPDATE also takes SQLite's write lock at once, so the
/// reads that follow see a state no other writer can change before commit.
async fn claim_next_version(
    tx: &mut Transaction<'_, Sqlite>,
    slug: &Slug,
    expected_version: i64,
    now: DateTime<Utc>,
) -> Result<Claimed, WriteError> {
    let slug_text = slug.as_str();
    // The summit's slug comes back with the claim, not by a statement of
    // its own: every statement in the write turn is paid by every editor.
    let claimed = sqlx::query!(
        r#"UPDATE commitments SET version = version + 1, updated_at = ?1
           WHERE slug = ?2 AND version = ?3
           RETURNING id AS "id!: i64", version AS "version!: i64",
                     (SELECT s.slug FROM summits s WHERE s.id = commitments.summit_id) AS "summit!: String""#,
        now,
        slug_text,
        expected_version
    )
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(row) = claimed {
        return Ok(Claimed {
            id: row.id,
            version: row.version,
            summit: row.summit,
        });
    }
    let current = sqlx::query!(
        r#"SELECT id AS "id!: i64", version FROM commitments WHERE slug = ?1"#,
        slug_text
    )
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(WriteError::NotFound)?;
    let latest = sqlx::query!(
        r#"SELECT recorded_by, created_at AS "created_at: DateTime<Utc>", summary
           FROM revisions WHERE commitment_id = ?1 ORDER BY version DESC LIMIT 1"#,
        current.id
    )
    .fetch_optional(&mut **tx)
    .await?;
    let (changed_by, changed_at, change) = match latest {
        Some(r) => (r.recorded_by, r.created_at, r.summary),
        None => (
            "Another editor".to_owned(),
            now,
            "The commitment was changed.".to_owned(),
        ),
    };
    Err(WriteError::StaleVersion(ConflictInfo {
        current_version: current.version,
        changed_by,
        changed_at,
        change,
    }))
}

/// The commitment's editable state, read inside the write transaction.
pub async fn snapshot(tx: &mut Transaction<'_, Sqlite>, commitment_id: i64) -> Result<CommitmentSnapshot, sqlx::Error> {
    // The sources come along as a JSON array: one statement fewer on every
    // write, each of which waits its turn behind the others.
    let row = sqlx::query!(
        r#"SELECT c.title, c.summary, c.theme, p.code AS "proposer?", c.due_on AS "due_on: chrono::NaiveDate", c.due_note,
                  c.due_basis,
                  (SELECT json_group_array(source_id)
                     FROM (SELECT source_id FROM commitment_sources WHERE commitment_id = c.id ORDER BY source_id))
                    AS "source_ids!: String"
           FROM commitments c LEFT JOIN parties p ON p.id = c.proposed_by_party_id WHERE c.id = ?1"#,
        commitment_id
    )
    .fetch_one(&mut **tx)
    .await?;
    let statuses = snapshot_statuses(tx, commitment_id).await?;
    let source_ids: Vec<i64> = serde_json::from_str(&row.source_ids).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    let translations = snapshot_translations(tx, commitment_id).await?;
    Ok(CommitmentSnapshot {
        title: row.title,
        summary: row.summary,
        theme: decode(&row.theme)?,
        proposed_by: row.proposer.as_deref().map(decode).transpose()?,
        due_on: row.due_on,
        due_basis: row.due_basis.as_deref().map(decode).transpose()?,
        due_note: row.due_note,
        owed_by: statuses.owed_by,
        source_ids,
        statuses: statuses.statuses,
        translations: Some(translations),
    })
}

/// A commitment's translations, for a snapshot.
async fn snapshot_translations(
    tx: &mut Transaction<'_, Sqlite>,
    commitment_id: i64,
) -> Result<Vec<CommitmentTranslation>, sqlx::Error> {
    let rows = sqlx::query!(
        "SELECT language, title, summary, translated_by FROM commitment_translations
         WHERE commitment_id = ?1 ORDER BY language",
        commitment_id
    )
    .fetch_all(&mut **tx)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(CommitmentTranslation {
                language: Locale::from_code(&row.language)
                    .ok_or_else(|| sqlx::Error::Decode(format!("unknown language “{}”", row.language).into()))?,
                title: row.title,
                summary: row.summary,
                translated_by: row.translated_by,
            })
        })
        .collect()
}

/// Makes a commitment's translations exactly `wanted` (a revert).
async fn restore_translations(
    tx: &mut Transaction<'_, Sqlite>,
    commitment_id: i64,
    wanted: &[CommitmentTranslation],
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "DELETE FROM commitment_translations WHERE commitment_id = ?1",
        commitment_id
    )
    .execute(&mut **tx)
    .await?;
    for translation in wanted {
        crate::translations::put_commitment_translation(tx, commitment_id, translation, now).await?;
    }
    Ok(())
}

/// Adds or corrects a commitment's title and summary in one language other
/// than its original's, as one revision naming the editor as translator.
pub async fn save_translation(
    db: &Db,
    slug: &Slug,
    fields: &domain::TranslationFields,
    expected_version: i64,
    editor: &CurrentUser,
    now: DateTime<Utc>,
) -> Result<i64, WriteError> {
    let pool = db.pool();
    let _turn = db.write_turn().await;
    let mut tx = pool.begin().await?;
    let claimed = claim_next_version(&mut tx, slug, expected_version, now).await?;
    let (commitment_id, version) = (claimed.id, claimed.version);
    let original = sqlx::query_scalar!("SELECT language FROM commitments WHERE id = ?1", commitment_id)
        .fetch_one(&mut *tx)
        .await?;
    if original == fields.language.code() {
        return Err(Refusal::TranslationIntoOriginal.into());
    }
    let before = snapshot(&mut tx, commitment_id).await?;
    let translation = CommitmentTranslation {
        language: fields.language,
        title: fields.title.clone(),
        summary: fields.summary.clone(),
        translated_by: editor.name.clone(),
    };
    crate::translations::put_commitment_translation(&mut tx, commitment_id, &translation, now).await?;
    let after = snapshot(&mut tx, commitment_id).await?;
    let name = fields.language.english_name();
    let existed = before
        .translations
        .as_ref()
        .is_some_and(|list| list.iter().any(|t| t.language == fields.language));
    let summary = if existed {
        format!("Corrected the {name} translation.")
    } else {
        format!("Added a {name} translation.")
    };
    append_revision(
        &mut tx,
        commitment_id,
        version,
        editor,
        "translate",
        &summary,
        &before,
        &after,
        now,
    )
    .await?;
    tx.commit().await?;
    // The translation shows on the commitment's pages and wherever it is
    // listed in that language.
    db.data_committed(Change::commitment(slug.as_str(), &claimed.summit));
    Ok(version)
}

/// The owing parties of a commitment, in order, with their current status
/// and short name (for revision summaries).
struct StatusesSnapshot {
    owed_by: Vec<PartyCode>,
    statuses: Vec<SnapshotStatus>,
    parties: Vec<PartyRef>,
}

/// Each owing party, and its current status, for a snapshot.
async fn snapshot_statuses(
    tx: &mut Transaction<'_, Sqlite>,
    commitment_id: i64,
) -> Result<StatusesSnapshot, sqlx::Error> {
    let statuses = sqlx::query!(
        r#"SELECT p.code, p.short_name, su.id AS "status_update_id?: i64", su.status AS "status?: String",
                  su.effective_on AS "effective_on?: chrono::NaiveDate"
           FROM commitment_parties cp
           JOIN parties p ON p.id = cp.party_id
           -- The current update, kept by the status_updates_set_current trigger.
           LEFT JOIN status_updates su ON su.id = cp.status_update_id
           WHERE cp.commitment_id = ?1 ORDER BY p.id"#,
        commitment_id
    )
    .fetch_all(&mut **tx)
    .await?;
    let mut snapshot = StatusesSnapshot {
        owed_by: Vec::new(),
        statuses: Vec::new(),
        parties: Vec::new(),
    };
    for s in statuses {
        let code = decode::<PartyCode>(&s.code)?;
        let status = s
            .status
            .as_deref()
            .map(decode::<Status>)
            .transpose()?
            .unwrap_or(Status::NotYetRated);
        snapshot.owed_by.push(code.clone());
        snapshot.parties.push(PartyRef {
            code: code.clone(),
            short_name: s.short_name,
        });
        snapshot.statuses.push(SnapshotStatus {
            party: code,
            status,
            since: s.effective_on,
            status_update_id: s.status_update_id,
        });
    }
    Ok(snapshot)
}

/// The commitment's sources, for a snapshot.
async fn snapshot_source_ids(tx: &mut Transaction<'_, Sqlite>, commitment_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    let source_ids: Vec<i64> = sqlx::query_scalar!(
        r#"SELECT source_id AS "id!: i64" FROM commitment_sources WHERE commitment_id = ?1 ORDER BY source_id"#,
        commitment_id
    )
    .fetch_all(&mut **tx)
    .await?;
    Ok(source_ids)
}

#[allow(clippy::too_many_arguments)]
async fn append_revision(
    tx: &mut Transaction<'_, Sqlite>,
    commitment_id: i64,
    version: i64,
    editor: &CurrentUser,
    action: &str,
    summary: &str,
    before: &CommitmentSnapshot,
    after: &CommitmentSnapshot,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let before = serde_json::to_string(before).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let after = serde_json::to_string(after).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query!(
        "INSERT INTO revisions (commitment_id, version, user_id, recorded_by, action, summary, before_json, after_json, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        commitment_id,
        version,
        editor.id,
        editor.name,
        action,
        summary,
        before,
        after,
        now
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What a successful status change produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedStatusChange {
    pub version: i64,
    pub status_update_ids: Vec<i64>,
    /// The slug of the commitment's summit.
    pub summit: String,
}

impl RecordedStatusChange {
    /// What the change wrote, for `Db::data_committed`: the commitment's
    /// statuses (and a source, if it added one), shown on its own pages
    /// and wherever it is listed.
    pub(crate) fn change(&self, slug: &Slug) -> Change {
        Change::commitment(slug.as_str(), &self.summit)
    }
}

/// Records a status change for one or every owing party, with its evidence.
pub async fn record_status_change(
    db: &Db,
    slug: &Slug,
    change: &StatusChange,
    editor: &CurrentUser,
    now: DateTime<Utc>,
) -> Result<RecordedStatusChange, WriteError> {
    // Editors' status changes come in rushes: they share commits (see
    // `group_commit`), and the answer waits until this one is stored.
    let mut member = db.join_group().await?;
    let recorded = record_status_change_in(member.tx(), slug, change, editor, now).await;
    member.finish(recorded, |recorded| recorded.change(slug)).await
}

/// The same, inside a caller's transaction (accepting a suggestion records
/// the change and the decision together).
pub async fn record_status_change_in(
    tx: &mut Transaction<'_, Sqlite>,
    slug: &Slug,
    change: &StatusChange,
    editor: &CurrentUser,
    now: DateTime<Utc>,
) -> Result<RecordedStatusChange, WriteError> {
    let claimed = claim_next_version(tx, slug, change.expected_version, now).await?;
    let (commitment_id, version) = (claimed.id, claimed.version);
    let before = snapshot(tx, commitment_id).await?;

    let parties: Vec<PartyCode> = match &change.parties {
        PartyChoice::AllOwing => before.owed_by.clone(),
        PartyChoice::One(code) if before.owed_by.contains(code) => vec![code.clone()],
        PartyChoice::One(_) => return Err(Refusal::PartyNotOwing.into()),
    };
    if let Some(unknown) = change.source_ids.iter().find(|id| !before.source_ids.contains(id)) {
        tracing::debug!(
            source_id = unknown,
            "status change cites a source of another commitment"
        );
        return Err(Refusal::CitedSourceNotOnCommitment.into());
    }

    let mut evidence = change.source_ids.clone();
    if let Some(source) = &change.new_source {
        let source_id = insert_linked_source(tx, commitment_id, source, &editor.name, now).await?;
        evidence.push(source_id);
    }
    // Every status change has evidence, whatever sent it (the forms check
    // too, but the rule is the data's).
    if evidence.is_empty() {
        return Err(Refusal::NoEvidence.into());
    }
    // A rating beyond Not yet rated needs a source reporting a step taken
    // after the promise: at the least, one dated after the summit at which
    // it was made (docs/METHODOLOGY.md, rule a).
    if change.status != Status::NotYetRated {
        let ids = serde_json::to_string(&evidence).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        let after_the_summit = sqlx::query_scalar!(
            r#"SELECT COUNT(*) AS "n!: i64" FROM sources s, commitments c JOIN summits m ON m.id = c.summit_id
               WHERE c.id = ?1 AND s.id IN (SELECT value FROM json_each(?2)) AND s.dated_on > m.held_on"#,
            commitment_id,
            ids
        )
        .fetch_one(&mut **tx)
        .await?;
        if after_the_summit == 0 {
            return Err(Refusal::EvidencePredatesCommitment.into());
        }
    }

    let status = change.status.code();
    let mut status_update_ids = Vec::new();
    for code in &parties {
        let code_text = code.as_str();
        let update_id = sqlx::query_scalar!(
            r#"INSERT INTO status_updates (commitment_id, party_id, status, effective_on, note, recorded_by, recorded_at, user_id)
               SELECT ?1, id, ?2, ?3, ?4, ?5, ?6, ?7 FROM parties WHERE code = ?8
               RETURNING id AS "id!: i64""#,
            commitment_id,
            status,
            change.effective_on,
            change.note,
            editor.name,
            now,
            editor.id,
            code_text
        )
        .fetch_one(&mut **tx)
        .await?;
        for source_id in &evidence {
            // The change relies on the source as it reads now: its current
            // version, which later corrections will be compared with.
            sqlx::query!(
                "INSERT INTO status_update_sources (status_update_id, source_id, source_version)
                 SELECT ?1, id, version FROM sources WHERE id = ?2",
                update_id,
                source_id
            )
            .execute(&mut **tx)
            .await?;
        }
        status_update_ids.push(update_id);
    }

    // A status change touches only statuses (and sources, when it adds
    // one): re-read just those, not the whole commitment (fewer statements
    // inside the write turn, where every one is paid by every editor).
    let statuses = snapshot_statuses(tx, commitment_id).await?;
    let source_ids = match change.new_source {
        Some(_) => snapshot_source_ids(tx, commitment_id).await?,
        None => before.source_ids.clone(),
    };
    let after = CommitmentSnapshot {
        owed_by: statuses.owed_by,
        source_ids,
        statuses: statuses.statuses,
        ..before.clone()
    };
    // The changed parties all owe the commitment (checked above), so each
    // has its name among the owing parties.
    let summary = describe_status_change(&before, &after, &parties, change, domain::party_name(&statuses.parties));
    append_revision(
        tx,
        commitment_id,
        version,
        editor,
        "status_change",
        &summary,
        &before,
        &after,
        now,
    )
    .await?;
    Ok(RecordedStatusChange {
        version,
        status_update_ids,
        summit: claimed.summit,
    })
}

/// "South Korea: Not yet rated → In progress, effective 1 March 2026."
fn describe_status_change(
    before: &CommitmentSnapshot,
    after: &CommitmentSnapshot,
    parties: &[PartyCode],
    change: &StatusChange,
    name_of: impl Fn(&PartyCode) -> String,
) -> String {
    let status_of = |snapshot: &CommitmentSnapshot, code: &PartyCode| snapshot.status_of(code);
    let parts: Vec<String> = parties
        .iter()
        .map(|code| {
            format!(
                "{}: {} → {}",
                name_of(code),
                status_of(before, code).label(),
                status_of(after, code).label()
            )
        })
        .collect();
    format!(
        "Status change, {}, effective {}.",
        parts.join("; "),
        format_date(change.effective_on)
    )
}

/// Who the history credits with a seeded commitment's first version.
pub const SEEDED_BY: &str = "the summit's data";

/// The commitment's editable state at `version`: what the revision of that
/// version left, or, for a version no revision records (a seeded first
/// version), what the next revision found before its edit.
async fn state_at(
    tx: &mut Transaction<'_, Sqlite>,
    commitment_id: i64,
    version: i64,
) -> Result<Option<CommitmentSnapshot>, sqlx::Error> {
    let after = sqlx::query_scalar!(
        "SELECT after_json FROM revisions WHERE commitment_id = ?1 AND version = ?2",
        commitment_id,
        version
    )
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(json) = after {
        return parse_snapshot(&json).map(Some);
    }
    let next = version + 1;
    let before = sqlx::query_scalar!(
        "SELECT before_json FROM revisions WHERE commitment_id = ?1 AND version = ?2",
        commitment_id,
        next
    )
    .fetch_optional(&mut **tx)
    .await?
    .flatten();
    before.as_deref().map(parse_snapshot).transpose()
}

pub(crate) fn parse_snapshot(json: &str) -> Result<CommitmentSnapshot, sqlx::Error> {
    serde_json::from_str(json).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// Restores a commitment to the state recorded by an earlier revision: its
/// fields and source links are set back, and each party whose status differs
/// gets a new status update restoring the earlier one (history stays
/// append-only), citing the evidence of the update it restores. The revert
/// is itself a new revision.
pub async fn revert_commitment(
    db: &Db,
    slug: &Slug,
    to_version: i64,
    expected_version: i64,
    editor: &CurrentUser,
    now: DateTime<Utc>,
) -> Result<i64, WriteError> {
    let pool = db.pool();
    let _turn = db.write_turn().await;
    let mut tx = pool.begin().await?;
    let claimed = claim_next_version(&mut tx, slug, expected_version, now).await?;
    let (commitment_id, version) = (claimed.id, claimed.version);
    let target = match to_version {
        1.. if to_version < version => state_at(&mut tx, commitment_id, to_version).await?,
        _ => None,
    }
    .ok_or(Refusal::NoSuchVersion(to_version))?;
    let before = snapshot(&mut tx, commitment_id).await?;

    let theme = target.theme.code();
    let proposer = target.proposed_by.as_ref().map(|p| p.to_string());
    let target_basis = target.due_basis.map(|b| b.code());
    sqlx::query!(
        "UPDATE commitments SET title = ?1, summary = ?2, theme = ?3,
             proposed_by_party_id = (SELECT id FROM parties WHERE code = ?4), due_on = ?5, due_note = ?6,
             due_basis = ?8
         WHERE id = ?7",
        target.title,
        target.summary,
        theme,
        proposer,
        target.due_on,
        target.due_note,
        commitment_id,
        target_basis
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!("DELETE FROM commitment_sources WHERE commitment_id = ?1", commitment_id)
        .execute(&mut *tx)
        .await?;
    for source_id in &target.source_ids {
        sqlx::query!(
            "INSERT INTO commitment_sources (commitment_id, source_id) VALUES (?1, ?2)",
            commitment_id,
            source_id
        )
        .execute(&mut *tx)
        .await?;
    }
    let today = now.date_naive();
    for wanted in &target.statuses {
        let current = before.statuses.iter().find(|s| s.party == wanted.party);
        let unchanged = current.is_some_and(|c| c.status_update_id == wanted.status_update_id);
        if unchanged {
            continue;
        }
        // A party with no status recorded at that version (as when the
        // summit's data was loaded) goes back to "Not yet rated"; there is
        // no evidence to cite for that.
        let (status, note, restored_update) = match wanted.status_update_id {
            Some(id) => (
                wanted.status,
                format!(
                    "Reverted to version {to_version}: restores the status recorded then ({}).",
                    wanted.since.map_or_else(String::new, format_date)
                ),
                Some(id),
            ),
            None if current.is_some_and(|c| c.status_update_id.is_some()) => (
                Status::NotYetRated,
                format!("Reverted to version {to_version}: no status had been recorded then."),
                None,
            ),
            None => continue,
        };
        let status = status.code();
        let code = wanted.party.as_str();
        // The restored status takes effect today (UTC), but never before the
        // status it replaces: that one may be dated today in the summit's
        // zone (the forms' "today"), ahead of UTC, and a restoring update
        // dated before it would not become current.
        let effective_on = current.and_then(|c| c.since).map_or(today, |since| since.max(today));
        let update_id = sqlx::query_scalar!(
            r#"INSERT INTO status_updates (commitment_id, party_id, status, effective_on, note, recorded_by, recorded_at, user_id)
               SELECT ?1, id, ?2, ?3, ?4, ?5, ?6, ?7 FROM parties WHERE code = ?8
               RETURNING id AS "id!: i64""#,
            commitment_id,
            status,
            effective_on,
            note,
            editor.name,
            now,
            editor.id,
            code
        )
        .fetch_one(&mut *tx)
        .await?;
        if let Some(restored_update) = restored_update {
            sqlx::query!(
                "INSERT INTO status_update_sources (status_update_id, source_id, source_version)
             SELECT ?1, source_id, source_version FROM status_update_sources WHERE status_update_id = ?2",
                update_id,
                restored_update
            )
            .execute(&mut *tx)
            .await?;
        }
    }
    if let Some(translations) = &target.translations {
        restore_translations(&mut tx, commitment_id, translations, now).await?;
    }
    let after = snapshot(&mut tx, commitment_id).await?;
    let summary = format!("Reverted to version {to_version}.");
    append_revision(
        &mut tx,
        commitment_id,
        version,
        editor,
        "revert",
        &summary,
        &before,
        &after,
        now,
    )
    .await?;
    tx.commit().await?;
    // A revert restores the commitment's own fields, statuses, source
    // links and translations (never a source's text, which other
    // commitments show), and shows in the corrections' list.
    db.data_committed(Change::commitment(slug.as_str(), &claimed.summit));
    Ok(version)
}

/// Creates a commitment. Its slug comes from the title and never changes
/// afterwards; a taken slug gets `-2`, `-3`… Returns the slug.
pub async fn create_commitment(
    db: &Db,
    fields: &domain::CommitmentFields,
    editor: &CurrentUser,
    now: DateTime<Utc>,
) -> Result<Slug, WriteError> {
    let pool = db.pool();
    let base = Slug::from_title(&fields.title).ok_or(Refusal::TitleMakesNoSlug)?;
    let _turn = db.write_turn().await;
    let mut tx = pool.begin().await?;
    let summit_slug = fields.summit.as_str();
    let summit_id = sqlx::query_scalar!(r#"SELECT id AS "id!: i64" FROM summits WHERE slug = ?1"#, summit_slug)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Refusal::UnknownSummit)?;
    let theme = fields.theme.code();
    let proposer = fields.proposed_by.as_ref().map(|p| p.to_string());
    let due_basis = fields.due_basis.map(|b| b.code());
    // The UNIQUE constraint on `commitments.slug` says whether a slug is
    // taken; a taken one gets `-2`, `-3`… (SQLite undoes only the refused
    // INSERT, not the transaction).
    let mut slug = base.clone();
    let mut n = 1;
    let commitment_id = loop {
        let slug_text = slug.as_str();
        let inserted = sqlx::query_scalar!(
            r#"INSERT INTO commitments (summit_id, slug, title, summary, theme, proposed_by_party_id, due_on, due_note,
                                    position, version, created_at, updated_at, due_basis)
           VALUES (?1, ?2, ?3, ?4, ?5, (SELECT id FROM parties WHERE code = ?6), ?7, ?8,
                   (SELECT COALESCE(MAX(position), 0) + 1 FROM commitments WHERE summit_id = ?1), 1, ?9, ?9, ?10)
           RETURNING id AS "id!: i64""#,
            summit_id,
            slug_text,
            fields.title,
            fields.summary,
            theme,
            proposer,
            fields.due_on,
            fields.due_note,
            now,
            due_basis
        )
        .fetch_one(&mut *tx)
        .await;
        match inserted {
            Ok(id) => break id,
            Err(sqlx::Error::Database(error))
                if error.is_unique_violation() && error.message().contains("commitments.slug") =>
            {
                n += 1;
                slug = numbered_slug(&base, n)?;
            }
            Err(error) => return Err(error.into()),
        }
    };
    set_owing_parties(&mut tx, commitment_id, &fields.owed_by, &[]).await?;
    let after = snapshot(&mut tx, commitment_id).await?;
    append_revision_without_before(&mut tx, commitment_id, 1, editor, &after, now).await?;
    tx.commit().await?;
    db.data_committed(Change::commitment(slug.as_str(), summit_slug));
    Ok(slug)
}

/// `base` with `-n` appended, shortened to stay within the slug limit.
fn numbered_slug(base: &Slug, n: u32) -> Result<Slug, sqlx::Error> {
    let suffix = format!("-{n}");
    let stem: String = base
        .as_str()
        .chars()
        .take(domain::MAX_SLUG_LEN - suffix.len())
        .collect();
    Slug::parse(&format!("{}{suffix}", stem.trim_end_matches('-'))).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// Edits a commitment's fields; the slug stays as it was, so links keep working.
pub async fn update_commitment(
    db: &Db,
    slug: &Slug,
    fields: &domain::CommitmentFields,
    expected_version: i64,
    editor: &CurrentUser,
    now: DateTime<Utc>,
) -> Result<i64, WriteError> {
    let pool = db.pool();
    let _turn = db.write_turn().await;
    let mut tx = pool.begin().await?;
    let claimed = claim_next_version(&mut tx, slug, expected_version, now).await?;
    let (commitment_id, version) = (claimed.id, claimed.version);
    let before = snapshot(&mut tx, commitment_id).await?;
    let summit_slug = fields.summit.as_str();
    let theme = fields.theme.code();
    let proposer = fields.proposed_by.as_ref().map(|p| p.to_string());
    let due_basis = fields.due_basis.map(|b| b.code());
    let updated = sqlx::query!(
        "UPDATE commitments SET title = ?1, summary = ?2, theme = ?3,
             proposed_by_party_id = (SELECT id FROM parties WHERE code = ?4), due_on = ?5, due_note = ?6,
             summit_id = COALESCE((SELECT id FROM summits WHERE slug = ?7), summit_id), due_basis = ?9
         WHERE id = ?8 AND EXISTS (SELECT 1 FROM summits WHERE slug = ?7)",
        fields.title,
        fields.summary,
        theme,
        proposer,
        fields.due_on,
        fields.due_note,
        summit_slug,
        commitment_id,
        due_basis
    )
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(Refusal::UnknownSummit.into());
    }
    set_owing_parties(&mut tx, commitment_id, &fields.owed_by, &before.owed_by).await?;
    let after = snapshot(&mut tx, commitment_id).await?;
    let parties = crate::listing::parties_in(&mut tx).await?;
    let changes = after.changes_since(&before, domain::party_name(&parties));
    let summary = if changes.is_empty() {
        "Saved without changes.".to_owned()
    } else {
        format!("Edited: {}.", changes.join("; "))
    };
    append_revision(
        &mut tx,
        commitment_id,
        version,
        editor,
        "edit",
        &summary,
        &before,
        &after,
        now,
    )
    .await?;
    tx.commit().await?;
    // Moved to another summit: it leaves the views of the one it was in
    // and joins those of the one it is in.
    db.data_committed(
        Change::commitment(slug.as_str(), &claimed.summit).and(Change::commitment(slug.as_str(), summit_slug)),
    );
    Ok(version)
}

/// Makes the owing parties exactly `wanted`. A party with status history
/// cannot be removed: its timeline would lose its subject.
async fn set_owing_parties(
    tx: &mut Transaction<'_, Sqlite>,
    commitment_id: i64,
    wanted: &[PartyCode],
    current: &[PartyCode],
) -> Result<(), WriteError> {
    for code in current.iter().filter(|c| !wanted.contains(c)) {
        let code_text = code.as_str();
        let history = sqlx::query_scalar!(
            r#"SELECT COUNT(*) AS "n!: i64" FROM status_updates su JOIN parties p ON p.id = su.party_id
               WHERE su.commitment_id = ?1 AND p.code = ?2"#,
            commitment_id,
            code_text
        )
        .fetch_one(&mut **tx)
        .await?;
        if history > 0 {
            return Err(Refusal::PartyHasHistory.into());
        }
        sqlx::query!(
            "DELETE FROM commitment_parties WHERE commitment_id = ?1 AND party_id = (SELECT id FROM parties WHERE code = ?2)",
            commitment_id,
            code_text
        )
        .execute(&mut **tx)
        .await?;
    }
    for code in wanted.iter().filter(|c| !current.contains(c)) {
        let code_text = code.as_str();
        let inserted = sqlx::query!(
            "INSERT INTO commitment_parties (commitment_id, party_id) SELECT ?1, id FROM parties WHERE code = ?2",
            commitment_id,
            code_text
        )
        .execute(&mut **tx)
        .await?;
        if inserted.rows_affected() == 0 {
            return Err(Refusal::UnknownParty.into());
        }
    }
    Ok(())
}

async fn append_revision_without_before(
    tx: &mut Transaction<'_, Sqlite>,
    commitment_id: i64,
    version: i64,
    editor: &CurrentUser,
    after: &CommitmentSnapshot,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let after = serde_json::to_string(after).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query!(
        "INSERT INTO revisions (commitment_id, version, user_id, recorded_by, action, summary, before_json, after_json, created_at)
         VALUES (?1, ?2, ?3, ?4, 'create', 'Created.', NULL, ?5, ?6)",
        commitment_id,
        version,
        editor.id,
        editor.name,
        after,
        now
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What an editor does to a commitment's list of sources.
pub enum SourceEdit<'a> {
    Add(&'a domain::NewSource),
    /// A correction: the source's new text and the editor's note saying
    /// what was wrong. The earlier text stays as an earlier version.
    Correct(i64, &'a domain::NewSource, &'a str),
    Remove(i64),
}

/// Adds, corrects or removes a source of a commitment. A source still cited
/// by one of the commitment's status changes cannot be removed: the timeline
/// would lose its evidence.
pub async fn edit_sources(
    db: &Db,
    slug: &Slug,
    edit: SourceEdit<'_>,
    expected_version: i64,
    editor: &CurrentUser,
    now: DateTime<Utc>,
) -> Result<i64, WriteError> {
    let pool = db.pool();
    let _turn = db.write_turn().await;
    let mut tx = pool.begin().await?;
    let claimed = claim_next_version(&mut tx, slug, expected_version, now).await?;
    let (commitment_id, version) = (claimed.id, claimed.version);
    let before = snapshot(&mut tx, commitment_id).await?;
    let mut changed = Change::commitment(slug.as_str(), &claimed.summit);
    let summary = match edit {
        SourceEdit::Add(source) => {
            insert_linked_source(&mut tx, commitment_id, source, &editor.name, now).await?;
            format!("Added source: {}, “{}”.", source.publisher, source.title)
        }
        SourceEdit::Correct(id, source, note) => {
            if !before.source_ids.contains(&id) {
                return Err(Refusal::SourceNotOnCommitment.into());
            }
            let crate::evidence::Corrected::ToVersion(source_version) =
                crate::evidence::correct_source(&mut tx, id, source, note, &editor.name, now).await?
            else {
                return Err(Refusal::SourceUnchanged.into());
            };
            let summary = format!(
                "Corrected source: {}, “{}” (version {source_version}). {note}",
                source.publisher, source.title
            );
            // The corrected text shows on every commitment that lists or
            // cites the source, and each gets a revision of its own.
            let others =
                record_correction_on_other_commitments(&mut tx, id, commitment_id, editor, &summary, now).await?;
            changed = changed.and(others);
            summary
        }
        SourceEdit::Remove(id) => {
            if !before.source_ids.contains(&id) {
                return Err(Refusal::SourceNotOnCommitment.into());
            }
            let cited = sqlx::query_scalar!(
                r#"SELECT COUNT(*) AS "n!: i64" FROM status_update_sources sus
                   JOIN status_updates su ON su.id = sus.status_update_id
                   WHERE su.commitment_id = ?1 AND sus.source_id = ?2"#,
                commitment_id,
                id
            )
            .fetch_one(&mut *tx)
            .await?;
            if cited > 0 {
                return Err(Refusal::SourceIsEvidence.into());
            }
            sqlx::query!(
                "DELETE FROM commitment_sources WHERE commitment_id = ?1 AND source_id = ?2",
                commitment_id,
                id
            )
            .execute(&mut *tx)
            .await?;
            let title = sqlx::query_scalar!("SELECT title FROM sources WHERE id = ?1", id)
                .fetch_one(&mut *tx)
                .await?;
            format!("Removed source “{title}”.")
        }
    };
    let after = snapshot(&mut tx, commitment_id).await?;
    append_revision(
        &mut tx,
        commitment_id,
        version,
        editor,
        "sources",
        &summary,
        &before,
        &after,
        now,
    )
    .await?;
    tx.commit().await?;
    db.data_committed(changed);
    Ok(version)
}

/// A correction of a source shows in the history of every other commitment
/// that lists or cites it, as a revision of its own that bumps the version
/// (so kept pages and open edit forms see it). Their snapshots do not
/// change: sources are evidence beside a commitment, not part of its text.
/// Returns those commitments and their summits (`data_changes`).
async fn record_correction_on_other_commitments(
    tx: &mut Transaction<'_, Sqlite>,
    source_id: i64,
    corrected_through: i64,
    editor: &CurrentUser,
    summary: &str,
    now: DateTime<Utc>,
) -> Result<Change, sqlx::Error> {
    let mut changed = Change::Commitments {
        commitments: Vec::new(),
        summits: Vec::new(),
    };
    for commitment_id in crate::evidence::commitments_citing(tx, source_id).await? {
        if commitment_id == corrected_through {
            continue;
        }
        let claimed = sqlx::query!(
            r#"UPDATE commitments SET version = version + 1, updated_at = ?1 WHERE id = ?2
               RETURNING version AS "version!: i64", slug AS "slug!: String",
                         (SELECT s.slug FROM summits s WHERE s.id = commitments.summit_id) AS "summit!: String""#,
            now,
            commitment_id
        )
        .fetch_one(&mut **tx)
        .await?;
        let version = claimed.version;
        changed = changed.and(Change::commitment(&claimed.slug, &claimed.summit));
        let unchanged = snapshot(tx, commitment_id).await?;
        append_revision(
            tx,
            commitment_id,
            version,
            editor,
            "source_correction",
            summary,
            &unchanged,
            &unchanged,
            now,
        )
        .await?;
    }
    Ok(changed)
}

/// Stores a new source (its first version) and lists it with the
/// commitment; returns its id.
async fn insert_linked_source(
    tx: &mut Transaction<'_, Sqlite>,
    commitment_id: i64,
    source: &domain::NewSource,
    recorded_by: &str,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let source_id = crate::evidence::insert_source(tx, source, recorded_by, now).await?;
    sqlx::query!(
        "INSERT INTO commitment_sources (commitment_id, source_id) VALUES (?1, ?2)",
        commitment_id,
        source_id
    )
    .execute(&mut **tx)
    .await?;
    Ok(source_id)
}

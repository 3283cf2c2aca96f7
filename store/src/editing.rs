//! The write path for commitments. Every write runs in one transaction that
//! starts by bumping the commitment's version *only if* it still has the
//! version the editor's form was loaded at; a stale form therefore changes
//! nothing and gets a conflict naming the change it missed. Each write also
//! appends a revision with the state before and after.

use crate::data_changes::Change;
use crate::editing_statements::{self as statements, Fields, NewRevision, NewStatusUpdate};
use crate::engine::Tx;
use crate::Db;
use chrono::{DateTime, Utc};
use store_rows::OwingPartyRow;

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
/// statement that changes a row, this UPDATE also takes SQLite's write lock
/// at once (on PostgreSQL, the commitment's row), so the reads that follow
/// see a state no other writer can change before commit.
async fn claim_next_version(
    tx: &mut Tx<'_>,
    slug: &Slug,
    expected_version: i64,
    now: DateTime<Utc>,
) -> Result<Claimed, WriteError> {
    // The summit's slug comes back with the claim, not by a statement of
    // its own: every statement in the write turn is paid by every editor.
    if let Some(row) = statements::claim_version(tx, slug.as_str(), expected_version, now).await? {
        return Ok(Claimed {
            id: row.id,
            version: row.version,
            summit: row.summit,
        });
    }
    let (id, current_version) = statements::current_version(tx, slug.as_str())
        .await?
        .ok_or(WriteError::NotFound)?;
    let (changed_by, changed_at, change) = match statements::latest_revision(tx, id).await? {
        Some(r) => (r.recorded_by, r.created_at, r.summary),
        None => (
            "Another editor".to_owned(),
            now,
            "The commitment was changed.".to_owned(),
        ),
    };
    Err(WriteError::StaleVersion(ConflictInfo {
        current_version,
        changed_by,
        changed_at,
        change,
    }))
}

/// The commitment's editable state, read inside the write transaction.
pub async fn snapshot(tx: &mut Tx<'_>, commitment_id: i64) -> Result<CommitmentSnapshot, sqlx::Error> {
    let row = statements::editable(tx, commitment_id).await?;
    let statuses = snapshot_statuses(tx, commitment_id).await?;
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
        source_ids: row.source_ids,
        statuses: statuses.statuses,
        translations: Some(translations),
    })
}

/// A commitment's translations, for a snapshot.
async fn snapshot_translations(tx: &mut Tx<'_>, commitment_id: i64) -> Result<Vec<CommitmentTranslation>, sqlx::Error> {
    statements::translations(tx, commitment_id)
        .await?
        .into_iter()
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
    tx: &mut Tx<'_>,
    commitment_id: i64,
    wanted: &[CommitmentTranslation],
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    statements::delete_translations(tx, commitment_id).await?;
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
    let mut write = db.begin_write().await?;
    let tx = &mut write.tx();
    let claimed = claim_next_version(tx, slug, expected_version, now).await?;
    let (commitment_id, version) = (claimed.id, claimed.version);
    let original = statements::original_language(tx, commitment_id).await?;
    if original == fields.language.code() {
        return Err(Refusal::TranslationIntoOriginal.into());
    }
    let before = snapshot(tx, commitment_id).await?;
    let translation = CommitmentTranslation {
        language: fields.language,
        title: fields.title.clone(),
        summary: fields.summary.clone(),
        translated_by: editor.name.clone(),
    };
    crate::translations::put_commitment_translation(tx, commitment_id, &translation, now).await?;
    let after = snapshot(tx, commitment_id).await?;
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
        tx,
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
    // The translation shows on the commitment's pages and wherever it is
    // listed in that language.
    db.commit(write, Change::commitment(slug.as_str(), &claimed.summit))
        .await?;
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
async fn snapshot_statuses(tx: &mut Tx<'_>, commitment_id: i64) -> Result<StatusesSnapshot, sqlx::Error> {
    let mut snapshot = StatusesSnapshot {
        owed_by: Vec::new(),
        statuses: Vec::new(),
        parties: Vec::new(),
    };
    for s in statements::owing_parties(tx, commitment_id).await? {
        let OwingPartyRow {
            code,
            short_name,
            status_update_id,
            status,
            effective_on,
        } = s;
        let code = decode::<PartyCode>(&code)?;
        let status = status
            .as_deref()
            .map(decode::<Status>)
            .transpose()?
            .unwrap_or(Status::NotYetRated);
        snapshot.owed_by.push(code.clone());
        snapshot.parties.push(PartyRef {
            code: code.clone(),
            short_name,
        });
        snapshot.statuses.push(SnapshotStatus {
            party: code,
            status,
            since: effective_on,
            status_update_id,
        });
    }
    Ok(snapshot)
}

#[allow(clippy::too_many_arguments)]
async fn append_revision(
    tx: &mut Tx<'_>,
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
    statements::append_revision(
        tx,
        &NewRevision {
            commitment_id,
            version,
            user_id: editor.id,
            recorded_by: &editor.name,
            action,
            summary,
            before_json: Some(&before),
            after_json: &after,
            created_at: now,
        },
    )
    .await
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
    let recorded = record_status_change_in(&mut member.tx(), slug, change, editor, now).await;
    member.finish(recorded, |recorded| recorded.change(slug)).await
}

/// The same, inside a caller's transaction (accepting a suggestion records
/// the change and the decision together).
pub async fn record_status_change_in(
    tx: &mut Tx<'_>,
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

    // Every status change has evidence, whatever sent it (the forms check
    // too, but the rule is the data's).
    if change.source_ids.is_empty() && change.new_source.is_none() {
        return Err(Refusal::NoEvidence.into());
    }
    // A rating beyond Not yet rated needs a source reporting a step taken
    // after the promise: at the least, one dated after the summit at which
    // it was made (docs/METHODOLOGY.md, rule a). Checked before the new
    // source is stored: a refused change then uses up no id (PostgreSQL's
    // sequences do not roll back), and both engines number alike.
    if change.status != Status::NotYetRated {
        let (held_on, cited_after) = statements::sources_after_summit(tx, commitment_id, &change.source_ids).await?;
        let new_after = change.new_source.as_ref().is_some_and(|s| s.dated_on > held_on);
        if cited_after == 0 && !new_after {
            return Err(Refusal::EvidencePredatesCommitment.into());
        }
    }
    let mut evidence = change.source_ids.clone();
    if let Some(source) = &change.new_source {
        let source_id = insert_linked_source(tx, commitment_id, source, &editor.name, now).await?;
        evidence.push(source_id);
    }

    let mut status_update_ids = Vec::new();
    for code in &parties {
        let update_id = statements::insert_status_update(
            tx,
            &NewStatusUpdate {
                commitment_id,
                party: code.as_str(),
                status: change.status.code(),
                effective_on: change.effective_on,
                note: &change.note,
                recorded_by: &editor.name,
                recorded_at: now,
                user_id: editor.id,
            },
        )
        .await?;
        for source_id in &evidence {
            // The change relies on the source as it reads now: its current
            // version, which later corrections will be compared with.
            statements::cite_source(tx, update_id, *source_id).await?;
        }
        status_update_ids.push(update_id);
    }

    // A status change touches only statuses (and sources, when it adds
    // one): re-read just those, not the whole commitment (fewer statements
    // inside the write turn, where every one is paid by every editor).
    let statuses = snapshot_statuses(tx, commitment_id).await?;
    let source_ids = match change.new_source {
        Some(_) => statements::listed_source_ids(tx, commitment_id).await?,
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
    tx: &mut Tx<'_>,
    commitment_id: i64,
    version: i64,
) -> Result<Option<CommitmentSnapshot>, sqlx::Error> {
    if let Some(json) = statements::snapshot_after(tx, commitment_id, version).await? {
        return parse_snapshot(&json).map(Some);
    }
    let before = statements::snapshot_before(tx, commitment_id, version + 1).await?;
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
    let mut write = db.begin_write().await?;
    let tx = &mut write.tx();
    let claimed = claim_next_version(tx, slug, expected_version, now).await?;
    let (commitment_id, version) = (claimed.id, claimed.version);
    let target = match to_version {
        1.. if to_version < version => state_at(tx, commitment_id, to_version).await?,
        _ => None,
    }
    .ok_or(Refusal::NoSuchVersion(to_version))?;
    let before = snapshot(tx, commitment_id).await?;

    let proposer = target.proposed_by.as_ref().map(|p| p.to_string());
    statements::restore_fields(
        tx,
        commitment_id,
        &Fields {
            title: &target.title,
            summary: &target.summary,
            theme: target.theme.code(),
            proposer: proposer.as_deref(),
            due_on: target.due_on,
            due_note: target.due_note.as_deref(),
            due_basis: target.due_basis.map(|b| b.code()),
        },
    )
    .await?;
    statements::unlink_all_sources(tx, commitment_id).await?;
    for source_id in &target.source_ids {
        statements::link_source(tx, commitment_id, *source_id).await?;
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
        // The restored status takes effect today (UTC), but never before the
        // status it replaces: that one may be dated today in the summit's
        // zone (the forms' "today"), ahead of UTC, and a restoring update
        // dated before it would not become current.
        let effective_on = current.and_then(|c| c.since).map_or(today, |since| since.max(today));
        let update_id = statements::insert_status_update(
            tx,
            &NewStatusUpdate {
                commitment_id,
                party: wanted.party.as_str(),
                status: status.code(),
                effective_on,
                note: &note,
                recorded_by: &editor.name,
                recorded_at: now,
                user_id: editor.id,
            },
        )
        .await?;
        if let Some(restored_update) = restored_update {
            statements::copy_citations(tx, update_id, restored_update).await?;
        }
    }
    if let Some(translations) = &target.translations {
        restore_translations(tx, commitment_id, translations, now).await?;
    }
    let after = snapshot(tx, commitment_id).await?;
    let summary = format!("Reverted to version {to_version}.");
    append_revision(
        tx,
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
    // A revert restores the commitment's own fields, statuses, source
    // links and translations (never a source's text, which other
    // commitments show), and shows in the corrections' list.
    db.commit(write, Change::commitment(slug.as_str(), &claimed.summit))
        .await?;
    Ok(version)
}

/// A commitment form's fields as the statements take them.
fn fields_of<'a>(fields: &'a domain::CommitmentFields, proposer: Option<&'a str>) -> Fields<'a> {
    Fields {
        title: &fields.title,
        summary: &fields.summary,
        theme: fields.theme.code(),
        proposer,
        due_on: fields.due_on,
        due_note: fields.due_note.as_deref(),
        due_basis: fields.due_basis.map(|b| b.code()),
    }
}

/// Creates a commitment. Its slug comes from the title and never changes
/// afterwards; a taken slug gets `-2`, `-3`… Returns the slug.
pub async fn create_commitment(
    db: &Db,
    fields: &domain::CommitmentFields,
    editor: &CurrentUser,
    now: DateTime<Utc>,
) -> Result<Slug, WriteError> {
    let base = Slug::from_title(&fields.title).ok_or(Refusal::TitleMakesNoSlug)?;
    let mut write = db.begin_write().await?;
    let tx = &mut write.tx();
    let summit_slug = fields.summit.as_str();
    let summit_id = statements::summit_id(tx, summit_slug)
        .await?
        .ok_or(Refusal::UnknownSummit)?;
    let proposer = fields.proposed_by.as_ref().map(|p| p.to_string());
    let stored = fields_of(fields, proposer.as_deref());
    // A taken slug gets `-2`, `-3`… Looked up before the insert, which
    // the write lock keeps from racing another: a refused insert would use
    // up an id of PostgreSQL's sequence, and the engines would number apart.
    let mut slug = base.clone();
    let mut n = 1;
    while statements::slug_taken(tx, slug.as_str()).await? {
        n += 1;
        slug = numbered_slug(&base, n)?;
    }
    // The UNIQUE constraint still has the last word.
    let commitment_id = statements::insert_commitment(tx, summit_id, slug.as_str(), &stored, now)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    set_owing_parties(tx, commitment_id, &fields.owed_by, &[]).await?;
    let after = snapshot(tx, commitment_id).await?;
    let after = serde_json::to_string(&after).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    statements::append_revision(
        tx,
        &NewRevision {
            commitment_id,
            version: 1,
            user_id: editor.id,
            recorded_by: &editor.name,
            action: "create",
            summary: "Created.",
            before_json: None,
            after_json: &after,
            created_at: now,
        },
    )
    .await?;
    db.commit(write, Change::commitment(slug.as_str(), summit_slug)).await?;
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
    let mut write = db.begin_write().await?;
    let tx = &mut write.tx();
    let claimed = claim_next_version(tx, slug, expected_version, now).await?;
    let (commitment_id, version) = (claimed.id, claimed.version);
    let before = snapshot(tx, commitment_id).await?;
    let summit_slug = fields.summit.as_str();
    let proposer = fields.proposed_by.as_ref().map(|p| p.to_string());
    if !statements::update_fields(tx, commitment_id, summit_slug, &fields_of(fields, proposer.as_deref())).await? {
        return Err(Refusal::UnknownSummit.into());
    }
    set_owing_parties(tx, commitment_id, &fields.owed_by, &before.owed_by).await?;
    let after = snapshot(tx, commitment_id).await?;
    let parties = crate::listing::parties_in(tx).await?;
    let changes = after.changes_since(&before, domain::party_name(&parties));
    let summary = if changes.is_empty() {
        "Saved without changes.".to_owned()
    } else {
        format!("Edited: {}.", changes.join("; "))
    };
    append_revision(
        tx,
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
    // Moved to another summit: it leaves the views of the one it was in
    // and joins those of the one it is in.
    db.commit(
        write,
        Change::commitment(slug.as_str(), &claimed.summit).and(Change::commitment(slug.as_str(), summit_slug)),
    )
    .await?;
    Ok(version)
}

/// Makes the owing parties exactly `wanted`. A party with status history
/// cannot be removed: its timeline would lose its subject.
async fn set_owing_parties(
    tx: &mut Tx<'_>,
    commitment_id: i64,
    wanted: &[PartyCode],
    current: &[PartyCode],
) -> Result<(), WriteError> {
    for code in current.iter().filter(|c| !wanted.contains(c)) {
        if statements::count_status_updates_of_party(tx, commitment_id, code.as_str()).await? > 0 {
            return Err(Refusal::PartyHasHistory.into());
        }
        statements::remove_owing_party(tx, commitment_id, code.as_str()).await?;
    }
    for code in wanted.iter().filter(|c| !current.contains(c)) {
        if !statements::add_owing_party(tx, commitment_id, code.as_str()).await? {
            return Err(Refusal::UnknownParty.into());
        }
    }
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
    let mut write = db.begin_write().await?;
    let tx = &mut write.tx();
    let claimed = claim_next_version(tx, slug, expected_version, now).await?;
    let (commitment_id, version) = (claimed.id, claimed.version);
    let before = snapshot(tx, commitment_id).await?;
    let mut changed = Change::commitment(slug.as_str(), &claimed.summit);
    let summary = match edit {
        SourceEdit::Add(source) => {
            insert_linked_source(tx, commitment_id, source, &editor.name, now).await?;
            format!("Added source: {}, “{}”.", source.publisher, source.title)
        }
        SourceEdit::Correct(id, source, note) => {
            if !before.source_ids.contains(&id) {
                return Err(Refusal::SourceNotOnCommitment.into());
            }
            let crate::evidence::Corrected::ToVersion(source_version) =
                crate::evidence::correct_source(tx, id, source, note, &editor.name, now).await?
            else {
                return Err(Refusal::SourceUnchanged.into());
            };
            let summary = format!(
                "Corrected source: {}, “{}” (version {source_version}). {note}",
                source.publisher, source.title
            );
            // The corrected text shows on every commitment that lists or
            // cites the source, and each gets a revision of its own.
            let others = record_correction_on_other_commitments(tx, id, commitment_id, editor, &summary, now).await?;
            changed = changed.and(others);
            summary
        }
        SourceEdit::Remove(id) => {
            if !before.source_ids.contains(&id) {
                return Err(Refusal::SourceNotOnCommitment.into());
            }
            if statements::count_citations(tx, commitment_id, id).await? > 0 {
                return Err(Refusal::SourceIsEvidence.into());
            }
            statements::unlink_source(tx, commitment_id, id).await?;
            let title = statements::source_title(tx, id).await?;
            format!("Removed source “{title}”.")
        }
    };
    let after = snapshot(tx, commitment_id).await?;
    append_revision(
        tx,
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
    db.commit(write, changed).await?;
    Ok(version)
}

/// A correction of a source shows in the history of every other commitment
/// that lists or cites it, as a revision of its own that bumps the version
/// (so kept pages and open edit forms see it). Their snapshots do not
/// change: sources are evidence beside a commitment, not part of its text.
/// Returns those commitments and their summits (`data_changes`).
async fn record_correction_on_other_commitments(
    tx: &mut Tx<'_>,
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
        let claimed = statements::claim_version_of(tx, commitment_id, now).await?;
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
    tx: &mut Tx<'_>,
    commitment_id: i64,
    source: &domain::NewSource,
    recorded_by: &str,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let source_id = crate::evidence::insert_source(tx, source, recorded_by, now).await?;
    statements::link_source(tx, commitment_id, source_id).await?;
    Ok(source_id)
}

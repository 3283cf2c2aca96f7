//! What each committed write changed, so that a page kept in memory goes
//! stale when, and only when, something it shows was written.
//!
//! Every write function ends by reporting a [`Change`] through
//! `Db::data_committed`: the commitments it wrote and the summits they
//! belong to, or [`Change::Everything`] when its reach is site-wide or
//! cannot be narrowed safely (an import, the seed's translations, writes by
//! another process). A page kept by the server's page cache is described by
//! what it [`Shows`]: one commitment (its permalink, history and edit page),
//! one summit's commitments (`/summits/S`, `/?summit=S…`), or any
//! commitment (every other list, `/summits`, `/corrections`…).
//!
//! The bookkeeping is one counter and the step at which each thing last
//! changed. A write takes the next step and stamps it on everything it
//! changed: each of its commitments and summits, "any commitment", or
//! "everything". A page remembers the step it was rendered after, read
//! *before* its render begins; it is stale once anything it shows carries a
//! later stamp. So a write that lands while a page renders leaves that page
//! stale (its stamp is later than the step read), and a write stamped
//! before the read was committed before the render began, so the render
//! saw it. That is the same as keeping one generation per commitment, per
//! summit, for all lists and for the whole site, and comparing every one a
//! page depends on: the stamp *is* that generation, numbered on one scale.
//!
//! Memory stays bounded: past [`MAX_REMEMBERED`] commitments and summits the
//! stamps are forgotten and the present step stands for all of them (every
//! commitment and summit page kept so far goes stale once, never less).
//!
//! A write is *published* (readers must see it) when it is acknowledged,
//! not when it commits. The server opens an [`Acknowledgment`] for each
//! request that may write; a write committed while one is open is pending
//! (its step counts, so a render that begins after it includes it, but no
//! reader is yet owed it) until an acknowledgment closes, having first
//! rendered again the kept pages the pending writes changed. So readers
//! who arrive between the commit and the answer to the editor are served
//! the page kept before the write (the write has not been acknowledged to
//! anyone: either page is true to what they could have seen), and those
//! who arrive after it find the new page already kept, instead of all
//! waiting for its render. A write committed while no acknowledgment is
//! open (a test's direct store call) is published at once, as is one
//! recorded with `record_published` (the outside-writes watcher's, which
//! no request answers for), and the last acknowledgment to close
//! publishes everything, so nothing stays pending once no request is
//! under way.
//!
//! Nothing here is a process-wide static: each `Db` (each database in a
//! process, each test) has its own.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// What a committed write changed, as far as pages are concerned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// Anything any page shows may have changed: a summit, a party, the
    /// translation of their names, a whole import, a write by another
    /// process. Every kept page goes stale.
    Everything,
    /// These commitments changed (their fields, statuses, sources,
    /// translations or history), and with them the views of these summits
    /// (each commitment's summit, before and after a move). Every view that
    /// may list any commitment goes stale too; other commitments' pages and
    /// other summits' views do not.
    Commitments {
        commitments: Vec<String>,
        summits: Vec<String>,
    },
}

impl Change {
    /// One commitment of one summit changed.
    pub fn commitment(slug: &str, summit: &str) -> Change {
        Change::Commitments {
            commitments: vec![slug.to_owned()],
            summits: vec![summit.to_owned()],
        }
    }

    /// Whether this change makes a page that shows `shows` stale.
    pub fn reaches(&self, shows: &Shows) -> bool {
        match (self, shows) {
            (Change::Everything, _) | (Change::Commitments { .. }, Shows::AnyCommitment) => true,
            (Change::Commitments { commitments, .. }, Shows::Commitment(slug)) => commitments.contains(slug),
            (Change::Commitments { summits, .. }, Shows::Summit(slug)) => summits.contains(slug),
        }
    }

    /// This change and `other`, as one.
    pub fn and(self, other: Change) -> Change {
        match (self, other) {
            (
                Change::Commitments {
                    mut commitments,
                    mut summits,
                },
                Change::Commitments {
                    commitments: more_commitments,
                    summits: more_summits,
                },
            ) => {
                for slug in more_commitments {
                    if !commitments.contains(&slug) {
                        commitments.push(slug);
                    }
                }
                for slug in more_summits {
                    if !summits.contains(&slug) {
                        summits.push(slug);
                    }
                }
                Change::Commitments { commitments, summits }
            }
            _ => Change::Everything,
        }
    }
}

/// What a kept page shows, besides what every page shows (the parties, the
/// summits' names, the site's texts), which only [`Change::Everything`]
/// changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shows {
    /// One commitment (by slug): its permalink, history and edit page.
    Commitment(String),
    /// The commitments of one summit (by slug), and nothing of any other's.
    Summit(String),
    /// Possibly any commitment: every other list, count or page.
    AnyCommitment,
}

/// More commitments and summits than this and their stamps are forgotten
/// (see the module's documentation).
pub const MAX_REMEMBERED: usize = 10_000;

/// The steps at which things last changed. Cloning shares them.
#[derive(Clone, Default)]
pub struct DataChanges(Arc<Mutex<Stamps>>);

#[derive(Default)]
struct Stamps {
    /// Committed writes so far.
    step: u64,
    /// Writes committed while an acknowledgment was open and not yet
    /// published, oldest first, with their steps.
    pending: Vec<(u64, Change)>,
    /// Acknowledgments open now.
    open_acknowledgments: usize,
    // The stamps below are of published writes only.
    /// The last `Change::Everything`.
    everything: u64,
    /// The last change of any commitment.
    any_commitment: u64,
    commitments: HashMap<String, u64>,
    summits: HashMap<String, u64>,
    /// Stamps older than this were forgotten: a commitment or summit with
    /// no stamp counts as changed at this step.
    forgotten_at: u64,
}

impl DataChanges {
    fn stamps(&self) -> MutexGuard<'_, Stamps> {
        // Every update below is whole before the lock is released; a panic
        // elsewhere cannot leave the stamps half-written.
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The step reached so far: moves after every committed write readers
    /// see (`Db::data_version`). A page is dated by the step read before
    /// its render begins.
    pub fn step(&self) -> u64 {
        self.stamps().step
    }

    /// The step of the latest committed write to anything `shows` names: a
    /// page rendered at this step or later shows every write to it so far.
    pub fn last_change(&self, shows: &Shows) -> u64 {
        let stamps = self.stamps();
        // A stamp never counts for less than the forgetting: stamps are
        // published in step order, but one published out of order (the
        // watcher's, `record_published`) must not undo it.
        let own = match shows {
            Shows::Commitment(slug) => stamps
                .commitments
                .get(slug)
                .copied()
                .unwrap_or(0)
                .max(stamps.forgotten_at),
            Shows::Summit(slug) => stamps.summits.get(slug).copied().unwrap_or(0).max(stamps.forgotten_at),
            Shows::AnyCommitment => stamps.any_commitment,
        };
        stamps.everything.max(own)
    }

    /// Whether anything `shows` names changed after step `seen`.
    pub fn changed_since(&self, shows: &Shows, seen: u64) -> bool {
        self.last_change(shows) > seen
    }

    /// Records a committed write. The store does this for its own writes
    /// (`Db::data_committed`); it is public so that a cache's tests can
    /// make writes up. The write is published at once unless an
    /// acknowledgment is open (see the module's documentation).
    pub fn record(&self, change: &Change) {
        let mut stamps = self.stamps();
        stamps.step += 1;
        let step = stamps.step;
        if stamps.open_acknowledgments > 0 {
            stamps.pending.push((step, change.clone()));
        } else {
            stamps.publish(step, change);
        }
    }

    /// Records a committed write and publishes it at once, open
    /// acknowledgments or not: for writes no request answers for (another
    /// process's, which the outside-writes watcher finds), which would
    /// otherwise wait for whichever request closes next.
    pub fn record_published(&self, change: &Change) {
        let mut stamps = self.stamps();
        stamps.step += 1;
        let step = stamps.step;
        stamps.publish(step, change);
    }

    /// Opens an acknowledgment for a request that may write: writes
    /// committed until every open one closes are pending, not yet owed to
    /// readers. Closing it (dropping it) publishes them.
    pub fn begin_acknowledgment(&self) -> Acknowledgment {
        self.stamps().open_acknowledgments += 1;
        Acknowledgment {
            changes: self.clone(),
            through: None,
        }
    }
}

impl Stamps {
    /// Stamps `change`, committed at `step`, on everything it changed.
    fn publish(&mut self, step: u64, change: &Change) {
        match change {
            Change::Everything => self.everything = self.everything.max(step),
            Change::Commitments { commitments, summits } => {
                self.any_commitment = self.any_commitment.max(step);
                if self.commitments.len() + self.summits.len() + commitments.len() + summits.len() > MAX_REMEMBERED {
                    self.commitments.clear();
                    self.summits.clear();
                    self.forgotten_at = step;
                }
                for slug in commitments {
                    let stamp = self.commitments.entry(slug.clone()).or_default();
                    *stamp = (*stamp).max(step);
                }
                for slug in summits {
                    let stamp = self.summits.entry(slug.clone()).or_default();
                    *stamp = (*stamp).max(step);
                }
            }
        }
    }

    /// Publishes the pending writes committed at `through` or before.
    fn publish_through(&mut self, through: u64) {
        let published = self.pending.iter().take_while(|(step, _)| *step <= through).count();
        let writes: Vec<(u64, Change)> = self.pending.drain(..published).collect();
        for (step, change) in &writes {
            self.publish(*step, change);
        }
    }
}

/// A request that may write, until it is answered: see the module's
/// documentation. Dropping it publishes what it read as unpublished (and,
/// if it is the last one open, every pending write), also when the request
/// is cancelled.
pub struct Acknowledgment {
    changes: DataChanges,
    /// The step `unpublished` read: what this acknowledgment publishes.
    through: Option<u64>,
}

impl Acknowledgment {
    /// The writes committed so far and not yet published, with their
    /// steps; `None` when there are none. Read once the request's writes
    /// are committed, before refreshing what they changed; dropping the
    /// acknowledgment then publishes them.
    pub fn unpublished(&mut self) -> Option<Unpublished> {
        // Copied out under the lock, which every reader of a kept page
        // takes; looked through after it is released.
        let writes = {
            let stamps = self.changes.stamps();
            self.through = Some(stamps.step);
            stamps.pending.clone()
        };
        (!writes.is_empty()).then_some(Unpublished { writes })
    }
}

/// Writes committed and not yet published (see `Acknowledgment`).
pub struct Unpublished {
    writes: Vec<(u64, Change)>,
}

impl Unpublished {
    /// The step of the latest of these writes that a page showing `shows`
    /// shows: a render of it that began at this step or later includes
    /// them all. `None` when none of them reaches it.
    pub fn reaching(&self, shows: &Shows) -> Option<u64> {
        self.writes
            .iter()
            .filter(|(_, change)| change.reaches(shows))
            .map(|(step, _)| *step)
            .max()
    }
}

impl Drop for Acknowledgment {
    fn drop(&mut self) {
        let mut stamps = self.changes.stamps();
        stamps.open_acknowledgments -= 1;
        let through = if stamps.open_acknowledgments == 0 {
            stamps.step
        } else {
            self.through.unwrap_or(stamps.step)
        };
        stamps.publish_through(through);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn x_in_s() -> Change {
        Change::commitment("x", "s")
    }

    #[test]
    fn a_commitments_change_stales_its_pages_its_summits_views_and_every_list_only() {
        let changes = DataChanges::default();
        let seen = changes.step();
        changes.record(&x_in_s());
        assert!(changes.changed_since(&Shows::Commitment("x".into()), seen));
        assert!(changes.changed_since(&Shows::Summit("s".into()), seen));
        assert!(changes.changed_since(&Shows::AnyCommitment, seen));
        assert!(
            !changes.changed_since(&Shows::Commitment("y".into()), seen),
            "another commitment"
        );
        assert!(
            !changes.changed_since(&Shows::Summit("t".into()), seen),
            "another summit"
        );
        let after = changes.step();
        assert!(
            !changes.changed_since(&Shows::Commitment("x".into()), after),
            "rendered after it"
        );
    }

    #[test]
    fn everything_stales_every_page() {
        let changes = DataChanges::default();
        let seen = changes.step();
        changes.record(&Change::Everything);
        for shows in [
            Shows::Commitment("y".into()),
            Shows::Summit("t".into()),
            Shows::AnyCommitment,
        ] {
            assert!(changes.changed_since(&shows, seen), "{shows:?}");
        }
    }

    /// A page dated before a write is stale even when a later write (of
    /// something else) moved the step past it again.
    #[test]
    fn a_write_during_a_render_leaves_the_page_stale() {
        let changes = DataChanges::default();
        let read_before_render = changes.step();
        changes.record(&x_in_s()); // lands while the page renders
        changes.record(&Change::commitment("y", "t"));
        assert!(changes.changed_since(&Shows::Commitment("x".into()), read_before_render));
    }

    #[test]
    fn a_move_between_summits_stales_both() {
        let changes = DataChanges::default();
        let seen = changes.step();
        changes.record(&x_in_s().and(Change::commitment("x", "t")));
        assert!(changes.changed_since(&Shows::Summit("s".into()), seen));
        assert!(changes.changed_since(&Shows::Summit("t".into()), seen));
        assert_eq!(x_in_s().and(Change::Everything), Change::Everything);
    }

    #[test]
    fn forgotten_stamps_count_as_changed_never_as_unchanged() {
        let changes = DataChanges::default();
        changes.record(&x_in_s());
        let seen = changes.step();
        for n in 0..MAX_REMEMBERED {
            changes.record(&Change::commitment(&format!("c{n}"), "s"));
        }
        assert!(changes.0.lock().unwrap().commitments.len() <= MAX_REMEMBERED);
        assert!(
            changes.changed_since(&Shows::Commitment("never-written".into()), seen),
            "forgotten: stale once"
        );
        let later = changes.step();
        assert!(!changes.changed_since(&Shows::Commitment("never-written".into()), later));
    }

    /// Issue 17, point 2: a write committed while a request is open is not
    /// owed to readers until the request is answered; then it is.
    #[test]
    fn a_write_under_an_open_acknowledgment_is_published_when_it_closes() {
        let changes = DataChanges::default();
        let before = changes.step();
        let mut acknowledgment = changes.begin_acknowledgment();
        changes.record(&x_in_s());
        assert!(
            !changes.changed_since(&Shows::Commitment("x".into()), before),
            "pending: readers may still be served the page kept before it"
        );
        let unpublished = acknowledgment.unpublished().expect("one pending write");
        let through = unpublished.reaching(&Shows::Commitment("x".into())).unwrap();
        assert_eq!(through, changes.step(), "a render begun now includes it");
        assert_eq!(unpublished.reaching(&Shows::Commitment("y".into())), None);
        drop(acknowledgment);
        assert!(
            changes.changed_since(&Shows::Commitment("x".into()), before),
            "published"
        );
        assert!(!changes.changed_since(&Shows::Commitment("x".into()), through));
    }

    #[test]
    fn the_last_acknowledgment_to_close_publishes_every_pending_write() {
        let changes = DataChanges::default();
        let before = changes.step();
        let mut first = changes.begin_acknowledgment();
        let second = changes.begin_acknowledgment();
        changes.record(&x_in_s());
        first.unpublished().unwrap();
        let through = changes.step();
        changes.record(&Change::commitment("y", "t"));
        drop(first);
        assert!(
            changes.changed_since(&Shows::Commitment("x".into()), before),
            "what the first read is published"
        );
        assert!(
            !changes.changed_since(&Shows::Commitment("y".into()), through),
            "a later write waits for its own request"
        );
        drop(second);
        assert!(
            changes.changed_since(&Shows::Commitment("y".into()), through),
            "nothing stays pending once no request is open"
        );
        assert!(changes.0.lock().unwrap().pending.is_empty());
    }

    #[test]
    fn pending_writes_are_read_with_the_latest_step_each_page_needs() {
        let changes = DataChanges::default();
        let mut acknowledgment = changes.begin_acknowledgment();
        assert!(acknowledgment.unpublished().is_none(), "nothing written");
        changes.record(&x_in_s());
        let x_step = changes.step();
        changes.record(&Change::commitment("y", "t"));
        let y_step = changes.step();
        let unpublished = acknowledgment.unpublished().unwrap();
        assert_eq!(unpublished.reaching(&Shows::Commitment("x".into())), Some(x_step));
        assert_eq!(unpublished.reaching(&Shows::Summit("t".into())), Some(y_step));
        assert_eq!(unpublished.reaching(&Shows::AnyCommitment), Some(y_step));
        assert_eq!(unpublished.reaching(&Shows::Summit("u".into())), None);
        changes.record(&Change::Everything);
        let unpublished = acknowledgment.unpublished().unwrap();
        assert_eq!(unpublished.reaching(&Shows::Summit("u".into())), Some(changes.step()));
    }

    /// The watcher's writes are owed to readers at once, whatever requests
    /// are open, and never undo a forgetting.
    #[test]
    fn a_write_recorded_as_published_is_owed_at_once_with_acknowledgments_open() {
        let changes = DataChanges::default();
        let _open = changes.begin_acknowledgment();
        let before = changes.step();
        changes.record_published(&Change::Everything);
        assert!(changes.changed_since(&Shows::Commitment("x".into()), before));
        let mut stamps = changes.stamps();
        stamps.commitments.insert("x".into(), 1);
        stamps.forgotten_at = 5;
        drop(stamps);
        assert!(
            changes.changed_since(&Shows::Commitment("x".into()), 4),
            "stale since the forgetting"
        );
    }

    /// `reaches` says of a change what `changed_since` says of its stamps.
    #[test]
    fn a_change_reaches_exactly_the_pages_it_makes_stale() {
        let pages = [
            Shows::Commitment("x".into()),
            Shows::Commitment("y".into()),
            Shows::Summit("s".into()),
            Shows::Summit("t".into()),
            Shows::AnyCommitment,
        ];
        for change in [x_in_s(), Change::commitment("y", "t"), Change::Everything] {
            let changes = DataChanges::default();
            let seen = changes.step();
            changes.record(&change);
            for shows in &pages {
                assert_eq!(
                    change.reaches(shows),
                    changes.changed_since(shows, seen),
                    "{change:?} and {shows:?}"
                );
            }
        }
    }

    #[test]
    fn a_write_with_no_acknowledgment_open_is_published_at_once() {
        let changes = DataChanges::default();
        drop(changes.begin_acknowledgment());
        let before = changes.step();
        changes.record(&x_in_s());
        assert!(changes.changed_since(&Shows::Commitment("x".into()), before));
    }
}

//! A line of a commitment's history, worded in the page's language from
//! the typed difference between two of its states.

use chrono::NaiveDate;

use crate::locale::{date, number, text, tr, tr_with};
use domain::{DueBasis, Locale, PartyCode, PartyRef, SnapshotChange, TextField};

/// `change` in `locale`, naming parties as `parties` (the stored ones) do.
pub fn describe_change(locale: Locale, change: &SnapshotChange, parties: &[PartyRef]) -> String {
    let party = |code: &PartyCode| {
        let stored = parties
            .iter()
            .find(|p| &p.code == code)
            .map_or_else(|| code.to_string(), |p| p.short_name.clone());
        i18n::party_name(locale, code, &stored)
    };
    let line = |field: String, before: String, after: String| {
        tr_with(
            locale,
            "history-change",
            &[("field", text(field)), ("before", text(before)), ("after", text(after))],
        )
    };
    let field = |id: &str| tr(locale, id);
    let none = || tr(locale, "history-none");
    let day = |d: &Option<NaiveDate>| d.map_or_else(none, |d| date(locale, d));
    let basis = |b: &Option<DueBasis>| b.map_or_else(none, |b| tr(locale, &format!("due-basis-{}", b.code())));
    let proposer = |p: &Option<PartyCode>| p.as_ref().map_or_else(|| tr(locale, "proposed-jointly"), party);
    let language = |l: &Locale| tr(locale, &format!("language-in-{}", l.code()));
    match change {
        SnapshotChange::Text {
            field: name,
            before,
            after,
        } => {
            let name = match name {
                TextField::Title => field("history-field-title"),
                TextField::Summary => field("history-field-summary"),
                TextField::DueNote => field("history-field-due-note"),
                TextField::TranslatedTitle(l) => tr_with(
                    locale,
                    "history-field-translated-title",
                    &[("language", text(language(l)))],
                ),
                TextField::TranslatedSummary(l) => tr_with(
                    locale,
                    "history-field-translated-summary",
                    &[("language", text(language(l)))],
                ),
            };
            line(name, before.clone(), after.clone())
        }
        SnapshotChange::Theme { before, after } => line(
            field("history-field-theme"),
            i18n::theme_label(locale, *before),
            i18n::theme_label(locale, *after),
        ),
        SnapshotChange::Proposer { before, after } => {
            line(field("fact-proposed-by"), proposer(before), proposer(after))
        }
        SnapshotChange::Due { before, after } => line(field("fact-due"), day(before), day(after)),
        SnapshotChange::DueBasis { before, after } => {
            line(field("history-field-due-basis"), basis(before), basis(after))
        }
        SnapshotChange::OwedBy { before, after } => {
            let names = |codes: &[PartyCode]| {
                codes
                    .iter()
                    .map(party)
                    .collect::<Vec<_>>()
                    .join(&tr(locale, "list-separator"))
            };
            line(field("fact-owed-by"), names(before), names(after))
        }
        SnapshotChange::SourcesAdded(n) => tr_with(locale, "history-sources-added", &[("count", number(*n as f64))]),
        SnapshotChange::SourcesRemoved(n) => {
            tr_with(locale, "history-sources-removed", &[("count", number(*n as f64))])
        }
        SnapshotChange::Status {
            party: code,
            before,
            after,
        } => tr_with(
            locale,
            "history-status",
            &[
                ("party", text(party(code))),
                ("before", text(i18n::status_label(locale, *before))),
                ("after", text(i18n::status_label(locale, *after))),
            ],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::{Status, Theme};

    #[test]
    fn english_history_lines_read_as_the_recorded_summaries_do() {
        let code = |c: &str| PartyCode::parse(c).unwrap();
        let parties = vec![
            PartyRef {
                code: code("cn"),
                short_name: "China".into(),
            },
            PartyRef {
                code: code("kr"),
                short_name: "South Korea".into(),
            },
        ];
        let name = domain::party_name(&parties);
        let day = NaiveDate::from_ymd_opt(2026, 3, 1);
        let changes = [
            SnapshotChange::Text {
                field: TextField::Title,
                before: "a".into(),
                after: "b".into(),
            },
            SnapshotChange::Text {
                field: TextField::TranslatedSummary(Locale::Ko),
                before: String::new(),
                after: "요약".into(),
            },
            SnapshotChange::Theme {
                before: Theme::Economy,
                after: Theme::Security,
            },
            SnapshotChange::Proposer {
                before: None,
                after: Some(code("cn")),
            },
            SnapshotChange::Due {
                before: None,
                after: day,
            },
            SnapshotChange::DueBasis {
                before: None,
                after: Some(DueBasis::Inferred),
            },
            SnapshotChange::OwedBy {
                before: vec![code("cn")],
                after: vec![code("cn"), code("kr")],
            },
            SnapshotChange::SourcesAdded(2),
            SnapshotChange::SourcesRemoved(1),
            SnapshotChange::Status {
                party: code("kr"),
                before: Status::NotYetRated,
                after: Status::InProgress,
            },
        ];
        for change in &changes {
            assert_eq!(describe_change(Locale::En, change, &parties), change.english(&name));
            let korean = describe_change(Locale::Ko, change, &parties);
            assert_ne!(korean, change.english(&name), "{change:?} is worded in Korean");
        }
        assert!(describe_change(Locale::Ko, &changes[9], &parties).contains("진행 중"));
    }
}

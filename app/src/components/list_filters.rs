//! The list's filter form: a plain GET form, so a filtered view is a URL that
//! works without JavaScript; with it, the router navigates without a reload.
//!
//! The form sits in a `<details>` whose summary names the active filters. On
//! a phone the folded form leaves the first screen to the commitments; the
//! stylesheet shows the form unfolded on wider screens. A `<details>` needs
//! no script to open, and browsers give its summary a button's keyboard
//! handling and expanded state.

use leptos::prelude::*;
use leptos_router::components::Form;

use crate::locale::{local_path, number, party_name, text, tr, tr_with, use_locale};
use domain::{ListingPage, Locale, SortOrder, Status, Theme, SUMMIT_CHOICES};

/// The fold's summary: "Filters: Status: Stalled · Theme: Trade", or an
/// invitation to filter when nothing narrows the view (the default sort
/// aside). `fixed_summit` leaves out the summit a summit's page is about.
pub fn active_filters(locale: Locale, page: &ListingPage, fixed_summit: bool) -> String {
    let query = &page.query;
    let item = |label: &str, value: String| {
        tr_with(
            locale,
            "filters-fold-item",
            &[("label", text(tr(locale, label))), ("value", text(value))],
        )
    };
    let mut items = Vec::new();
    if let Some(search) = &query.search {
        items.push(tr_with(
            locale,
            "filters-fold-search",
            &[("search", text(search.as_str()))],
        ));
    }
    if let Some(status) = query.status {
        items.push(item("filters-status", i18n::status_label(locale, status)));
    }
    if let Some(code) = &query.party {
        let name = page
            .parties
            .iter()
            .find(|p| &p.code == code)
            .map_or_else(|| code.to_string(), |p| party_name(locale, p));
        items.push(item("filters-owed-by", name));
    }
    if let Some(theme) = query.theme {
        items.push(item("filters-theme", i18n::theme_label(locale, theme)));
    }
    if let (Some(slug), false) = (&query.summit, fixed_summit) {
        let title = page
            .summits
            .iter()
            .find(|s| &s.slug == slug)
            .map_or_else(|| slug.to_string(), |s| s.title_in(locale).text);
        items.push(item("filters-summit", title));
    }
    if query.overdue {
        items.push(tr(locale, "filters-only-overdue"));
    }
    if query.sort != SortOrder::default() {
        items.push(item("filters-sort", i18n::sort_label(locale, query.sort)));
    }
    if items.is_empty() {
        tr(locale, "filters-fold-none")
    } else {
        tr_with(
            locale,
            "filters-fold-active",
            &[("filters", text(items.join(&tr(locale, "filters-fold-separator"))))],
        )
    }
}

/// The form, filled from the current view. `action` is the page it submits
/// to; `fixed_summit` hides the summit choice on a summit's own page.
#[component]
pub fn ListFilters(page: ListingPage, action: String, #[prop(optional)] fixed_summit: bool) -> impl IntoView {
    let locale = use_locale();
    let query = page.query.clone();
    let errors = page.problems.clone();
    let value_of = |field: &str, current: String| errors.value(field).map(str::to_owned).unwrap_or(current);
    let search = value_of(
        "q",
        query.search.as_ref().map(|s| s.as_str().to_owned()).unwrap_or_default(),
    );
    let status = value_of("status", query.status.map(|s| s.code().to_owned()).unwrap_or_default());
    let party = value_of("party", query.party.as_ref().map(|p| p.to_string()).unwrap_or_default());
    let theme = value_of("theme", query.theme.map(|t| t.code().to_owned()).unwrap_or_default());
    let summit = value_of(
        "summit",
        query.summit.as_ref().map(|s| s.to_string()).unwrap_or_default(),
    );
    let sort = value_of("sort", query.sort.code().to_owned());
    let message = |field: &'static str| {
        errors.get(field).map(|text| {
            let text = text.to_owned();
            view! { <p class="field-error" id=format!("filter-{field}-error")>{text}</p> }
        })
    };
    let q_described_by = errors.get("q").map(|_| "filter-q-error".to_owned());
    let [q_message, status_message, party_message, theme_message, summit_message, sort_message] =
        ["q", "status", "party", "theme", "summit", "sort"].map(message);
    // The place in the list (a numbered page, or the pager's `after` and
    // `before`) is no field of the form: its message stands by the buttons,
    // which start again from the first page.
    let [page_message, after_message, before_message] = ["page", "after", "before"].map(message);
    let option = move |code: String, label: String, selected: &str| {
        let is_selected = code == selected;
        view! { <option value=code selected=is_selected>{label}</option> }
    };
    let reset = action.clone();
    let summary = active_filters(locale, &page, fixed_summit);
    // A value the view could not use is reported beside its field: the
    // fold opens so the message is seen.
    let open = !errors.is_empty();
    view! {
        <details class="filter-fold" open=open>
        <summary class="filter-summary">{summary}</summary>
        <Form method="GET" action=action attr:class="list-filters" attr:role="search" attr:aria-label=tr(locale, "filters-label")>
            <div class="filter-field filter-search">
                <label for="filter-q">{tr(locale, "filters-search")}</label>
                <input id="filter-q" type="search" name="q" value=search maxlength="200"
                    aria-describedby=q_described_by />
                {q_message}
            </div>
            <div class="filter-field">
                <label for="filter-status">{tr(locale, "filters-status")}</label>
                <select id="filter-status" name="status" aria-describedby="filter-status-hint">
                    {option(String::new(), tr(locale, "filters-any-status"), &status)}
                    {Status::ALL.iter().map(|s| option(s.code().into(), i18n::status_label(locale, *s), &status)).collect_view()}
                </select>
                <p class="hint" id="filter-status-hint">{tr(locale, "filters-status-hint")}</p>
                {status_message}
            </div>
            <div class="filter-field">
                <label for="filter-party">{tr(locale, "filters-owed-by")}</label>
                <select id="filter-party" name="party">
                    {option(String::new(), tr(locale, "filters-any-party"), &party)}
                    {page.parties.iter().map(|p| option(p.code.to_string(), party_name(locale, p), &party)).collect_view()}
                </select>
                {party_message}
            </div>
            <div class="filter-field">
                <label for="filter-theme">{tr(locale, "filters-theme")}</label>
                <select id="filter-theme" name="theme">
                    {option(String::new(), tr(locale, "filters-any-theme"), &theme)}
                    {Theme::ALL.iter().map(|t| option(t.code().into(), i18n::theme_label(locale, *t), &theme)).collect_view()}
                </select>
                {theme_message}
            </div>
            {(!fixed_summit)
                .then(|| {
                    view! {
                        <div class="filter-field">
                            <label for="filter-summit">{tr(locale, "filters-summit")}</label>
                            <select id="filter-summit" name="summit">
                                {option(String::new(), tr(locale, "filters-every-summit"), &summit)}
                                {page
                                    .summits
                                    .iter()
                                    .map(|s| option(s.slug.to_string(), s.title_in(locale).text, &summit))
                                    .collect_view()}
                            </select>
                            {(page.summit_total > page.summits.len() as u64)
                                .then(|| {
                                    view! {
                                        <p class="hint">
                                            {tr_with(locale, "filters-latest-summits", &[("count", number(SUMMIT_CHOICES as f64))])} " "
                                            <a href=local_path(locale, "/summits")>{tr(locale, "filters-summits-link")}</a>
                                        </p>
                                    }
                                })}
                            {summit_message}
                        </div>
                    }
                })}
            <div class="filter-field">
                <label for="filter-sort">{tr(locale, "filters-sort")}</label>
                <select id="filter-sort" name="sort">
                    {SortOrder::ALL.iter().map(|s| option(s.code().into(), i18n::sort_label(locale, *s), &sort)).collect_view()}
                </select>
                {sort_message}
            </div>
            <div class="filter-field filter-check">
                <input id="filter-overdue" type="checkbox" name="overdue" value="1" checked=query.overdue />
                <label for="filter-overdue">{tr(locale, "filters-only-overdue")}</label>
            </div>
            <div class="filter-actions">
                <button type="submit" class="button">{tr(locale, "filters-apply")}</button>
                <a href=reset class="reset-link">{tr(locale, "filters-clear")}</a>
            </div>
            {page_message}
            {after_message}
            {before_message}
        </Form>
        </details>
    }
}

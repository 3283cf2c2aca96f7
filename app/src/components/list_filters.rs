//! The list's filter form: a plain GET form, so a filtered view is a URL that
//! works without JavaScript; with it, the router navigates without a reload.

use leptos::prelude::*;
use leptos_router::components::Form;

use domain::{ListingPage, SortOrder, Status, Theme, SUMMIT_CHOICES};

/// The form, filled from the current view. `action` is the page it submits
/// to; `fixed_summit` hides the summit choice on a summit's own page.
#[component]
pub fn ListFilters(page: ListingPage, action: String, #[prop(optional)] fixed_summit: bool) -> impl IntoView {
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
    let option = move |code: String, label: String, selected: &str| {
        let is_selected = code == selected;
        view! { <option value=code selected=is_selected>{label}</option> }
    };
    let reset = action.clone();
    view! {
        <Form method="GET" action=action attr:class="list-filters" attr:role="search" attr:aria-label="Filter and search commitments">
            <div class="filter-field filter-search">
                <label for="filter-q">"Search titles, summaries and source quotes"</label>
                <input id="filter-q" type="search" name="q" value=search maxlength="200"
                    aria-describedby=q_described_by />
                {q_message}
            </div>
            <div class="filter-field">
                <label for="filter-status">"Status"</label>
                <select id="filter-status" name="status" aria-describedby="filter-status-hint">
                    {option(String::new(), "Any status".into(), &status)}
                    {Status::ALL.iter().map(|s| option(s.code().into(), s.label().into(), &status)).collect_view()}
                </select>
                <p class="hint" id="filter-status-hint">"Overall, or the chosen party's own status."</p>
                {status_message}
            </div>
            <div class="filter-field">
                <label for="filter-party">"Owed by"</label>
                <select id="filter-party" name="party">
                    {option(String::new(), "Any party".into(), &party)}
                    {page.parties.iter().map(|p| option(p.code.to_string(), p.short_name.clone(), &party)).collect_view()}
                </select>
                {party_message}
            </div>
            <div class="filter-field">
                <label for="filter-theme">"Theme"</label>
                <select id="filter-theme" name="theme">
                    {option(String::new(), "Any theme".into(), &theme)}
                    {Theme::ALL.iter().map(|t| option(t.code().into(), t.label().into(), &theme)).collect_view()}
                </select>
                {theme_message}
            </div>
            {(!fixed_summit)
                .then(|| {
                    view! {
                        <div class="filter-field">
                            <label for="filter-summit">"Summit"</label>
                            <select id="filter-summit" name="summit">
                                {option(String::new(), "Every summit".into(), &summit)}
                                {page
                                    .summits
                                    .iter()
                                    .map(|s| option(s.slug.to_string(), s.title.clone(), &summit))
                                    .collect_view()}
                            </select>
                            {(page.summit_total > page.summits.len() as u64)
                                .then(|| {
                                    view! {
                                        <p class="hint">
                                            "The latest " {SUMMIT_CHOICES} " summits. "
                                            <a href="/summits">"Every summit"</a>
                                            " has its own page with these filters."
                                        </p>
                                    }
                                })}
                            {summit_message}
                        </div>
                    }
                })}
            <div class="filter-field">
                <label for="filter-sort">"Sort by"</label>
                <select id="filter-sort" name="sort">
                    {SortOrder::ALL.iter().map(|s| option(s.code().into(), s.label().into(), &sort)).collect_view()}
                </select>
                {sort_message}
            </div>
            <div class="filter-field filter-check">
                <input id="filter-overdue" type="checkbox" name="overdue" value="1" checked=query.overdue />
                <label for="filter-overdue">"Only overdue"</label>
            </div>
            <div class="filter-actions">
                <button type="submit" class="button">"Apply"</button>
                <a href=reset class="reset-link">"Clear filters"</a>
            </div>
        </Form>
    }
}

use leptos::prelude::*;

use crate::locale::{party_name, use_locale};
use domain::{PartyStatus, Status};

/// A status shown as coloured text. The colour is never the only cue: the
/// label is always written out, and the title carries the definition.
#[component]
pub fn StatusBadge(status: Status) -> impl IntoView {
    let locale = use_locale();
    view! {
        <span class=format!("badge status-{}", status.code()) title=i18n::status_definition(locale, status)>
            {i18n::status_label(locale, status)}
        </span>
    }
}

/// Each owing party's status, side by side.
#[component]
pub fn PartyStatusList(statuses: Vec<PartyStatus>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <dl class="party-statuses">
            {statuses
                .into_iter()
                .map(|p| {
                    view! {
                        <div class="party-status">
                            <dt>{party_name(locale, &p.party)}</dt>
                            <dd>
                                <StatusBadge status=p.status />
                            </dd>
                        </div>
                    }
                })
                .collect_view()}
        </dl>
    }
}

use leptos::prelude::*;

use domain::{PartyStatus, Status};

/// A status shown as coloured text. The colour is never the only cue: the
/// label is always written out, and the title carries the definition.
#[component]
pub fn StatusBadge(status: Status) -> impl IntoView {
    view! {
        <span class=format!("badge status-{}", status.code()) title=status.definition()>
            {status.label()}
        </span>
    }
}

/// Each owing party's status, side by side.
#[component]
pub fn PartyStatusList(statuses: Vec<PartyStatus>) -> impl IntoView {
    view! {
        <dl class="party-statuses">
            {statuses
                .into_iter()
                .map(|p| {
                    view! {
                        <div class="party-status">
                            <dt>{p.party.short_name}</dt>
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

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What a copy button says, in the page's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CopyWords {
    pub label: String,
    pub copied: String,
    pub failed: String,
}

/// A "Copy link" button. It only appears once the page has hydrated, since
/// it needs the Clipboard API; without JavaScript the URL is shown in a
/// read-only field next to it for readers to copy by hand. An island: the
/// only part of a page that needs code in the browser. Its words come from
/// the server in the page's language (`CopyWords`), so the browser bundle
/// carries no catalogue.
#[island]
pub fn CopyLinkButton(
    url: String,
    /// The button's text, what it says once copied, and what it says when
    /// the browser refuses.
    words: CopyWords,
) -> impl IntoView {
    let CopyWords { label, copied, failed } = words;
    let hydrated = RwSignal::new(false);
    // Effects run only in the browser, after hydration.
    Effect::new(move |_| hydrated.set(true));
    let (feedback, set_feedback) = signal(String::new());

    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let (url, copied, failed) = (url.clone(), copied.clone(), failed.clone());
            let clipboard = window().navigator().clipboard();
            wasm_bindgen_futures::spawn_local(async move {
                let result = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&url)).await;
                set_feedback.set(match result {
                    Ok(_) => copied,
                    Err(_) => failed,
                });
            });
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = (&url, set_feedback, &copied, &failed);
        }
    };

    view! {
        <Show when=move || hydrated.get()>
            <button type="button" class="button" on:click=copy.clone()>
                {label.clone()}
            </button>
        </Show>
        <p class="copy-feedback" role="status" aria-live="polite">
            {move || feedback.get()}
        </p>
    }
}

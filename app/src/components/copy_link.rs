use leptos::prelude::*;

/// A "Copy link" button. It only appears once the page has hydrated, since
/// it needs the Clipboard API; without JavaScript the URL is shown in a
/// read-only field next to it for readers to copy by hand. An island: the
/// only part of a page that needs code in the browser.
#[island]
pub fn CopyLinkButton(
    url: String,
    /// The button's text; "Copy link" unless given (e.g. "Copy embed code").
    #[prop(optional, into)]
    label: Option<String>,
) -> impl IntoView {
    let label = label.unwrap_or_else(|| "Copy link".to_owned());
    let copied = if label == "Copy link" {
        "Link copied to the clipboard."
    } else {
        "Copied to the clipboard."
    };
    let hydrated = RwSignal::new(false);
    // Effects run only in the browser, after hydration.
    Effect::new(move |_| hydrated.set(true));
    let (feedback, set_feedback) = signal(String::new());

    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let url = url.clone();
            let clipboard = window().navigator().clipboard();
            wasm_bindgen_futures::spawn_local(async move {
                let result = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&url)).await;
                set_feedback.set(match result {
                    Ok(_) => copied.to_owned(),
                    Err(_) => "Could not copy; select the text and copy it yourself.".to_owned(),
                });
            });
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = (&url, set_feedback, copied);
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

//! The badge other sites embed, as HTML to paste: the permalink page offers
//! it to copy, and the oEmbed endpoint hands the same markup to CMSs.

use domain::{CommitmentSummary, Locale};
use i18n::{text, tr, tr_with};

use crate::components::escape_html;

/// "China: In progress · South Korea: Fulfilled", in `locale`.
pub fn status_line(locale: Locale, commitment: &CommitmentSummary) -> String {
    commitment
        .party_statuses
        .iter()
        .map(|p| {
            tr_with(
                locale,
                "party-status-pair",
                &[
                    (
                        "party",
                        text(i18n::party_name(locale, &p.party.code, &p.party.short_name)),
                    ),
                    ("status", text(i18n::status_label(locale, p.status))),
                ],
            )
        })
        .collect::<Vec<_>>()
        .join(&tr(locale, "view-facet-separator"))
}

/// A commitment's badge, ready to embed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadgeEmbed {
    /// The badge image, in the page's language.
    pub badge_url: String,
    /// The badge's text alternative: the title and the statuses.
    pub alt: String,
    /// `<a href="permalink"><img src="badge" alt="…"></a>`, every value
    /// escaped.
    pub code: String,
}

/// The badge of `commitment` whose permalink (in `locale`) is `share_url`.
pub fn badge_embed(locale: Locale, commitment: &CommitmentSummary, share_url: &str) -> BadgeEmbed {
    let title = commitment.texts_in(locale).text.title;
    let badge_url = format!("{share_url}/badge.svg");
    let alt = tr_with(
        locale,
        "badge-alt",
        &[
            ("title", text(title)),
            ("statuses", text(status_line(locale, commitment))),
        ],
    );
    let code = format!(
        "<a href=\"{}\"><img src=\"{}\" alt=\"{}\"></a>",
        escape_html(share_url),
        escape_html(&badge_url),
        escape_html(&alt)
    );
    BadgeEmbed { badge_url, alt, code }
}

//! What every layer needs to know about the site it serves: where it is
//! published, and what time it is there.

use chrono::{DateTime, NaiveDate, Utc};

/// The public base URL (`ACCORD_PUBLIC_URL`) used for canonical and share links.
#[derive(Clone, Debug)]
pub struct PublicUrl(pub url::Url);

impl PublicUrl {
    /// The absolute URL of a site path such as `/commitments/x`. The path
    /// is always read as a path below the site: `//host/…` or `http:host`
    /// (both reachable from a request's path) stay on this site.
    pub fn join(&self, path: &str) -> String {
        let below = format!("./{}", path.trim_start_matches(['/', '\\']));
        self.0
            .join(&below)
            .map(String::from)
            .unwrap_or_else(|_| self.0.to_string())
    }
}

/// Where the site reads the time while answering requests: the system clock
/// when serving, a fixed instant in tests, so that what is "overdue" or "in
/// the future" does not change with the day the tests run. The store is
/// handed the time by its callers; the command line and the session layer's
/// expiry read the system clock themselves.
#[derive(Clone, Debug, Default)]
pub enum Clock {
    #[default]
    System,
    Fixed(DateTime<Utc>),
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(at) => *at,
        }
    }

    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_gives_its_own_day_and_the_public_url_joins_paths() {
        let at = NaiveDate::from_ymd_opt(2031, 2, 3)
            .unwrap()
            .and_hms_opt(23, 59, 0)
            .unwrap()
            .and_utc();
        assert_eq!(Clock::Fixed(at).now(), at);
        assert_eq!(Clock::Fixed(at).today().to_string(), "2031-02-03");
        let site = PublicUrl(url::Url::parse("https://accord.example/tracker/").unwrap());
        assert_eq!(
            site.join("/commitments/x"),
            "https://accord.example/tracker/commitments/x"
        );
        // Paths taken from requests never leave the site.
        assert_eq!(
            site.join("//evil.example/x"),
            "https://accord.example/tracker/evil.example/x"
        );
        assert_eq!(
            site.join("/http:evil.example"),
            "https://accord.example/tracker/http:evil.example"
        );
        assert_eq!(
            site.join("/\\evil.example"),
            "https://accord.example/tracker/evil.example"
        );
    }
}

# Accord's interface in English. Every message here must exist in ko.ftl and
# zh.ftl too (the i18n crate's tests fail otherwise).

site-name = Accord
site-tagline = What governments promise each other, item by item
skip-to-content = Skip to content
footer-about = Accord tracks commitments made at summits, one status per party, each change dated and sourced. Statuses are editorial judgements based on the quoted sources.
language-switcher = Language
language-name-en = English
language-name-ko = 한국어
language-name-zh = 中文
feed-atom = Atom
csv = CSV
json = JSON

## Dates

date-long = { $day } { $month-name } { $year }
date-month-year = { $month-name } { $year }
date-time-utc = { $date }, { $time } UTC
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

month-short-1 = Jan
month-short-2 = Feb
month-short-3 = Mar
month-short-4 = Apr
month-short-5 = May
month-short-6 = Jun
month-short-7 = Jul
month-short-8 = Aug
month-short-9 = Sep
month-short-10 = Oct
month-short-11 = Nov
month-short-12 = Dec
chart-month = { $month-short } { $year }
chart-day = { $day } { $month-short } { $year }

## Counting

count-commitments = { $count ->
    [one] { $count } commitment
   *[other] { $count } commitments
}
count-sources = { $count ->
    [one] 1 source
   *[other] { $count } sources
}
count-days = { $count ->
    [one] 1 day
   *[other] { $count } days
}

## Statuses, their public definitions and the overall rule

status-not_yet_rated = Not yet rated
status-in_progress = In progress
status-stalled = Stalled
status-partly_fulfilled = Partly fulfilled
status-fulfilled = Fulfilled
status-not_fulfilled = Not fulfilled
status-definition-not_yet_rated = No evidence has been assessed yet. This says nothing about whether work has started.
status-definition-in_progress = Sources show concrete steps under way towards the commitment.
status-definition-stalled = Work started but has stopped, or has been postponed without a new date.
status-definition-partly_fulfilled = Part of the commitment has been delivered; the rest has not.
status-definition-fulfilled = Sources show the commitment has been delivered in full.
status-definition-not_fulfilled = The due date passed without delivery, or a source reports the commitment was abandoned.
overall-status-rule = The overall status is Fulfilled only when every owing party has fulfilled the commitment; otherwise it is the status of the least advanced party, ranked Not fulfilled, Not yet rated, Stalled, In progress, Partly fulfilled, Fulfilled.

## Vocabularies

theme-diplomacy = Diplomacy and trust
theme-economy = Trade and economy
theme-security = Public safety
theme-people_to_people = People-to-people ties
theme-multilateral = Regional and multilateral
source-kind-official_readout = Official readout
source-kind-media_report = Media report
source-kind-analysis = Analysis
sort-summit = Summit order
sort-last_change = Last status change
sort-due = Due date
sort-title = Title
party-cn = China
party-kr = South Korea
party-leader-cn = Xi Jinping
party-leader-kr = Lee Jae-myung

## Lists of names

list-and = { $first } and { $last }
list-separator = {", "}

## Texts in other languages

text-translated-by = Translated by { $name }
text-untranslated = Not yet translated: shown in the original { $language }.
language-in-en = English
language-in-ko = Korean
language-in-zh = Chinese

## Commitment cards and due dates

overdue = Overdue
overdue-due-on = : due { $date }
due-label = Due
due-inferred-mark = (inferred)
due-today = Due today ({ $percent }% of the time elapsed)
due-days-left = { $days ->
    [one] 1 day
   *[other] { $days } days
} left ({ $percent }% of the time elapsed)
due-days-past = { $days ->
    [one] 1 day
   *[other] { $days } days
} past the due date
due-elapsed-label = Time elapsed: { $label }
overall-colon = Overall:
owed-by-names = Owed by { $names }
last-status-change = Last status change

## The list's filters

filters-label = Filter and search commitments
filters-search = Search titles, summaries and source quotes
filters-status = Status
filters-any-status = Any status
filters-status-hint = Overall, or the chosen party's own status.
filters-owed-by = Owed by
filters-any-party = Any party
filters-theme = Theme
filters-any-theme = Any theme
filters-summit = Summit
filters-every-summit = Every summit
filters-latest-summits = The latest { $count } summits.
filters-summits-link = Every summit has its own page with these filters.
filters-sort = Sort by
filters-only-overdue = Only overdue
filters-apply = Apply
filters-clear = Clear filters
# The folded filter form's summary line (phones see only this until opened).
filters-fold-none = Filter and search
filters-fold-active = Filters: { $filters }
filters-fold-item = { $label }: { $value }
filters-fold-search = Search: “{ $search }”
filters-fold-separator = {" · "}

## Titles

title-short = { $page } · Accord
title-tracker = { $page } · Accord commitment tracker

## The list of commitments

home-heading = Summit commitments, tracked
home-lead = Every commitment two governments made to each other at a summit, with each party's status, a dated history of how it changed, and the sources behind every claim.
home-latest-summit = Latest summit:
home-all-summits = All summits
summit-of = Summit of
summit-about = About this summit
listing-meta-description = { $view }: { $count } found, each with every party's status, a dated history and the sources behind it.
listing-meta-description-many = { $view }: more than { $count } found, each with every party's status, a dated history and the sources behind it.
listing-meta-count = { $count } { $status }
listing-meta-now = { $description } Now: { $counts }.
view-commitments = Commitments
view-overdue-commitments = Overdue commitments
view-with-facets = { $base } ({ $facets })
view-facet-separator = {"; "}
view-facet-status = status: { $status }
view-facet-party-status = status of { $party }: { $status }
view-facet-party = owed by { $party }
view-facet-theme = theme: { $theme }
view-facet-summit = summit: { $summit }
view-facet-search = matching “{ $search }”
scoreboard-heading = Scoreboard
scoreboard-total-all = { $count ->
    [one] { $count } commitment in all, by overall status:
   *[other] { $count } commitments in all, by overall status:
}
scoreboard-total-matching = { $count ->
    [one] { $count } commitment matches, by overall status:
   *[other] { $count } commitments match, by overall status:
}
scoreboard-total-many = More than { $count } commitments match. Counting stops there; narrow the search or the filters to see the matches by overall status.
scoreboard-show = Show
scoreboard-show-which = the { $count } { $status }
chart-heading = Statuses over time
chart-omitted = The chart is drawn for views of up to { $count } commitments. Choose a summit or narrow the filters to see how their statuses changed.
pager-label = Pages of results
pager-previous = ← Previous page
pager-next = Next page →
pager-first = « First page
pager-last = Last page »
pager-summary = { $count ->
    [one] 1 commitment
   *[other] { $count } commitments
}, { $per_page } per page
pager-summary-many = More than { $count } commitments, { $per_page } per page
pager-position = Page { $page } of { $pages }
empty-heading = No commitments match these filters.
empty-try = Try fewer words, another status or party, or
empty-clear = clear the filters.
reuse-heading = Reuse this view
reuse-csv = Download as CSV
dataset-name = Accord: summit commitments and their status
dataset-description = Every commitment tracked by Accord, with the parties that owe it, each party's current status, due dates and the number of sources, as CSV and as JSON.
reuse-csv-same-filters = (same filters)
reuse-openapi = API description (OpenAPI)
reuse-feed = Atom feed of every status change
feed-every-change-title = Accord: every status change

## The status chart

chart-empty = No status has been recorded for these commitments yet.
chart-bar-title = { $date }: { $count } { $status }
chart-summary = Stacked bars: the overall status of these commitments at the end of each month from { $first } to { $latest }. The table below gives the figures.
chart-title = How the statuses changed over time
chart-table-summary = The figures as a table
chart-table-caption = Commitments by overall status at each month's end
chart-table-date = Date
chart-table-total = Total

## Editors' forms

form-status-not-saved = The status change was not saved. Please correct the fields marked below.
form-nothing-saved = Nothing was saved. Please correct the fields marked below.
form-update-status = Update status
form-whose-status = Whose status changed
form-party-now = { $party } (now { $status })
form-both-parties = Both parties
form-new-status = New status
form-choose = Choose…
form-effective-on = Date it took effect
form-note = Note: what happened, in one or two sentences
form-evidence = Evidence: this commitment's sources
form-or-new-source = …or add a new source
form-abandoned = A source says the commitment was abandoned (needed to mark it Not fulfilled before its due date)
form-save-status = Save status change
form-add-source = Add a source
form-add-source-button = Add source
form-correct-source = Correct or remove this source
form-save-correction = Save correction
form-remove-source = Remove from this commitment
source-publisher = Publisher
source-title = Title
source-published-on = Date published
source-url = Web address (optional)
source-quote = Exact quote
source-language = Language of the source
source-kind = Kind of source

## Readers' suggestions

suggest-not-sent = Your suggestion was not sent. Please correct the fields marked below.
suggest-heading = Suggest an update
suggest-hint = Know of news about this commitment? Send the source; an editor checks it before anything changes. Suggestions are published only as status changes, credited to “a reader”.
suggest-thanks = Thank you. Your suggestion is waiting for an editor.
suggest-whose-status = Whose status
suggest-status = Suggested status
suggest-effective-on = Date it happened
suggest-note = What happened
suggest-source = Your source
suggest-contact = Your e-mail (optional, only editors see it)
suggest-trap = Leave this empty
suggest-send = Send suggestion

## Copy buttons

copy-link = Copy link
copy-link-done = Link copied to the clipboard.
copy-embed = Copy embed code
copy-embed-done = Copied to the clipboard.
copy-failed = Could not copy; select the text and copy it yourself.

## A commitment's page

loading = Loading…
timeline-cut = Showing the latest { $shown } of { $total } status changes. Every change, with who made it and when, is in
timeline-cut-link = the list of every edit.
party-status-pair = { $party }: { $status }
party-colon = { $party }:
commitment-meta-description = Overall: { $overall }. { $statuses }. { $summary }
proposed-jointly = Both sides jointly
badge-alt = Accord status of “{ $title }”: { $statuses }
due-basis-inferred-prefix = Inferred:
due-basis-explicit-prefix = Stated:
edit-this-commitment = Edit this commitment
feed-commitment-title = Status changes: { $title }
breadcrumb = Breadcrumb
all-commitments = All commitments
fact-summit = Summit
fact-proposed-by = Proposed by
fact-owed-by = Owed by
fact-due = Due
no-due-date = No due date was set
status-heading = Status
overall = Overall
since = Since
timeline-heading = Timeline
timeline-hint = Every status change, newest first, with the evidence it rests on. History is never rewritten;
timeline-history-link = see every edit to this commitment.
sources-heading = Sources ({ $count })
definitions-heading = What the statuses mean
share-heading = Share this commitment
share-permanent-link = Permanent link
share-feed = Follow its status changes (Atom feed)
share-embed-heading = Embed the live status
share-embed-code = HTML to paste into an article
changed-to = changed to
evidence = Evidence:
recorded-by = Recorded by { $name }
update-link = Link to this update
update-link-which = ({ $party } on { $date })
source-via = (via
source-via-end = )

## History

history-title = History: { $title } · Accord
history-crumb = History
history-heading = History of changes
history-hint = Every edit since the summit's data was loaded, newest first. Reverting creates a new version; nothing is erased.
history-empty = No editor has changed this commitment yet.
history-version = Version { $version }
history-revert = Revert to version { $version }
history-pages = Pages of the history
history-newest = ← Newest changes
history-older = Older changes →
history-no-older = There are no older changes.
history-bad-cursor-title = History page not found · Accord
history-bad-cursor = This address does not name a page of the history: “before” must be a version number, as in the history's own links.

## Signing in and out

login-title = Editor sign-in · Accord
editor-sign-in = Editor sign-in
login-intro = Only Accord's editors sign in. Readers can browse everything without an account.
login-name = User name
login-password = Password
login-submit = Sign in
signed-in-as = Signed in as
sign-out = Sign out
new-commitment = New commitment
review-suggestions = Review suggestions
editors-only = Editors only.

## Reviewing suggestions

review-heading = Suggestions to review
review-empty = No suggestions are waiting.
review-count = { $count ->
    [one] { $count } suggestion is waiting, oldest first.
   *[other] { $count } suggestions are waiting, oldest first.
}
review-from = from { $date }
review-sent = Sent { $when }
review-contact = contact: { $contact }
review-accept = Accept as a status change
review-reason = Reason for rejecting
review-reject = Reject

## Not found

not-found-title = Not found
not-found-heading = We can’t find that page
not-found-address = No page exists at this address.
not-found-what = { $what } was not found.
not-found-hint = The address may be mistyped, or the item may have been given a different address.
not-found-browse = Browse all commitments to find what you were looking for.

## Summits

summits-heading = Summits
summits-description = Every summit Accord tracks, newest first, with how many of its commitments stand at each status.
summits-lead = Each summit's commitments, with the overall status of each.
summits-empty = No summit has been recorded yet.
summits-count = { $count ->
    [one] { $count } commitment:
   *[other] { $count } commitments:
}
missing-commitment = The commitment “{ $slug }”
missing-summit = The summit “{ $slug }”

## The commitment form

form-sign-in-first = Sign in as an editor to add or edit commitments.
form-edit-heading = Edit: { $title }
form-address-stays = The web address stays the same when the title changes, so shared links keep working.
form-title = Title: the commitment in one plain sentence
form-summary = Summary: what was committed, by whom, in the source's terms
form-due-on = Due date (optional)
form-due-basis = The due date is…
form-due-note = Where the due date comes from (or why it was inferred)
form-save-commitment = Save commitment
due-basis-explicit = Stated in a source
due-basis-inferred = Inferred

## Feeds

feed-site-title = Accord: status changes
feed-site-subtitle = Every change to the status of a commitment made at the summits Accord tracks, newest first.
feed-commitment-feed-title = Accord: { $title }
feed-commitment-subtitle = Status changes of one commitment made at the { $summit }, newest first.
feed-headline-change = { $party }: { $before } → { $after }
feed-entry-effective = { $headline }, effective { $date }.
feed-no-note = No note was recorded.
feed-editors = Accord editors

## Refused writes

refusal-party-not-owing = That party does not owe this commitment.
refusal-cited-source-not-on-commitment = Choose among this commitment's sources, or add a new one.
refusal-source-not-on-commitment = That source does not belong to this commitment.
refusal-source-is-evidence = This source is the evidence for a status change, so it stays listed.
refusal-no-such-version = There is no version { $version } of this commitment to revert to.
refusal-title-makes-no-slug = The title needs Latin letters or digits.
refusal-unknown-summit = Choose one of the listed summits.
refusal-unknown-party = Choose among the listed parties.
refusal-party-has-history = A party with status history cannot be removed from the commitment.
refusal-suggestion-already-decided = This suggestion was already decided by another editor.

## Errors

error-unauthorized = Sign in as an editor to do this.
error-internal = Something went wrong on our side. Please try again; if it keeps happening, tell the editors.
error-transport = The request could not be completed: { $detail }
error-conflict = { $name } changed this commitment at { $when }, after you opened the form: { $change } Your input is kept below; check it against the new state and submit again.
error-busy-signing-in = The server is busy checking other sign-ins. Try again in a few seconds.
error-too-many-sign-ins = { $minutes ->
    [one] Too many failed sign-in attempts. Try again in { $minutes } minute.
   *[other] Too many failed sign-in attempts. Try again in { $minutes } minutes.
}
error-too-many-suggestions = Thank you — you have sent several suggestions in the last hour. Please try again later.
refusal-translation-into-original = This is the commitment's original language; edit the commitment itself instead.
form-out-of-date = This form is out of date; reload the page and try again.

## Translations of a commitment

translations-heading = Translations
translations-hint = The title and summary in the other languages. Each save is a revision in the history, credited to you as translator.
translation-heading = { $language } translation
translation-title = Title in { $language }
translation-summary = Summary in { $language }
translation-none-yet = Not yet translated.
translation-current-by = Current translation by { $name }.
translation-save = Save translation
translation-not-saved = The translation was not saved. Please correct the fields marked below.

## Share cards

card-brand = Accord commitment tracker
card-separator = {": "}

## Checks of what a form sends

problem-required = This field is required.
problem-too-long = At most { $max } characters, please (this has { $length }).
problem-invisible-characters = Remove the invisible control or formatting characters from this text.
problem-enter-date = Enter a date.
problem-real-date = Enter a real date as YYYY-MM-DD, e.g. 2026-03-01.
problem-url-too-long = A web address can be at most { $max } characters.
problem-url-scheme = Only http:// and https:// web addresses are accepted.
problem-url-incomplete = This is not a complete web address (it should start with https://).
problem-source-in-future = A source cannot be published in the future.
problem-choose-source-kind = Choose what kind of source this is.
problem-choose-source-language = Choose the language the source was published in.
problem-choose-party = Choose whose status changed.
problem-choose-status = Choose a status from the list.
problem-change-in-future = The change cannot take effect in the future.
problem-change-before-summit = The change cannot take effect before the summit.
problem-source-choice-invalid = One of the chosen sources is not valid; choose again.
problem-needs-evidence = A status change needs evidence: choose a source or add a new one.
problem-not-fulfilled-too-early = Not fulfilled can only be used after the due date, or when a source says the commitment was abandoned (tick the box).
problem-title-needs-latin = The title needs some Latin letters or digits, so it can have a web address.
problem-choose-theme = Choose a theme.
problem-choose-proposer = Choose who proposed it.
problem-choose-owing-party = Choose at least one party that owes this commitment.
problem-choose-due-basis = Choose whether the date is stated in a source or inferred.
problem-due-note-needed = Say where the due date comes from (e.g. “Stated in the joint statement”).
problem-choose-summit = Choose a summit.
problem-suggestion-needs-source = A suggestion needs a source: who published the evidence?
problem-suggestion-needs-quote = Quote the passage that supports the suggestion.
problem-choose-translation-language = Choose the language of the translation.
problem-search-too-long = Search for at most { $max } characters.
problem-search-control-characters = Search text cannot contain control characters.
problem-unknown-status = “{ $value }” is not a status.
problem-unknown-party = “{ $value }” is not a party code such as cn or kr.
problem-unknown-theme = “{ $value }” is not a theme.
problem-unknown-summit = “{ $value }” is not a summit.
problem-unknown-sort = “{ $value }” is not a sort order.
problem-overdue-flag = Use overdue=1 to show only overdue items.
problem-page-number = The page is a whole number from 1.
problem-list-cursor = This link does not name a place in the list: start again from the first page.
login-enter-both = Enter your user name and password.
login-no-match = That user name and password do not match an enabled account.
review-choose-decision = Choose to accept or reject the suggestion.

## History lines

history-change = { $field }: “{ $before }” → “{ $after }”
history-none = none
history-field-title = Title
history-field-summary = Summary
history-field-due-note = Due date note
history-field-translated-title = { $language } title
history-field-translated-summary = { $language } summary
history-field-theme = Theme
history-field-due-basis = Due date basis
history-sources-added = Sources: { $count } added
history-sources-removed = Sources: { $count } removed
history-status = Status of { $party }: { $before } → { $after }

## Evidence: versioned sources and their corrections
refusal-evidence-predates-commitment = Making a promise is not progress on it: a status beyond “Not yet rated” needs a source dated after the summit, reporting a step taken since.
title-basis-headline = The outlet's own headline
title-basis-description = A description written by Accord
date-basis-published = The date the source gives
date-basis-reported = The source gives no date: the date it was reported
source-title-basis = The title is
source-date-basis = The date is
source-via-label = Reported in (the document that carried the source; needed when the source gives no date)
source-correction-note = What was wrong (readers see this note beside the correction)
problem-correction-needs-note = Say what was wrong: readers see this note beside the correction.
problem-reported-needs-via = The source gives no date of its own: say where it was reported.
problem-choose-date-basis = Say what the date is.
problem-choose-title-basis = Say whether the title is the outlet's headline or a description.
refusal-source-unchanged = This correction changes nothing in the source, so nothing was saved.
source-value-none = (none)
source-field-publisher = Publisher
source-field-via = Reported in
source-field-title = Title
source-field-title-basis = Title is
source-field-date = Date
source-field-date-basis = Date is
source-field-url = Web address
source-field-quote = Quote
source-field-kind = Kind of source
source-field-language = Language
source-corrected-on = Corrected on { $date } (now version { $version })
source-correction-line = Version { $version }, { $date }, by { $editor }:
cited-source-corrected = This source was corrected on { $date }, after this change relied on it
cited-version = (version { $version })
source-description-label = Description by Accord:
source-date-not-given = Date not given by the source;
source-reported-on = reported
## Methodology page

methodology-title = Methodology
methodology-heading = How Accord rates commitments
methodology-description = How Accord rates the commitments made at summits: what each status means, how the overall status is worked out, which sources count, how translations are labelled, who edits, and how to suggest a correction.
methodology-lead = Accord records what governments commit to at summits and what has happened since. This page sets out the rules its editors follow, so that readers can check every status against them.
methodology-contents = On this page
methodology-statuses-link = How statuses are assigned: the methodology
methodology-statuses-heading = Statuses and what they mean
methodology-statuses-intro = Each party that owes a commitment has its own status. A status is an editorial judgement based on the sources listed on the commitment's page. Every change records the date it took effect, the editor who recorded it and the sources it relied on.
methodology-overall-heading = The overall status
methodology-overall-intro = A commitment owed by two parties also has one overall status, shown in lists, on the scoreboard and in the charts. Editors never set it by hand: it follows from the parties' own statuses by this rule:
methodology-overall-example = For example, if { $first-party } is at “{ $first-status }” and { $second-party } is at “{ $second-status }”, the overall status is “{ $overall }”.
methodology-overall-why = The order is deliberately cautious. A party whose progress nobody has assessed ranks below one with evidence of work, and a broken commitment ranks lowest, so the overall status never looks better than that of the party furthest behind.
methodology-sourcing-heading = Sourcing rules
methodology-sourcing-intro = Every status rests on the sources quoted on the commitment's page. Editors apply these rules to every source and every status change.
methodology-rule-progress-title = A promise is not progress
methodology-rule-progress = Any status other than “{ $not-yet-rated }” needs a source that reports a step taken after the commitment was made. The summit's record of the promise shows that it was made; it is not evidence that anything has been done.
methodology-rule-proposer-title = Who proposed it
methodology-rule-proposer = “{ $proposed-by }” names the side that, according to the source, spoke of or proposed the commitment. “{ $jointly }” is used only when the source says both sides did.
methodology-rule-attribution-title = Credit only what the source attributes
methodology-rule-attribution = An outlet is credited only with what the article attributes to it. Passages that a press release or article writes in its own voice are credited to that release or article, as a “{ $media-report }”, not as an “{ $official-readout }”.
methodology-rule-dates-title = The source's own date
methodology-rule-dates = A source is dated with the date it gives itself. When it gives none, it is marked “date not given”, and Accord states when and where it was reported instead of borrowing a date from another document.
methodology-rule-titles-title = Our descriptions are not headlines
methodology-rule-titles = A title that Accord writes to describe a source is shown as a description, never presented as the outlet's own headline.
methodology-rule-due-title = Due dates
methodology-rule-due = Nothing is marked “{ $not-fulfilled }” before its due date unless a source says the commitment was abandoned. When a commitment names no date and Accord infers one, the date is labelled “{ $inferred }” and the reason is given.
methodology-rule-corrections-title = Sources are never rewritten
methodology-rule-corrections = A correction to a source keeps the earlier text beside the new one. Every status change shows the version of each source it relied on, and is flagged when one of those sources was corrected later.
methodology-rule-time-zone-title = Dates in the summit's time zone
methodology-rule-time-zone = “Today”, the days left before a due date and the “{ $overdue }” flags are counted in the time zone of the place where the summit was held. For the summit of President Xi Jinping and President Lee Jae-myung on 1 November 2025, that is Korea Standard Time (Asia/Seoul, UTC+9). A commitment is marked “{ $overdue }” once its due date has passed while its overall status is not “{ $fulfilled }”.
methodology-translations-heading = How translations are labelled
methodology-translations-languages = Accord is published in English, Korean and Simplified Chinese, with its interface translated into each. The titles and summaries of commitments and summits are written in one original language and translated from it.
methodology-translations-credit = A translated title or summary names its translator beneath it, for example “{ $example }”. Translations supplied with a summit's data are credited to Accord; a translation saved by an editor is credited to that editor and recorded as a version in the commitment's history.
methodology-translations-untranslated = Where no translation into the page's language exists, the original is shown with a note such as “{ $example }”.
methodology-translations-quotes = Quotes from sources are never translated. The evidence is what the source says in its own words, so each quote, and the source's title, is shown in the language the source was published in.
methodology-translations-notes = Editors' notes on status changes, and the short summary recorded with each version in a commitment's history, are shown as they were written; at present they are in English and marked as such.
methodology-translations-lang = Every passage that is not in the page's language is marked with its language in the page's HTML (the lang attribute), so that screen readers pronounce it correctly and browsers choose suitable fonts.
methodology-editors-heading = Who edits Accord, and how editors are chosen
methodology-editors-accounts = Accord has no public sign-up. The site's operator creates editor accounts on the server's command line, for people the operator trusts, and can disable an account or change its password; there is no other selection process. Readers need no account, either to read or to suggest a correction.
methodology-editors-work = Editors add and edit commitments, record status changes with their evidence, add and correct sources, and translate titles and summaries.
methodology-editors-signed = Every edit is signed with the editor's user name and saved as a new, numbered version. A commitment's history page lists every version, newest first, with who made it and when, and each status change on the timeline names the editor who recorded it.
methodology-editors-revert = Any edit can be reverted to an earlier version. A revert is itself a new version, so nothing is erased; a recorded status change cannot be altered or deleted, only followed by a newer one.
methodology-editors-conflicts = If two editors change the same commitment at the same time, the later save is refused and its editor is shown the other change, so no edit silently overwrites another.
methodology-corrections-heading = How to suggest a correction
methodology-corrections-suggest = Every commitment's page has a form for suggesting an update: whose status it concerns, the status you think is right, the date it happened, and the source, with the exact passage that supports the suggestion. No account is needed; an e-mail address is optional and only editors see it.
methodology-corrections-review = An editor checks each suggestion against its source and accepts or rejects it; nothing on the page changes before then. An accepted suggestion is published as a status change credited to “a reader” and to the editor who accepted it.
methodology-corrections-public = Every correction Accord makes is listed publicly.
methodology-corrections-link = See the list of corrections

## Corrections page
corrections-heading = Corrections
corrections-description = Corrections made on Accord, newest first: sources corrected, status changes reverted, and corrections of the published data.
corrections-lead = Sources corrected, status changes reverted and corrections of the published data, newest first. A corrected source keeps its earlier text, and every status change that relied on it is flagged; a revert is itself a new version in the commitment's history.
corrections-how = How corrections work
corrections-feed-link = Corrections feed (Atom)
corrections-feed-title = Accord: corrections
corrections-feed-subtitle = Sources corrected, reverts and data corrections on Accord, newest first.
corrections-empty = No corrections yet.
correction-kind-source = Source corrected
correction-kind-revert = Reverted
correction-kind-data = Data corrected
correction-why = Why:
correction-history-link = History

## Time zones
dates-in-zone = Days are counted in the summit's time zone, { $zone } ({ $offset }).
dates-in-zone-why = Why?
dates-in-zone-list = Overdue flags use the time zone of each commitment's summit; this view's chart and days are counted in { $zone } ({ $offset }).

# Accord 인터페이스 한국어 문구. 여기에 있는 모든 메시지는 en.ftl과 zh.ftl에도
# 있어야 합니다(없으면 i18n 크레이트의 테스트가 실패합니다).

site-name = Accord
site-tagline = 정부가 서로에게 한 약속을 항목별로 추적합니다
skip-to-content = 본문 바로가기
footer-about = Accord는 정상회담에서 나온 약속을 추적합니다. 당사국마다 하나의 상태를 매기고, 모든 변경 사항에 날짜와 출처를 기록합니다. 상태는 인용된 출처에 근거한 편집진의 판단입니다.
language-switcher = 언어
language-name-en = English
language-name-ko = 한국어
language-name-zh = 中文
feed-atom = Atom
csv = CSV
json = JSON

## Dates

date-long = { $year }년 { $month-name } { $day }일
date-month-year = { $year }년 { $month-name }
date-time-utc = { $date } { $time } UTC
month-1 = 1월
month-2 = 2월
month-3 = 3월
month-4 = 4월
month-5 = 5월
month-6 = 6월
month-7 = 7월
month-8 = 8월
month-9 = 9월
month-10 = 10월
month-11 = 11월
month-12 = 12월

month-short-1 = 1
month-short-2 = 2
month-short-3 = 3
month-short-4 = 4
month-short-5 = 5
month-short-6 = 6
month-short-7 = 7
month-short-8 = 8
month-short-9 = 9
month-short-10 = 10
month-short-11 = 11
month-short-12 = 12
chart-month = { $year }.{ $month-short }
chart-day = { $year }.{ $month-short }.{ $day }

## Counting

count-commitments = 약속 { $count }건
count-sources = 출처 { $count }건
count-days = { $count }일

## Statuses, their public definitions and the overall rule

status-not_yet_rated = 평가 전
status-in_progress = 진행 중
status-stalled = 정체
status-partly_fulfilled = 부분 이행
status-fulfilled = 이행 완료
status-not_fulfilled = 불이행
status-definition-not_yet_rated = 아직 평가한 근거 자료가 없습니다. 이 상태는 이행 작업이 시작되었는지 여부를 나타내지 않습니다.
status-definition-in_progress = 약속 이행을 위한 구체적인 조치가 진행 중임을 보여 주는 출처가 있습니다.
status-definition-stalled = 작업이 시작되었으나 중단되었거나, 새 일정 없이 연기되었습니다.
status-definition-partly_fulfilled = 약속의 일부는 이행되었으나 나머지는 이행되지 않았습니다.
status-definition-fulfilled = 약속이 완전히 이행되었음을 보여 주는 출처가 있습니다.
status-definition-not_fulfilled = 이행 없이 기한이 지났거나, 약속이 폐기되었다고 전하는 출처가 있습니다.
overall-status-rule = 종합 상태는 이행 의무가 있는 모든 당사국이 약속을 이행한 경우에만 ‘이행 완료’가 됩니다. 그 밖의 경우에는 진척이 가장 더딘 당사국의 상태를 따르며, 진척도가 낮은 순서부터 불이행, 평가 전, 정체, 진행 중, 부분 이행, 이행 완료입니다.

## Vocabularies

theme-diplomacy = 외교·신뢰
theme-economy = 통상·경제
theme-security = 공공 안전
theme-people_to_people = 인적 교류
theme-multilateral = 지역·다자 협력
source-kind-official_readout = 공식 발표문
source-kind-media_report = 언론 보도
source-kind-analysis = 분석
sort-summit = 정상회담 순서
sort-last_change = 최근 상태 변경
sort-due = 이행 기한
sort-title = 제목
party-cn = 중국
party-kr = 한국
party-leader-cn = 시진핑
party-leader-kr = 이재명

## Lists of names

list-and = { $first }·{ $last }
list-separator = {"·"}

## Texts in other languages

text-translated-by = 번역: { $name }
text-untranslated = 아직 번역되지 않아 { $language } 원문으로 표시합니다.
language-in-en = 영어
language-in-ko = 한국어
language-in-zh = 중국어

## Commitment cards and due dates

overdue = 기한 경과
overdue-due-on = (이행 기한: { $date })
due-label = 이행 기한
due-inferred-mark = (추정)
due-today = 오늘이 기한(전체 기간의 { $percent }% 경과)
due-days-left = { $days }일 남음(전체 기간의 { $percent }% 경과)
due-days-past = 기한 { $days }일 초과
due-elapsed-label = 경과 현황: { $label }
overall-colon = 종합:
owed-by-names = 이행 주체: { $names }
last-status-change = 최근 상태 변경:

## The list's filters

filters-label = 약속 필터 및 검색
filters-search = 제목·요약·출처 인용문 검색
filters-status = 상태
filters-any-status = 전체 상태
filters-status-hint = 종합 상태 또는 선택한 당사국의 개별 상태입니다.
filters-owed-by = 이행 주체
filters-any-party = 전체 당사국
filters-theme = 분야
filters-any-theme = 전체 분야
filters-summit = 정상회담
filters-every-summit = 전체 정상회담
filters-latest-summits = 최근 정상회담 { $count }건만 표시합니다.
filters-summits-link = 정상회담마다 같은 필터를 갖춘 개별 페이지가 있습니다.
filters-sort = 정렬
filters-only-overdue = 기한 경과 항목만
filters-apply = 적용
filters-clear = 필터 초기화
filters-fold-none = 필터 및 검색
filters-fold-active = 적용된 필터: { $filters }
filters-fold-item = { $label }: { $value }
filters-fold-search = 검색어: “{ $search }”
filters-fold-separator = {" · "}

## Titles

title-short = { $page } | Accord
title-tracker = { $page } | Accord 약속 이행 추적

## The list of commitments

home-heading = 정상회담 약속 이행 추적
home-lead = 두 정부가 정상회담에서 서로에게 한 모든 약속을 당사국별 상태, 날짜별 변경 이력, 모든 판단의 근거가 된 출처와 함께 보여 드립니다.
home-latest-summit = 최근 정상회담:
home-all-summits = 전체 정상회담
summit-of = 정상회담 개최일:
summit-about = 회담 개요
listing-meta-description = { $view }: { $count }건. 각 약속의 당사국별 상태, 날짜별 이력, 근거 출처를 제공합니다.
listing-meta-description-many = { $view }: { $count }건 초과. 각 약속의 당사국별 상태, 날짜별 이력, 근거 출처를 제공합니다.
listing-meta-count = { $status } { $count }건
listing-meta-now = { $description } 현재: { $counts }.
view-commitments = 약속
view-overdue-commitments = 기한 경과 약속
view-with-facets = { $base }({ $facets })
view-facet-separator = {", "}
view-facet-status = 상태: { $status }
view-facet-party-status = { $party } 상태: { $status }
view-facet-party = 이행 주체: { $party }
view-facet-theme = 분야: { $theme }
view-facet-summit = 정상회담: { $summit }
view-facet-search = 검색어: “{ $search }”
scoreboard-heading = 현황판
scoreboard-total-all = 전체 약속 { $count }건의 종합 상태별 현황:
scoreboard-total-matching = 조건에 맞는 약속 { $count }건의 종합 상태별 현황:
scoreboard-total-many = 조건에 맞는 약속이 { $count }건을 넘습니다. 그 이상은 세지 않으니, 종합 상태별 현황을 보려면 검색어나 조건을 좁혀 주세요.
scoreboard-show = 보기
scoreboard-show-which = ({ $status } { $count }건)
chart-heading = 상태 추이
chart-omitted = 차트는 약속 { $count }건 이하인 목록에만 표시됩니다. 정상회담을 선택하거나 필터 조건을 좁히면 상태 변화를 볼 수 있습니다.
pager-label = 결과 페이지
pager-previous = ← 이전 페이지
pager-next = 다음 페이지 →
pager-first = « 첫 페이지
pager-last = 마지막 페이지 »
pager-summary = 약속 { $count }건, 페이지당 { $per_page }건
pager-summary-many = 약속 { $count }건 초과, 페이지당 { $per_page }건
pager-position = 전체 { $pages }페이지 중 { $page }페이지
empty-heading = 이 필터 조건에 맞는 약속이 없습니다.
empty-try = 검색어를 줄이거나 다른 상태나 당사국을 선택하거나,
empty-clear = 필터를 초기화해 보세요.
reuse-heading = 이 목록의 데이터 활용
reuse-csv = CSV로 내려받기
dataset-name = Accord: 정상회담 합의 사항과 이행 상태
dataset-description = Accord가 추적하는 모든 합의 사항과 이를 이행해야 할 당사국, 당사국별 현재 상태, 기한, 출처 수를 CSV와 JSON으로 제공합니다.
reuse-csv-same-filters = (같은 필터 적용)
reuse-openapi = API 명세(OpenAPI)
reuse-feed = 모든 상태 변경의 Atom 피드
feed-every-change-title = Accord: 모든 상태 변경

## The status chart

chart-empty = 이 약속들에 대해 아직 기록된 상태가 없습니다.
chart-bar-title = { $date }: { $status } { $count }건
chart-summary = 누적 막대그래프: { $first }부터 { $latest }까지 매월 말 기준 이 약속들의 종합 상태입니다. 아래 표에서 수치를 확인할 수 있습니다.
chart-title = 시기별 상태 변화
chart-table-summary = 표로 보기
chart-table-caption = 월말 기준 종합 상태별 약속 수
chart-table-date = 날짜
chart-table-total = 합계

## Editors' forms

form-status-not-saved = 상태 변경이 저장되지 않았습니다. 아래 표시된 항목을 수정해 주세요.
form-nothing-saved = 아무것도 저장되지 않았습니다. 아래 표시된 항목을 수정해 주세요.
form-update-status = 상태 업데이트
form-whose-status = 상태가 바뀐 당사국
form-party-now = { $party }(현재 { $status })
form-both-parties = 양측 모두
form-new-status = 새 상태
form-choose = 선택…
form-effective-on = 적용일
form-note = 메모: 무슨 일이 있었는지 한두 문장으로
form-evidence = 근거: 이 약속의 출처
form-or-new-source = …또는 새 출처 추가
form-abandoned = 약속이 폐기되었다고 전하는 출처가 있음(기한 전에 ‘불이행’으로 표시하려면 필요)
form-save-status = 상태 변경 저장
form-add-source = 새 출처 추가
form-add-source-button = 출처 추가
form-correct-source = 이 출처 정정 또는 제외
form-save-correction = 정정 저장
form-remove-source = 이 약속에서 제외
source-publisher = 발행처
source-title = 제목
source-published-on = 발행일
source-url = 웹 주소(선택)
source-quote = 정확한 인용문
source-language = 출처의 언어
source-kind = 출처 유형

## Readers' suggestions

suggest-not-sent = 제안이 전송되지 않았습니다. 아래 표시된 항목을 수정해 주세요.
suggest-heading = 업데이트 제안
suggest-hint = 이 약속에 관한 새 소식을 알고 계신가요? 출처를 보내 주세요. 편집자가 확인한 뒤에만 내용이 바뀝니다. 제안은 상태 변경으로만 게시되며, ‘독자 제안’으로 표시됩니다.
suggest-thanks = 감사합니다. 보내 주신 제안은 편집자 검토를 기다리고 있습니다.
suggest-whose-status = 대상 당사국
suggest-status = 제안하는 상태
suggest-effective-on = 발생일
suggest-note = 무슨 일이 있었나요
suggest-source = 출처
suggest-contact = 이메일(선택, 편집자만 볼 수 있음)
suggest-trap = 이 칸은 비워 두세요
suggest-send = 제안 보내기

## Copy buttons

copy-link = 링크 복사
copy-link-done = 링크를 클립보드에 복사했습니다.
copy-embed = 삽입 코드 복사
copy-embed-done = 클립보드에 복사했습니다.
copy-failed = 복사하지 못했습니다. 텍스트를 선택해 직접 복사해 주세요.

## A commitment's page

loading = 불러오는 중…
timeline-cut = 상태 변경 { $total }건 중 최근 { $shown }건을 표시하고 있습니다. 누가 언제 바꿨는지를 포함한 모든 변경 내역은
timeline-cut-link = 전체 수정 이력에서 볼 수 있습니다.
party-status-pair = { $party }: { $status }
party-colon = { $party }:
commitment-meta-description = 종합: { $overall }. { $statuses }. { $summary }
proposed-jointly = 양측 공동
badge-alt = “{ $title }”의 Accord 상태: { $statuses }
due-basis-inferred-prefix = 추정:
due-basis-explicit-prefix = 명시:
edit-this-commitment = 이 약속 편집
feed-commitment-title = 상태 변경: { $title }
breadcrumb = 현재 위치
all-commitments = 전체 약속
fact-summit = 정상회담
fact-proposed-by = 제안 주체
fact-owed-by = 이행 주체
fact-due = 이행 기한
no-due-date = 정해진 기한 없음
status-heading = 상태
overall = 종합
since = 적용일:
timeline-heading = 타임라인
timeline-hint = 모든 상태 변경을 근거 자료와 함께 최신순으로 보여 드립니다. 지난 이력은 고쳐 쓰지 않습니다.
timeline-history-link = 이 약속의 모든 수정 내역 보기
sources-heading = 출처({ $count })
definitions-heading = 상태의 의미
share-heading = 이 약속 공유
share-permanent-link = 고정 링크
share-feed = 상태 변경 구독(Atom 피드)
share-embed-heading = 실시간 상태 삽입
share-embed-code = 기사에 붙여 넣을 HTML
changed-to = 변경 후:
evidence = 근거:
recorded-by = 기록: { $name }
update-link = 이 업데이트 링크
update-link-which = ({ $party }, { $date })
source-via = (재인용:
source-via-end = )

## History

history-title = 수정 이력: { $title } | Accord
history-crumb = 수정 이력
history-heading = 수정 이력
history-hint = 정상회담 데이터를 등록한 이후의 모든 수정 내역을 최신순으로 보여 드립니다. 되돌리기를 하면 새 버전이 만들어지며, 지워지는 것은 없습니다.
history-empty = 아직 이 약속을 수정한 편집자가 없습니다.
history-version = 버전 { $version }
history-revert = { $version }번 버전으로 되돌리기
history-pages = 수정 이력 페이지
history-newest = ← 최신 수정 내역
history-older = 이전 수정 내역 →
history-no-older = 이보다 이전의 수정 내역은 없습니다.
history-bad-cursor-title = 수정 이력 페이지를 찾을 수 없음 | Accord
history-bad-cursor = 이 주소는 수정 이력의 페이지를 가리키지 않습니다. “before”에는 수정 이력의 링크에 있는 것처럼 버전 번호가 와야 합니다.

## Signing in and out

login-title = 편집자 로그인 | Accord
editor-sign-in = 편집자 로그인
login-intro = 로그인은 Accord 편집자 전용입니다. 독자는 계정 없이 모든 내용을 볼 수 있습니다.
login-name = 사용자 이름
login-password = 비밀번호
login-submit = 로그인
signed-in-as = 로그인 계정:
sign-out = 로그아웃
new-commitment = 새 약속
review-suggestions = 제안 검토
editors-only = 편집자 전용입니다.

## Reviewing suggestions

review-heading = 검토할 제안
review-empty = 검토를 기다리는 제안이 없습니다.
review-count = 제안 { $count }건이 검토를 기다리고 있습니다(오래된 순).
review-from = { $date }부터
review-sent = 접수: { $when }
review-contact = 연락처: { $contact }
review-accept = 상태 변경으로 승인
review-reason = 반려 사유
review-reject = 반려

## Not found

not-found-title = 찾을 수 없음
not-found-heading = 페이지를 찾을 수 없습니다
not-found-address = 이 주소에는 페이지가 없습니다.
not-found-what = 요청하신 항목({ $what })을 찾을 수 없습니다.
not-found-hint = 주소가 잘못 입력되었거나, 해당 항목의 주소가 바뀌었을 수 있습니다.
not-found-browse = 전체 약속 목록에서 찾으시는 내용을 확인해 보세요.

## Summits

summits-heading = 정상회담
summits-description = Accord가 추적하는 모든 정상회담을 최신순으로, 상태별 약속 수와 함께 보여 드립니다.
summits-lead = 정상회담별 약속과 각 약속의 종합 상태입니다.
summits-empty = 아직 기록된 정상회담이 없습니다.
summits-count = 약속 { $count }건:
missing-commitment = 약속 “{ $slug }”
missing-summit = 정상회담 “{ $slug }”

## The commitment form

form-sign-in-first = 약속을 추가하거나 편집하려면 편집자로 로그인하세요.
form-edit-heading = 편집: { $title }
form-address-stays = 제목을 바꿔도 웹 주소는 그대로 유지되므로 공유된 링크가 계속 작동합니다.
form-title = 제목: 약속 내용을 평이한 한 문장으로
form-summary = 요약: 누가 무엇을 약속했는지, 출처의 표현대로
form-due-on = 이행 기한(선택)
form-due-basis = 이행 기한의 근거
form-due-note = 이행 기한의 출처(또는 추정한 이유)
form-save-commitment = 약속 저장
due-basis-explicit = 출처에 명시됨
due-basis-inferred = 추정

## Feeds

feed-site-title = Accord: 상태 변경
feed-site-subtitle = Accord가 추적하는 정상회담에서 나온 약속의 모든 상태 변경을 최신순으로 제공합니다.
feed-commitment-feed-title = { $title } | Accord
feed-commitment-subtitle = { $summit }에서 나온 약속 한 건의 상태 변경을 최신순으로 제공합니다.
feed-headline-change = { $party }: { $before } → { $after }
feed-entry-effective = { $headline }, { $date }부터 적용.
feed-no-note = 기록된 메모가 없습니다.
feed-editors = Accord 편집진

## Refused writes

refusal-party-not-owing = 해당 당사국은 이 약속의 이행 주체가 아닙니다.
refusal-cited-source-not-on-commitment = 이 약속의 출처 중에서 선택하거나 새 출처를 추가하세요.
refusal-source-not-on-commitment = 해당 출처는 이 약속에 속하지 않습니다.
refusal-source-is-evidence = 이 출처는 상태 변경의 근거이므로 목록에서 뺄 수 없습니다.
refusal-no-such-version = 이 약속에는 되돌릴 수 있는 { $version }번 버전이 없습니다.
refusal-title-makes-no-slug = 제목에 로마자나 숫자가 하나 이상 있어야 합니다.
refusal-unknown-summit = 목록에 있는 정상회담 중 하나를 선택하세요.
refusal-unknown-party = 목록에 있는 당사국 중에서 선택하세요.
refusal-party-has-history = 상태 이력이 있는 당사국은 이 약속에서 제외할 수 없습니다.
refusal-suggestion-already-decided = 다른 편집자가 이미 처리한 제안입니다.

## Errors

error-unauthorized = 편집자로 로그인해야 이용할 수 있습니다.
error-internal = 서버에 문제가 발생했습니다. 다시 시도해 주세요. 문제가 계속되면 편집진에 알려 주세요.
error-transport = 요청을 완료하지 못했습니다: { $detail }
error-conflict = 양식을 연 뒤 { $name } 님이 { $when }에 이 약속을 수정했습니다: { $change } 입력하신 내용은 아래에 그대로 남아 있습니다. 바뀐 내용과 비교해 확인한 뒤 다시 제출해 주세요.
error-busy-signing-in = 서버가 다른 로그인 요청을 처리하고 있습니다. 몇 초 후 다시 시도해 주세요.
error-too-many-sign-ins = 로그인 실패 횟수가 너무 많습니다. { $minutes }분 후에 다시 시도해 주세요.
error-too-many-suggestions = 감사합니다. 최근 1시간 동안 여러 건의 제안을 보내 주셨습니다. 나중에 다시 시도해 주세요.
refusal-translation-into-original = 이 언어는 이 약속의 원문 언어입니다. 약속 자체를 수정하세요.
form-out-of-date = 이 양식은 최신 상태가 아닙니다. 페이지를 새로 고친 뒤 다시 시도해 주세요.

## Translations of a commitment

translations-heading = 번역
translations-hint = 다른 언어로 된 제목과 요약입니다. 저장할 때마다 수정 이력에 새 버전으로 남고, 번역자로 이름이 기록됩니다.
translation-heading = { $language } 번역
translation-title = { $language } 제목
translation-summary = { $language } 요약
translation-none-yet = 아직 번역되지 않았습니다.
translation-current-by = 현재 번역: { $name }
translation-save = 번역 저장
translation-not-saved = 번역이 저장되지 않았습니다. 아래 표시된 항목을 수정해 주세요.

## Share cards

card-brand = Accord 약속 이행 추적
card-separator = {": "}

## Checks of what a form sends

problem-required = 필수 입력 항목입니다.
problem-too-long = { $max }자 이내로 입력해 주세요(현재 { $length }자).
problem-invisible-characters = 보이지 않는 제어 문자나 서식 문자를 지워 주세요.
problem-enter-date = 날짜를 입력해 주세요.
problem-real-date = 실제 날짜를 YYYY-MM-DD 형식으로 입력해 주세요(예: 2026-03-01).
problem-url-too-long = 웹 주소는 { $max }자를 넘을 수 없습니다.
problem-url-scheme = http:// 또는 https://로 시작하는 웹 주소만 받습니다.
problem-url-incomplete = 완전한 웹 주소가 아닙니다(https://로 시작해야 합니다).
problem-source-in-future = 출처의 발행일은 미래일 수 없습니다.
problem-choose-source-kind = 출처의 종류를 선택해 주세요.
problem-choose-source-language = 출처가 발행된 언어를 선택해 주세요.
problem-choose-party = 상태가 바뀐 당사국을 선택해 주세요.
problem-choose-status = 목록에서 상태를 선택해 주세요.
problem-change-in-future = 변경 효력 발생일은 미래일 수 없습니다.
problem-change-before-summit = 변경 효력 발생일은 정상회담 이전일 수 없습니다.
problem-source-choice-invalid = 선택한 출처 가운데 유효하지 않은 것이 있습니다. 다시 선택해 주세요.
problem-needs-evidence = 상태를 바꾸려면 근거가 필요합니다. 출처를 선택하거나 새 출처를 추가해 주세요.
problem-not-fulfilled-too-early = ‘불이행’은 이행 기한이 지났거나, 약속이 파기되었다고 보도한 출처가 있을 때(확인란 선택)만 쓸 수 있습니다.
problem-title-needs-latin = 웹 주소를 만들 수 있도록 제목에 로마자나 숫자가 들어 있어야 합니다.
problem-choose-theme = 분야를 선택해 주세요.
problem-choose-proposer = 제안한 쪽을 선택해 주세요.
problem-choose-owing-party = 이 약속을 이행해야 하는 당사국을 하나 이상 선택해 주세요.
problem-choose-due-basis = 기한이 출처에 명시된 것인지, 추정한 것인지 선택해 주세요.
problem-due-note-needed = 기한의 근거를 적어 주세요(예: “공동성명에 명시”).
problem-choose-summit = 정상회담을 선택해 주세요.
problem-suggestion-needs-source = 제안에는 출처가 필요합니다. 근거를 발행한 곳은 어디입니까?
problem-suggestion-needs-quote = 제안을 뒷받침하는 대목을 인용해 주세요.
problem-choose-translation-language = 번역 언어를 선택해 주세요.
problem-search-too-long = 검색어는 { $max }자 이내로 입력해 주세요.
problem-search-control-characters = 검색어에 제어 문자를 넣을 수 없습니다.
problem-unknown-status = “{ $value }”: 알 수 없는 상태입니다.
problem-unknown-party = “{ $value }”: 알 수 없는 당사국 코드입니다(예: cn, kr).
problem-unknown-theme = “{ $value }”: 알 수 없는 분야입니다.
problem-unknown-summit = “{ $value }”: 알 수 없는 정상회담입니다.
problem-unknown-sort = “{ $value }”: 알 수 없는 정렬 방식입니다.
problem-overdue-flag = 기한 경과 항목만 보려면 overdue=1을 쓰세요.
problem-page-number = 페이지는 1 이상의 정수입니다.
problem-list-cursor = 이 링크는 목록의 위치를 가리키지 않습니다. 첫 페이지부터 다시 보세요.
login-enter-both = 사용자 이름과 비밀번호를 입력해 주세요.
login-no-match = 사용자 이름과 비밀번호가 사용 중인 계정과 일치하지 않습니다.
review-choose-decision = 제안을 받아들일지 거절할지 선택해 주세요.

## History lines

history-change = { $field }: “{ $before }” → “{ $after }”
history-none = 없음
history-field-title = 제목
history-field-summary = 요약
history-field-due-note = 기한 근거
history-field-translated-title = 제목({ $language })
history-field-translated-summary = 요약({ $language })
history-field-theme = 분야
history-field-due-basis = 기한 근거 유형
history-sources-added = 출처 { $count }건 추가
history-sources-removed = 출처 { $count }건 제외
history-status = { $party } 상태: { $before } → { $after }

## Evidence: versioned sources and their corrections
refusal-evidence-predates-commitment = 약속을 한 것 자체는 이행의 진전이 아닙니다. ‘평가 전’ 이외의 상태에는 정상회담 이후 날짜의 출처, 곧 그 뒤에 취해진 조치를 보도한 출처가 필요합니다.
title-basis-headline = 매체가 붙인 원래 제목
title-basis-description = Accord가 작성한 설명
date-basis-published = 출처에 적힌 날짜
date-basis-reported = 출처에 날짜가 없음: 보도된 날짜
source-title-basis = 제목의 성격
source-date-basis = 날짜의 성격
source-via-label = 게재 문서(출처를 실은 문서, 출처에 날짜가 없으면 필수)
source-correction-note = 무엇이 잘못되었는지(독자에게 정정 내용과 함께 표시됩니다)
problem-correction-needs-note = 무엇이 잘못되었는지 적어 주세요. 독자에게 정정 내용과 함께 표시됩니다.
problem-reported-needs-via = 출처 자체에 날짜가 없습니다. 어디에 보도되었는지 적어 주세요.
problem-choose-date-basis = 날짜가 무엇을 뜻하는지 선택해 주세요.
problem-choose-title-basis = 제목이 매체의 원래 제목인지 설명인지 선택해 주세요.
refusal-source-unchanged = 이 정정으로 바뀌는 내용이 없어 저장하지 않았습니다.
source-value-none = (없음)
source-field-publisher = 발행처
source-field-via = 게재 문서
source-field-title = 제목
source-field-title-basis = 제목의 성격
source-field-date = 날짜
source-field-date-basis = 날짜의 성격
source-field-url = 웹 주소
source-field-quote = 인용문
source-field-kind = 출처 유형
source-field-language = 언어
source-corrected-on = { $date }에 정정됨(현재 버전 { $version })
source-correction-line = 버전 { $version }({ $date }, { $editor } 정정):
cited-source-corrected = 이 출처는 이 상태 변경에 인용된 뒤 { $date }에 정정되었습니다
cited-version = (버전 { $version })
source-description-label = Accord의 설명:
source-date-not-given = 날짜 미기재,
source-reported-on = 보도일
## Methodology page

methodology-title = 평가 방법
methodology-heading = Accord의 약속 평가 방법
methodology-description = Accord가 정상회담 약속을 평가하는 방법. 각 상태의 의미, 종합 상태를 정하는 규칙, 인정하는 출처, 번역 표시 방식, 편집을 맡는 사람, 정정을 제안하는 방법을 설명합니다.
methodology-lead = Accord는 정상회담에서 각국 정부가 한 약속과 그 뒤에 일어난 일을 기록합니다. 이 페이지는 편집진이 따르는 규칙을 밝혀, 독자가 모든 상태를 이 규칙에 비추어 확인할 수 있게 합니다.
methodology-contents = 이 페이지의 내용
methodology-statuses-link = 상태를 매기는 기준: 평가 방법 보기
methodology-statuses-heading = 상태와 그 의미
methodology-statuses-intro = 약속을 이행할 의무가 있는 당사국마다 상태가 따로 매겨집니다. 상태는 약속 페이지에 실린 출처에 근거한 편집진의 판단입니다. 상태가 바뀔 때마다 효력이 생긴 날짜, 이를 기록한 편집자, 근거로 삼은 출처가 함께 기록됩니다.
methodology-overall-heading = 종합 상태
methodology-overall-intro = 두 당사국이 함께 이행해야 하는 약속에는 종합 상태가 하나 더 있으며, 목록과 현황판, 차트에 표시됩니다. 종합 상태는 편집자가 직접 정하지 않으며, 당사국별 상태에서 다음 규칙에 따라 정해집니다.
methodology-overall-example = 예를 들어 { $first-party }의 상태가 ‘{ $first-status }’이고 { $second-party }의 상태가 ‘{ $second-status }’이면, 종합 상태는 ‘{ $overall }’입니다.
methodology-overall-why = 이 순서는 일부러 신중하게 정한 것입니다. 아무도 진척을 평가하지 않은 당사국은 이행 작업의 근거가 있는 당사국보다 아래에, 지켜지지 않은 약속은 맨 아래에 둡니다. 따라서 종합 상태가 가장 뒤처진 당사국의 상태보다 좋아 보이는 일은 없습니다.
methodology-sourcing-heading = 출처 기준
methodology-sourcing-intro = 모든 상태는 약속 페이지에 인용된 출처에 근거합니다. 편집진은 모든 출처와 모든 상태 변경에 다음 기준을 적용합니다.
methodology-rule-progress-title = 약속은 진척이 아닙니다
methodology-rule-progress = ‘{ $not-yet-rated }’ 외의 상태를 매기려면 약속이 나온 뒤에 취해진 조치를 전하는 출처가 있어야 합니다. 정상회담에서 약속했다는 기록은 약속이 있었다는 사실을 보여 줄 뿐, 무언가가 이행되었다는 근거는 아닙니다.
methodology-rule-proposer-title = 누가 제안했는가
methodology-rule-proposer = ‘{ $proposed-by }’에는 출처상 그 약속을 언급하거나 제안한 것으로 나오는 쪽을 적습니다. ‘{ $jointly }’ 표시는 양측 모두 그렇게 했다고 출처가 전할 때만 씁니다.
methodology-rule-attribution-title = 출처가 밝힌 만큼만 귀속합니다
methodology-rule-attribution = 언론사에는 기사가 그 언론사의 것이라고 밝힌 내용만 귀속합니다. 보도자료나 기사가 스스로 서술한 대목은 그 보도자료나 기사 자체의 것으로 보아, ‘{ $official-readout }’ 대신 ‘{ $media-report }’로 분류합니다.
methodology-rule-dates-title = 출처가 밝힌 날짜
methodology-rule-dates = 출처의 날짜는 출처 스스로 밝힌 날짜를 씁니다. 날짜가 없으면 ‘날짜 미기재’로 표시하고, 다른 문서의 날짜를 빌려 오는 대신 언제 어디에서 보도되었는지를 밝힙니다.
methodology-rule-titles-title = Accord의 설명은 기사 제목이 아닙니다
methodology-rule-titles = Accord가 출처를 설명하려고 붙인 제목은 설명으로 표시하며, 해당 매체가 붙인 원래 제목인 것처럼 보여 주지 않습니다.
methodology-rule-due-title = 기한
methodology-rule-due = 약속이 폐기되었다고 전하는 출처가 없는 한, 기한이 지나기 전에는 어떤 약속도 ‘{ $not-fulfilled }’으로 표시하지 않습니다. 약속에 기한이 없어 Accord가 기한을 추정한 경우에는 ‘{ $inferred }’이라고 표시하고 그 근거를 밝힙니다.
methodology-rule-corrections-title = 출처는 고쳐 쓰지 않습니다
methodology-rule-corrections = 출처를 정정하더라도 이전 문구는 새 문구와 함께 보존합니다. 모든 상태 변경에는 근거로 삼은 각 출처의 버전이 표시되며, 그 출처가 나중에 정정되면 해당 상태 변경에 그 사실이 표시됩니다.
methodology-rule-time-zone-title = 날짜는 정상회담 현지 시간대 기준
methodology-rule-time-zone = ‘오늘’, 기한까지 남은 날수, ‘{ $overdue }’ 표시는 정상회담이 열린 곳의 시간대를 기준으로 계산합니다. 2025년 11월 1일 이재명 대통령과 시진핑 국가주석의 정상회담은 한국 표준시(Asia/Seoul, UTC+9)가 기준입니다. 기한이 지났는데 종합 상태가 ‘{ $fulfilled }’가 아닌 약속에는 ‘{ $overdue }’ 표시가 붙습니다.
methodology-translations-heading = 번역 표시 방식
methodology-translations-languages = Accord는 영어, 한국어, 중국어 간체로 제공되며, 화면 문구는 각 언어로 번역되어 있습니다. 약속과 정상회담의 제목과 요약은 하나의 원어로 작성되고, 그 원문을 바탕으로 번역됩니다.
methodology-translations-credit = 번역된 제목이나 요약 아래에는 ‘{ $example }’처럼 번역한 사람이 표시됩니다. 정상회담 데이터와 함께 제공된 번역은 Accord의 번역으로, 편집자가 저장한 번역은 그 편집자의 번역으로 표시되며, 편집자의 번역은 약속의 수정 이력에 하나의 버전으로 기록됩니다.
methodology-translations-untranslated = 페이지 언어로 된 번역이 없으면 원문을 그대로 보여 주며, ‘{ $example }’와 같은 안내를 붙입니다.
methodology-translations-quotes = 출처의 인용문은 번역하지 않습니다. 근거는 출처가 직접 한 말이므로, 인용문과 출처의 제목은 출처가 발행된 언어 그대로 보여 줍니다.
methodology-translations-notes = 상태 변경에 붙은 편집자의 메모와 수정 이력의 각 버전에 기록된 짧은 요약은 작성된 그대로 보여 줍니다. 현재는 영어로 되어 있으며, 영어임을 표시합니다.
methodology-translations-lang = 페이지 언어와 다른 언어로 된 부분은 HTML의 lang 속성으로 그 언어를 표시합니다. 화면 낭독기가 올바르게 읽고 브라우저가 알맞은 글꼴을 고를 수 있게 하기 위해서입니다.
methodology-editors-heading = 편집자는 누구이며 어떻게 선정되는가
methodology-editors-accounts = Accord에는 공개 회원 가입이 없습니다. 사이트 운영자가 신뢰하는 사람을 위해 서버의 명령줄에서 편집자 계정을 만들며, 계정을 비활성화하거나 비밀번호를 바꿀 수도 있습니다. 이 밖의 선정 절차는 없습니다. 독자는 계정 없이도 모든 내용을 읽고 정정을 제안할 수 있습니다.
methodology-editors-work = 편집자는 약속을 추가하고 수정하며, 근거와 함께 상태 변경을 기록하고, 출처를 추가하거나 정정하고, 제목과 요약을 번역합니다.
methodology-editors-signed = 모든 수정에는 편집자의 사용자 이름이 붙고, 번호가 매겨진 새 버전으로 저장됩니다. 약속의 수정 이력 페이지에는 모든 버전이 누가 언제 만들었는지와 함께 최신순으로 나오며, 타임라인의 각 상태 변경에도 이를 기록한 편집자의 이름이 표시됩니다.
methodology-editors-revert = 모든 수정은 이전 버전으로 되돌릴 수 있습니다. 되돌리기도 새 버전으로 기록되므로 지워지는 것은 없습니다. 이미 기록된 상태 변경은 고치거나 삭제할 수 없으며, 그 뒤에 새 상태 변경을 덧붙일 수만 있습니다.
methodology-editors-conflicts = 두 편집자가 같은 약속을 동시에 수정하면 나중에 저장한 쪽은 거부되고 다른 편집자의 변경 내용을 보게 됩니다. 따라서 어떤 수정도 모르는 사이에 다른 수정을 덮어쓰지 않습니다.
methodology-corrections-heading = 정정을 제안하는 방법
methodology-corrections-suggest = 모든 약속 페이지에는 업데이트를 제안하는 양식이 있습니다. 어느 당사국의 상태인지, 맞다고 생각하는 상태, 일이 일어난 날짜, 그리고 제안을 뒷받침하는 출처와 해당 대목의 정확한 인용문을 보내 주시면 됩니다. 계정은 필요 없으며, 이메일 주소는 선택 사항이고 편집자만 볼 수 있습니다.
methodology-corrections-review = 편집자가 각 제안을 출처와 대조해 확인한 뒤 채택하거나 거절하며, 그 전에는 페이지의 내용이 바뀌지 않습니다. 채택된 제안은 ‘독자 제안’과 이를 채택한 편집자의 이름이 함께 표시된 상태 변경으로 게시됩니다.
methodology-corrections-public = Accord가 한 정정은 모두 공개 목록에 올립니다.
methodology-corrections-link = 정정 내역 보기

## Corrections page
corrections-heading = 정정 내역
corrections-description = Accord에서 이루어진 정정을 최신순으로 보여 줍니다. 출처 정정, 상태 변경 되돌리기, 공개된 데이터의 정정이 포함됩니다.
corrections-lead = 출처 정정, 상태 변경 되돌리기, 공개된 데이터의 정정을 최신순으로 보여 줍니다. 정정된 출처는 이전 문구를 그대로 남기며, 그 출처를 근거로 삼은 모든 상태 변경에 표시가 붙습니다. 되돌리기도 약속의 수정 이력에 새 버전으로 기록됩니다.
corrections-how = 정정 방식 안내
corrections-feed-link = 정정 내역 피드(Atom)
corrections-feed-title = Accord: 정정 내역
corrections-feed-subtitle = Accord에서 이루어진 정정을 최신순으로 제공합니다.
corrections-empty = 아직 정정 내역이 없습니다.
correction-kind-source = 출처 정정
correction-kind-revert = 되돌리기
correction-kind-data = 데이터 정정
correction-why = 사유:
correction-history-link = 수정 이력

## Time zones
dates-in-zone = 날짜는 정상회담 현지 시간대인 { $zone }({ $offset }) 기준으로 계산합니다.
dates-in-zone-why = 이유 보기
dates-in-zone-list = 기한 경과 표시는 각 약속이 나온 정상회담의 현지 시간대를 따르며, 이 목록의 차트와 날짜는 { $zone }({ $offset }) 기준으로 계산합니다.

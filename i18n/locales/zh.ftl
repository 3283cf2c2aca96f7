# Accord 界面的简体中文文本。此处每条消息也必须存在于 en.ftl 和 ko.ftl
# 中（否则 i18n crate 的测试会失败）。

site-name = Accord
site-tagline = 逐项追踪各国政府相互作出的承诺
skip-to-content = 跳至正文
footer-about = Accord 追踪各次峰会上作出的承诺：每一方各有一个状态，每次变更均注明日期和来源。状态是编辑部依据所引来源作出的判断。
language-switcher = 语言
language-name-en = English
language-name-ko = 한국어
language-name-zh = 中文
feed-atom = Atom
csv = CSV
json = JSON

## Dates

date-long = { $year }年{ $month-name }{ $day }日
date-month-year = { $year }年{ $month-name }
date-time-utc = { $date } { $time } UTC
month-1 = 1月
month-2 = 2月
month-3 = 3月
month-4 = 4月
month-5 = 5月
month-6 = 6月
month-7 = 7月
month-8 = 8月
month-9 = 9月
month-10 = 10月
month-11 = 11月
month-12 = 12月

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

count-commitments = { $count }项承诺
count-sources = { $count }个来源
count-days = { $count }天

## Statuses, their public definitions and the overall rule

status-not_yet_rated = 待评估
status-in_progress = 进行中
status-stalled = 停滞
status-partly_fulfilled = 部分履行
status-fulfilled = 已履行
status-not_fulfilled = 未履行
status-definition-not_yet_rated = 尚未评估任何证据。此状态并不说明相关工作是否已经启动。
status-definition-in_progress = 有来源显示，落实该承诺的具体措施正在推进。
status-definition-stalled = 相关工作曾经启动，但已停止，或已推迟且未定新日期。
status-definition-partly_fulfilled = 承诺已部分履行，其余部分尚未履行。
status-definition-fulfilled = 有来源显示，该承诺已全部履行。
status-definition-not_fulfilled = 期限已过而承诺未获履行，或有来源报道该承诺已被放弃。
overall-status-rule = 只有当负有履行义务的各方均已履行承诺时，总体状态才为“已履行”；否则取进展最慢一方的状态，进展由低到高依次为：未履行、待评估、停滞、进行中、部分履行、已履行。

## Vocabularies

theme-diplomacy = 外交与互信
theme-economy = 经贸
theme-security = 公共安全
theme-people_to_people = 人文交流
theme-multilateral = 地区与多边合作
source-kind-official_readout = 官方通稿
source-kind-media_report = 媒体报道
source-kind-analysis = 分析
sort-summit = 峰会顺序
sort-last_change = 最近状态变更
sort-due = 期限
sort-title = 标题
party-cn = 中国
party-kr = 韩国
party-leader-cn = 习近平
party-leader-kr = 李在明

## Lists of names

list-and = { $first }和{ $last }
list-separator = {"、"}

## Texts in other languages

text-translated-by = 翻译：{ $name }
text-untranslated = 尚未翻译，以{ $language }原文显示。
language-in-en = 英文
language-in-ko = 韩文
language-in-zh = 中文

## Commitment cards and due dates

overdue = 已逾期
overdue-due-on = （期限：{ $date }）
due-label = 期限
due-inferred-mark = （推断）
due-today = 今日到期（时间已过{ $percent }%）
due-days-left = 剩余{ $days }天（时间已过{ $percent }%）
due-days-past = 已逾期{ $days }天
due-elapsed-label = 时间进度：{ $label }
overall-colon = 总体：
owed-by-names = 履行方：{ $names }
last-status-change = 最近状态变更：

## The list's filters

filters-label = 筛选和搜索承诺
filters-search = 搜索标题、摘要和来源引文
filters-status = 状态
filters-any-status = 全部状态
filters-status-hint = 总体状态，或所选一方自身的状态。
filters-owed-by = 履行方
filters-any-party = 全部履行方
filters-theme = 领域
filters-any-theme = 全部领域
filters-summit = 峰会
filters-every-summit = 全部峰会
filters-latest-summits = 仅列出最近{ $count }次峰会。
filters-summits-link = 每次峰会都有带相同筛选功能的单独页面。
filters-sort = 排序方式
filters-only-overdue = 仅显示已逾期承诺
filters-apply = 应用
filters-clear = 清除筛选
filters-fold-none = 筛选和搜索
filters-fold-active = 已选筛选：{ $filters }
filters-fold-item = { $label }：{ $value }
filters-fold-search = 搜索：“{ $search }”
filters-fold-separator = {" · "}

## Titles

title-short = { $page }｜Accord
title-tracker = { $page }｜Accord 承诺追踪

## The list of commitments

home-heading = 峰会承诺追踪
home-lead = 两国政府在峰会上相互作出的每一项承诺，连同各方的状态、按日期记录的变更历史，以及每项判断所依据的来源。
home-latest-summit = 最近一次峰会：
home-all-summits = 全部峰会
summit-of = 峰会日期：
summit-about = 会晤概况
listing-meta-description = { $view }：共{ $count }项，每项均附各方状态、按日期记录的历史及其依据来源。
listing-meta-description-many = { $view }：超过{ $count }项，每项均附各方状态、按日期记录的历史及其依据来源。
listing-meta-count = { $status }{ $count }项
listing-meta-now = { $description }目前：{ $counts }。
view-commitments = 承诺
view-overdue-commitments = 已逾期承诺
view-with-facets = { $base }（{ $facets }）
view-facet-separator = {"；"}
view-facet-status = 状态：{ $status }
view-facet-party-status = { $party }的状态：{ $status }
view-facet-party = 履行方：{ $party }
view-facet-theme = 领域：{ $theme }
view-facet-summit = 峰会：{ $summit }
view-facet-search = 包含“{ $search }”
scoreboard-heading = 总览
scoreboard-total-all = 共{ $count }项承诺，按总体状态统计：
scoreboard-total-matching = 符合条件的承诺共{ $count }项，按总体状态统计：
scoreboard-total-many = 符合条件的承诺超过{ $count }项，超出部分不再计数。请缩小搜索词或筛选条件，以查看按总体状态的统计。
scoreboard-show = 查看
scoreboard-show-which = （{ $status }的{ $count }项）
chart-heading = 状态变化趋势
chart-omitted = 仅在承诺不超过{ $count }项时绘制图表。请选择一次峰会或缩小筛选范围，以查看其状态变化。
pager-label = 结果分页
pager-previous = ← 上一页
pager-next = 下一页 →
pager-first = « 第一页
pager-last = 最后一页 »
pager-summary = 共{ $count }项承诺，每页{ $per_page }项
pager-summary-many = 超过{ $count }项承诺，每页{ $per_page }项
pager-position = 第{ $page }页，共{ $pages }页
empty-heading = 没有符合筛选条件的承诺。
empty-try = 请减少关键词，或换个状态、换个履行方，或者
empty-clear = 清除筛选条件。
reuse-heading = 获取本列表数据
reuse-csv = 下载 CSV 文件
dataset-name = Accord：峰会承诺及其落实状态
dataset-description = Accord 跟踪的全部承诺，包括承担承诺的各方、各方当前状态、期限和来源数量，提供 CSV 和 JSON 两种格式。
reuse-csv-same-filters = （筛选条件相同）
reuse-openapi = API 说明（OpenAPI）
reuse-feed = 所有状态变更的 Atom 订阅源
feed-every-change-title = Accord：所有状态变更

## The status chart

chart-empty = 这些承诺尚无任何状态记录。
chart-bar-title = { $date }：{ $status }{ $count }项
chart-summary = 堆积柱状图：从{ $first }到{ $latest }，这些承诺在每月月底的总体状态。具体数字见下表。
chart-title = 状态随时间的变化
chart-table-summary = 以表格查看数据
chart-table-caption = 每月月底各总体状态的承诺数量
chart-table-date = 日期
chart-table-total = 合计

## Editors' forms

form-status-not-saved = 状态变更未保存。请更正下方标出的字段。
form-nothing-saved = 未保存任何内容。请更正下方标出的字段。
form-update-status = 更新状态
form-whose-status = 状态发生变化的一方
form-party-now = { $party }（当前：{ $status }）
form-both-parties = 双方
form-new-status = 新状态
form-choose = 请选择……
form-effective-on = 生效日期
form-note = 说明：用一两句话概述发生了什么
form-evidence = 证据：本承诺的来源
form-or-new-source = ……或添加新来源
form-abandoned = 有来源称该承诺已被放弃（在期限前标记为“未履行”时必须勾选）
form-save-status = 保存状态变更
form-add-source = 添加新来源
form-add-source-button = 添加来源
form-correct-source = 更正或移除此来源
form-save-correction = 保存更正
form-remove-source = 从本承诺中移除
source-publisher = 发布机构
source-title = 标题
source-published-on = 发布日期
source-url = 网址（选填）
source-quote = 原文引述
source-language = 来源语言
source-kind = 来源类型

## Readers' suggestions

suggest-not-sent = 您的建议未能提交。请更正下方标出的字段。
suggest-heading = 提交更新建议
suggest-hint = 您是否了解这项承诺的最新进展？请提交来源；编辑核实后才会作出任何更改。建议仅以状态变更的形式发布，署名为“一位读者”。
suggest-thanks = 谢谢。您的建议正在等待编辑审核。
suggest-whose-status = 涉及哪一方
suggest-status = 建议的状态
suggest-effective-on = 发生日期
suggest-note = 发生了什么
suggest-source = 您的来源
suggest-contact = 您的电子邮箱（选填，仅编辑可见）
suggest-trap = 此项请留空
suggest-send = 提交建议

## Copy buttons

copy-link = 复制链接
copy-link-done = 链接已复制到剪贴板。
copy-embed = 复制嵌入代码
copy-embed-done = 已复制到剪贴板。
copy-failed = 无法复制，请选中文本后自行复制。

## A commitment's page

loading = 正在加载……
timeline-cut = 显示{ $total }次状态变更中最近的{ $shown }次。所有变更及其修改人和时间，请见
timeline-cut-link = 完整修改历史。
party-status-pair = { $party }：{ $status }
party-colon = { $party }：
commitment-meta-description = 总体：{ $overall }。{ $statuses }。{ $summary }
proposed-jointly = 双方共同
badge-alt = “{ $title }”的 Accord 状态：{ $statuses }
due-basis-inferred-prefix = 推断：
due-basis-explicit-prefix = 来源载明：
edit-this-commitment = 编辑此承诺
feed-commitment-title = 状态变更：{ $title }
breadcrumb = 当前位置
all-commitments = 全部承诺
fact-summit = 峰会
fact-proposed-by = 提出方
fact-owed-by = 履行方
fact-due = 期限
no-due-date = 未设定期限
status-heading = 状态
overall = 总体
since = 始于
timeline-heading = 时间线
timeline-hint = 所有状态变更按时间倒序排列，并附所依据的证据。历史记录从不改写；
timeline-history-link = 查看本承诺的全部修改历史。
sources-heading = 来源（{ $count }）
definitions-heading = 各状态的含义
share-heading = 分享此承诺
share-permanent-link = 永久链接
share-feed = 关注其状态变更（Atom 订阅源）
share-embed-heading = 嵌入实时状态
share-embed-code = 可粘贴到文章中的 HTML 代码
changed-to = 变更为
evidence = 证据：
recorded-by = 记录：{ $name }
update-link = 此次更新的链接
update-link-which = （{ $party }，{ $date }）
source-via = （转引自
source-via-end = ）

## History

history-title = 修改历史：{ $title }｜Accord
history-crumb = 修改历史
history-heading = 修改历史
history-hint = 自峰会数据载入以来的每一次编辑，按时间倒序排列。回退会生成新版本，不会删除任何内容。
history-empty = 尚无编辑修改过此承诺。
history-version = 第{ $version }版
history-revert = 回退到第{ $version }版
history-pages = 修改历史分页
history-newest = ← 最新修改
history-older = 更早的修改 →
history-no-older = 没有更早的修改。
history-bad-cursor-title = 找不到该修改历史页｜Accord
history-bad-cursor = 此地址并非修改历史中的某一页：“before”必须是版本号，与修改历史中的链接一致。

## Signing in and out

login-title = 编辑登录｜Accord
editor-sign-in = 编辑登录
login-intro = 仅 Accord 编辑需要登录。读者无需账号即可浏览全部内容。
login-name = 用户名
login-password = 密码
login-submit = 登录
signed-in-as = 当前登录用户：
sign-out = 退出登录
new-commitment = 新建承诺
review-suggestions = 审核建议
editors-only = 仅限编辑。

## Reviewing suggestions

review-heading = 待审核的建议
review-empty = 暂无待审核的建议。
review-count = 共有 { $count } 条建议待审核（按提交时间先后排列）。
review-from = 自{ $date }起
review-sent = 提交于{ $when }
review-contact = 联系方式：{ $contact }
review-accept = 采纳为状态变更
review-reason = 拒绝理由
review-reject = 拒绝

## Not found

not-found-title = 未找到
not-found-heading = 找不到该页面
not-found-address = 此地址下没有页面。
not-found-what = 未找到{ $what }。
not-found-hint = 地址可能输入有误，或该内容已改用其他地址。
not-found-browse = 浏览全部承诺，查找您需要的内容。

## Summits

summits-heading = 峰会
summits-description = Accord 追踪的所有峰会，按时间倒序排列，并列出各状态下的承诺数量。
summits-lead = 各次峰会的承诺及每项承诺的总体状态。
summits-empty = 尚无峰会记录。
summits-count = { $count }项承诺：
missing-commitment = 承诺“{ $slug }”
missing-summit = 峰会“{ $slug }”

## The commitment form

form-sign-in-first = 请以编辑身份登录后添加或编辑承诺。
form-edit-heading = 编辑：{ $title }
form-address-stays = 修改标题后网址保持不变，已分享的链接依然有效。
form-title = 标题：用一句平实的话概括这项承诺
form-summary = 摘要：按来源的表述，说明谁承诺了什么
form-due-on = 期限（选填）
form-due-basis = 期限依据
form-due-note = 期限的出处（或推断的理由）
form-save-commitment = 保存承诺
due-basis-explicit = 来源中载明
due-basis-inferred = 推断

## Feeds

feed-site-title = Accord：状态变更
feed-site-subtitle = Accord 所追踪峰会上作出的承诺的每一次状态变更，按时间倒序排列。
feed-commitment-feed-title = Accord：{ $title }
feed-commitment-subtitle = { $summit }上作出的一项承诺的状态变更，按时间倒序排列。
feed-headline-change = { $party }：{ $before } → { $after }
feed-entry-effective = { $headline }，{ $date }起生效。
feed-no-note = 未记录说明。
feed-editors = Accord 编辑部

## Refused writes

refusal-party-not-owing = 该方并非此承诺的履行方。
refusal-cited-source-not-on-commitment = 请从本承诺的来源中选择，或添加新来源。
refusal-source-not-on-commitment = 该来源不属于此承诺。
refusal-source-is-evidence = 此来源是某次状态变更的证据，因此须保留在列表中。
refusal-no-such-version = 此承诺没有可回退的第{ $version }版。
refusal-title-makes-no-slug = 标题中须包含拉丁字母或数字。
refusal-unknown-summit = 请从所列峰会中选择一个。
refusal-unknown-party = 请从所列各方中选择。
refusal-party-has-history = 已有状态记录的一方不能从此承诺中移除。
refusal-suggestion-already-decided = 此建议已由其他编辑处理。

## Errors

error-unauthorized = 请以编辑身份登录后再进行此操作。
error-internal = 服务器端出现问题。请重试；如问题持续出现，请告知编辑部。
error-transport = 请求未能完成：{ $detail }
error-conflict = 您打开表单后，{ $name }于{ $when }修改了此承诺：{ $change } 您填写的内容保留在下方；请对照最新状态核对后重新提交。
error-busy-signing-in = 服务器正忙于处理其他登录请求。请几秒钟后重试。
error-too-many-sign-ins = 登录失败次数过多。请在{ $minutes }分钟后重试。
error-too-many-suggestions = 谢谢！您在过去一小时内已提交多条建议。请稍后再试。
refusal-translation-into-original = 这是该承诺的原文语言，请直接编辑承诺本身。
form-out-of-date = 表单已过期，请刷新页面后重试。

## Translations of a commitment

translations-heading = 译文
translations-hint = 标题和摘要的其他语言版本。每次保存都会作为一个版本记入修改历史，并注明您为译者。
translation-heading = { $language }译文
translation-title = { $language }标题
translation-summary = { $language }摘要
translation-none-yet = 尚无译文。
translation-current-by = 当前译文由{ $name }翻译。
translation-save = 保存译文
translation-not-saved = 译文未保存。请更正下方标出的字段。

## Share cards

card-brand = Accord 承诺追踪
card-separator = {"："}

## Checks of what a form sends

problem-required = 此项为必填项。
problem-too-long = 最多{ $max }个字符（当前为{ $length }个）。
problem-invisible-characters = 请删除文本中不可见的控制字符或格式字符。
problem-enter-date = 请输入日期。
problem-real-date = 请按YYYY-MM-DD格式输入有效日期，例如2026-03-01。
problem-url-too-long = 网址最多{ $max }个字符。
problem-url-scheme = 只接受以http://或https://开头的网址。
problem-url-incomplete = 网址不完整（应以https://开头）。
problem-source-in-future = 来源的发布日期不能晚于今天。
problem-choose-source-kind = 请选择来源类型。
problem-choose-source-language = 请选择来源发布时使用的语言。
problem-choose-party = 请选择状态发生变化的一方。
problem-choose-status = 请从列表中选择状态。
problem-change-in-future = 变更的生效日期不能晚于今天。
problem-change-before-summit = 变更的生效日期不能早于峰会。
problem-source-choice-invalid = 所选来源中有一项无效，请重新选择。
problem-needs-evidence = 状态变更需要依据：请选择一个来源或添加新来源。
problem-not-fulfilled-too-early = 只有在期限已过，或有来源报道该承诺已被放弃（请勾选该项）时，才能标记为“未履行”。
problem-title-needs-latin = 标题中需要包含拉丁字母或数字，以便生成网址。
problem-choose-theme = 请选择领域。
problem-choose-proposer = 请选择提出方。
problem-choose-owing-party = 请至少选择一个负有履行义务的一方。
problem-choose-due-basis = 请选择期限是来源中明确提到的，还是推断的。
problem-due-note-needed = 请说明期限的出处（例如“联合声明中明确提到”）。
problem-choose-summit = 请选择峰会。
problem-suggestion-needs-source = 建议需要附上来源：依据由谁发布？
problem-suggestion-needs-quote = 请引用支持该建议的原文段落。
problem-choose-translation-language = 请选择译文语言。
problem-search-too-long = 搜索内容最多{ $max }个字符。
problem-search-control-characters = 搜索内容不能包含控制字符。
problem-unknown-status = “{ $value }”不是有效的状态。
problem-unknown-party = “{ $value }”不是有效的当事方代码（如cn或kr）。
problem-unknown-theme = “{ $value }”不是有效的领域。
problem-unknown-summit = “{ $value }”不是有效的峰会。
problem-unknown-sort = “{ $value }”不是有效的排序方式。
problem-overdue-flag = 如只看逾期项目，请使用overdue=1。
problem-page-number = 页码须为从1开始的整数。
problem-list-cursor = 此链接未指向列表中的位置：请从第一页重新开始。
login-enter-both = 请输入用户名和密码。
login-no-match = 用户名和密码与任何有效账户都不匹配。
review-choose-decision = 请选择接受或拒绝该建议。

## History lines

history-change = { $field }：“{ $before }”→“{ $after }”
history-none = 无
history-field-title = 标题
history-field-summary = 摘要
history-field-due-note = 期限说明
history-field-translated-title = { $language }标题
history-field-translated-summary = { $language }摘要
history-field-theme = 领域
history-field-due-basis = 期限依据
history-sources-added = 新增来源{ $count }项
history-sources-removed = 移除来源{ $count }项
history-status = { $party }的状态：{ $before } → { $after }

## Evidence: versioned sources and their corrections
refusal-evidence-predates-commitment = 作出承诺本身并不是履行上的进展：“待评估”以外的状态，需要一个日期在峰会之后、报道此后所采取步骤的来源。
title-basis-headline = 媒体原标题
title-basis-description = Accord 撰写的描述
date-basis-published = 来源本身注明的日期
date-basis-reported = 来源未注明日期：采用报道日期
source-title-basis = 标题性质
source-date-basis = 日期性质
source-via-label = 刊载文件（刊载该来源的文件；来源未注明日期时必填）
source-correction-note = 错在哪里（读者会在更正旁看到这条说明）
problem-correction-needs-note = 请说明错在哪里：读者会在更正旁看到这条说明。
problem-reported-needs-via = 该来源本身未注明日期，请说明它刊载于何处。
problem-choose-date-basis = 请选择该日期的性质。
problem-choose-title-basis = 请选择标题是媒体原标题还是 Accord 撰写的描述。
refusal-source-unchanged = 此次更正未改变来源的任何内容，因此未保存。
source-value-none = （无）
source-field-publisher = 发布机构
source-field-via = 刊载文件
source-field-title = 标题
source-field-title-basis = 标题性质
source-field-date = 日期
source-field-date-basis = 日期性质
source-field-url = 网址
source-field-quote = 引文
source-field-kind = 来源类型
source-field-language = 语言
source-corrected-on = 已于{ $date }更正（现为第{ $version }版）
source-correction-line = 第{ $version }版，{ $date }，由{ $editor }更正：
cited-source-corrected = 此来源在本次变更引用后，已于{ $date }更正
cited-version = （第{ $version }版）
source-description-label = Accord 的描述：
source-date-not-given = 来源未注明日期；
source-reported-on = 报道于
## Methodology page

methodology-title = 评估方法
methodology-heading = Accord 如何评估承诺
methodology-description = Accord 如何评估峰会上作出的承诺：各状态的含义、总体状态的确定规则、采信哪些来源、译文如何标注、由谁编辑，以及如何提出更正。
methodology-lead = Accord 记录各国政府在峰会上作出的承诺及其后的进展。本页列明编辑遵循的规则，方便读者据此核查每一个状态。
methodology-contents = 本页目录
methodology-statuses-link = 状态评定规则：查看评估方法
methodology-statuses-heading = 状态及其含义
methodology-statuses-intro = 负有履行义务的每一方各有自己的状态。状态是编辑依据承诺页面所列来源作出的判断。每次变更都会记录生效日期、记录变更的编辑以及所依据的来源。
methodology-overall-heading = 总体状态
methodology-overall-intro = 由双方共同履行的承诺另有一个总体状态，显示在列表、总览和图表中。总体状态不由编辑手动设定，而是根据各方自己的状态按以下规则得出：
methodology-overall-example = 例如，若{ $first-party }的状态为“{ $first-status }”，{ $second-party }的状态为“{ $second-status }”，则总体状态为“{ $overall }”。
methodology-overall-why = 这一排序有意从严：尚无人评估其进展的一方，排在已有工作证据的一方之后；未兑现的承诺排在最后。因此，总体状态绝不会显得比进展最慢的一方更好。
methodology-sourcing-heading = 来源规则
methodology-sourcing-intro = 每个状态都以承诺页面上引用的来源为依据。编辑对每一个来源和每一次状态变更都适用以下规则。
methodology-rule-progress-title = 作出承诺不等于取得进展
methodology-rule-progress = 除“{ $not-yet-rated }”外，任何状态都须有来源报道承诺作出之后采取的具体步骤。峰会上作出承诺的记录只能说明承诺确已作出，不能证明已有任何落实。
methodology-rule-proposer-title = 由谁提出
methodology-rule-proposer = “{ $proposed-by }”一栏写明来源所称谈及或提出该承诺的一方。只有来源说明双方均如此时，才标为“{ $jointly }”。
methodology-rule-attribution-title = 只记入来源明确归属的内容
methodology-rule-attribution = 只有文章明确归于某一媒体的内容，才记在该媒体名下。新闻稿或文章以自身口吻写成的段落，记在该新闻稿或文章名下，归为“{ $media-report }”，而非“{ $official-readout }”。
methodology-rule-dates-title = 以来源自身标注的日期为准
methodology-rule-dates = 来源的日期以来源本身给出的日期为准。来源未给出日期时，标为“未注明日期”，并说明该内容于何时、在何处被报道，而不借用其他文件的日期。
methodology-rule-titles-title = 我们的描述不是原标题
methodology-rule-titles = Accord 为说明某一来源而拟写的标题，只作为描述显示，绝不当作该媒体自己的标题。
methodology-rule-due-title = 期限
methodology-rule-due = 除非有来源称该承诺已被放弃，否则期限届满之前不会将任何承诺标为“{ $not-fulfilled }”。承诺未载明期限、由 Accord 推断期限的，注明“{ $inferred }”并说明理由。
methodology-rule-corrections-title = 来源从不改写
methodology-rule-corrections = 更正来源时，原有文字与新文字一并保留。每次状态变更都注明所依据的各来源的版本；若其中某一来源后来被更正，相关状态变更上会予以标注。
methodology-rule-time-zone-title = 日期按峰会举办地时区计算
methodology-rule-time-zone = “今天”、距期限的剩余天数以及“{ $overdue }”标记，均按峰会举办地的时区计算。2025年11月1日习近平主席同李在明总统举行的会谈，以韩国标准时间（Asia/Seoul，UTC+9）为准。期限已过而总体状态仍不是“{ $fulfilled }”的承诺，标为“{ $overdue }”。
methodology-translations-heading = 译文如何标注
methodology-translations-languages = Accord 提供英文、韩文和简体中文版本，界面文字均已译成各语言。承诺和峰会的标题与摘要以一种原始语言撰写，再据原文翻译。
methodology-translations-credit = 译出的标题或摘要下方注明译者，例如“{ $example }”。随峰会数据一同提供的译文署名为 Accord；编辑保存的译文署该编辑之名，并作为一个版本记入该承诺的修改历史。
methodology-translations-untranslated = 如尚无本页语言的译文，则显示原文，并附上说明，例如“{ $example }”。
methodology-translations-quotes = 来源引文一律不译。证据就是来源本身的原话，因此引文和来源标题均按来源发布时所用的语言显示。
methodology-translations-notes = 编辑为状态变更所写的说明，以及修改历史中每个版本所记录的简短摘要，均按原样显示；目前均为英文，并标明为英文。
methodology-translations-lang = 页面中凡与本页语言不同的文字，都在 HTML 中用 lang 属性标明其语言，以便屏幕阅读器正确朗读、浏览器选用合适的字体。
methodology-editors-heading = 由谁编辑，编辑如何产生
methodology-editors-accounts = Accord 不开放公众注册。编辑账户由网站运营者在服务器命令行中为其信任的人创建；运营者也可以停用账户或更改其密码。除此之外，没有其他遴选程序。读者无需账户即可浏览全部内容，也可提出更正建议。
methodology-editors-work = 编辑负责添加和修改承诺、记录状态变更及其证据、添加和更正来源，以及翻译标题和摘要。
methodology-editors-signed = 每一次编辑都署有编辑的用户名，并保存为一个带编号的新版本。承诺的修改历史页面按时间倒序列出所有版本，注明由谁、于何时作出；时间线上的每次状态变更也注明记录该变更的编辑。
methodology-editors-revert = 任何一次编辑都可以回退到先前的版本。回退本身也是一个新版本，因此不会删除任何内容；已记录的状态变更不能修改或删除，只能在其后追加新的变更。
methodology-editors-conflicts = 如果两位编辑同时修改同一项承诺，后保存的一方会被拒绝，并看到另一方所作的修改，因此任何编辑都不会在不知情的情况下覆盖他人的修改。
methodology-corrections-heading = 如何提出更正
methodology-corrections-suggest = 每个承诺页面都设有提交更新建议的表单：请说明涉及哪一方、您认为应有的状态、事情发生的日期，并提供支持该建议的来源及相关段落的原文引文。无需注册账户；电子邮件地址可不填，且仅编辑可见。
methodology-corrections-review = 编辑会对照来源逐条核实建议，然后予以采纳或驳回；在此之前，页面内容不会有任何变化。被采纳的建议将作为一次状态变更发布，署名为“一位读者”及采纳该建议的编辑。
methodology-corrections-public = Accord 作出的所有更正均公开列出。
methodology-corrections-link = 查看更正记录

## Corrections page
corrections-heading = 更正记录
corrections-description = Accord 上的更正，按时间倒序排列：来源更正、状态变更回退，以及已发布数据的更正。
corrections-lead = 来源更正、状态变更回退和已发布数据的更正，按时间倒序排列。更正后的来源保留原有文字，凡引用该来源的状态变更都会予以标注；回退本身也会作为新版本记入该承诺的修改历史。
corrections-how = 更正规则说明
corrections-feed-link = 更正记录订阅源（Atom）
corrections-feed-title = Accord：更正记录
corrections-feed-subtitle = Accord 上的更正，按时间倒序排列。
corrections-empty = 暂无更正记录。
correction-kind-source = 来源更正
correction-kind-revert = 版本回退
correction-kind-data = 数据更正
correction-why = 原因：
correction-history-link = 修改历史

## Time zones
dates-in-zone = 日期按峰会举办地时区 { $zone }（{ $offset }）计算。
dates-in-zone-why = 为什么？
dates-in-zone-list = 逾期标记按各承诺所属峰会举办地的时区计算；本页图表和日期按 { $zone }（{ $offset }）计算。

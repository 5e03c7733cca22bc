# The desk's words in English. Keys are the same in ru/desk.ftl: a test fails when one is
# missing in either file. { $name } is filled in by the desk; keep it in the translation.

## The page shell
skip-to-content = Skip to content
nav-main = Main
nav-articles = Articles
nav-queue = Queue
nav-search = Search
nav-timeline = Timeline
nav-replay = Replay
nav-chain = Chain
nav-users = Users
signed-in-as = Signed in as
sign-out = Sign out
sign-out-everywhere = Sign out everywhere
sign-out-everywhere-hint = Ends every session of yours, in every browser, this one included.

## Roles
role-editor = editor
role-reviewer = reviewer
role-auditor = auditor
role-admin = admin

## Sign-in
sign-in = Sign in
your-token = Your token
token-hint = The token your admin gave you (it starts with clt_). It is kept in a cookie that scripts cannot read, until you sign out or close the browser.
token-unknown = Unknown, rotated or disabled token.
signin-expired = The sign-in form expired or came from another site. Please sign in again.

## Home
welcome = Welcome, { $name }
pending-claims = { $count ->
    [one] { $count } claim waits for a verdict.
   *[other] { $count } claims wait for a verdict.
}

## Pages that cannot be shown
page-not-found = There is no page at this address.
back-home = Back to your home page

## Home page cards
home-title = Home
home-editor = Editor
home-editor-link = Submit an article and follow your articles
home-editor-rest = — their extraction state and sourcing profile.
home-reviewer = Reviewer
home-queue-link = The review queue
home-waiting = waiting for a verdict:
home-auditor = Auditor
home-timeline = The event timeline
home-replay = The state as of a chosen moment
home-verify = Verify the hash chain
home-admin = Admin
home-users-link = Manage users
home-users-rest = : add, rotate a token, change roles, disable. Also from the command line and the API:
home-keys = Keys: Alt+H home, Alt+E articles, Alt+Q queue, Alt+T timeline, Alt+R replay, Alt+C chain, Alt+U users; on a claim, Alt+1 / Alt+2 pick the verdict and Alt+S records it.

## Words many pages share
sourcing-named = named
sourcing-anonymous = anonymous
sourcing-vague = vague
sourcing-unattributed = unattributed
status-pending = pending
status-verified = verified
status-unverified = unverified
status-dismissed = dismissed
hedged = hedged
extraction-done = extracted
extraction-pending = extraction pending
language-ru = Russian
language-en = English
col-score = Score
col-claim = Claim
col-source = Source
col-sourcing = Sourcing
col-status = Status
col-article = Article
col-extracted = Extracted
col-date = Date
col-verdict = Verdict
col-work-on-it = Work on it
no-claims = No claims.
by = by
by-nobody = by nobody
until = until
on-time = on
take = Take
taken = Taken
taken-by = Taken by
optional = (optional)
required = (required)
note = Note
why = Why
version-n = version { $version }
source-phrase = Source phrase
date-from = From
date-to = To
filter-any = any
filter-button = Filter
filter-language = Language
filter-article-id = Article id
claim-word = claim
in-article = in
in-article-cap = In

## The sourcing profile chart
profile-of-article = Sourcing profile of article { $id }
profile-caption = Sourcing profile: { $claims } claims, { $verified } verified, { $unverified } unverified
profile-dismissed = { $dismissed } dismissed
profile-verified = { $count } verified

## Refusals shown on pages
http-400 = Bad Request
http-403 = Forbidden
http-404 = Not Found
http-405 = Method Not Allowed
http-409 = Conflict
http-413 = Payload Too Large
http-415 = Unsupported Media Type
http-422 = Unprocessable Entity
http-429 = Too Many Requests
http-500 = Internal Server Error
http-503 = Service Unavailable
http-504 = Gateway Timeout
http-error = Error
refused-bad_request = The request was refused
refused-unauthorized = Not signed in
refused-forbidden = Not allowed
refused-not_found = Not found
refused-conflict = Conflict
refused-payload_too_large = Too large
refused-request_timeout = Took too long
refused-unsupported_media_type = Unsupported kind of file
refused-unprocessable = Cannot be processed
refused-too_many_requests = Too many requests
refused-unavailable = Service unavailable
refused-internal = Internal error
not-a-article-id = { $id } is not an article id
not-a-claim-id = { $id } is not a claim id
not-a-choice = { $value } is not one of the choices
not-a-date = { $value } is not a date (YYYY-MM-DD)
form-lost-basis = The form lost the matched claim; reload the page.
form-choose-verdict = Choose verified or unverified.
form-lost-version = The form lost the claim's version; reload the page.
form-lost-revision = The form lost the claim's revision; reload the page.
form-sourcing-unknown = Choose one of the sourcing statuses.
form-pick-sentence = Pick a sentence.

## The review queue
queue-title = Review queue
queue-count = { $count ->
    [one] pending claim for you, most check-worthy first
   *[other] pending claims for you, most check-worthy first
}
queue-first-shown = (the first { $count } shown)
queue-left-out = Claims another reviewer has taken, and those of articles you submitted, are left out; new claims appear here as they are extracted.
already-reviewed-in = { $count ->
    [one] already reviewed in { $count } article
   *[other] already reviewed in { $count } articles
}
queue-gone = gone from the queue
queue-taken-by = taken by
queue-new-one = {"{"}n{"}"} new claim arrived.
queue-new-many = {"{"}n{"}"} new claims arrived.

## Search
search-title = Search claims
search-words = Words
search-placeholder = words, in any form: решения, decisions
search-count = { $count ->
    [one] { $count } matching claim
   *[other] { $count } matching claims
}
search-hint = Words are found in any form ("решения" finds "решение") in a claim's sentence, its source and its article's title; all of them must match. "Quoted phrases", -excluded words and OR work too.
search-dates-reversed = The first date is after the second.
search-too-long = The search text is longer than { $max } characters.

## A claim
claim-title = Claim
done-verdict = Your verdict is recorded: the claim is now
done-correction = Your correction is recorded: the claim is now
done-correction-rest = What the machine said stays in history.
done-dismissal = The claim is dismissed as not a claim
done-dismissal-rest = it has left the queue. A verdict would reinstate it.
done-taken = The claim is yours
done-taken-rest = nobody else can review it meanwhile.
done-added = Your claim is added to the article and waits in the queue.
done-match-rejected = The match is rejected: it is not shown again.
same-claim-elsewhere = Same claim elsewhere
matches-summary = { $count ->
    [one] Already reviewed in { $count } article
   *[other] Already reviewed in { $count } articles
}
similarity = similarity
apply-verdict = Apply this verdict
not-same-claim = Not the same claim
correct-machine = Correct the machine
source-phrase-hint = (as written in the sentence; empty for unattributed)
hedged-hint = hedged (expected, may, reportedly…)
record-correction = Record correction
dismiss-why = Not a claim? Say why
dismiss-button = Dismiss as not a claim
add-missed-link = Add a claim the extractor missed in this article
your-verdict = Your verdict
note-hint = (required for unverified)
evidence-links = Evidence links
evidence-hint = (one per line, http or https)
record-verdict = Record verdict
conflict-decided = Not recorded: someone decided on this claim while you were reading it.
conflict-now = Below is the claim as it now stands:
conflict-resend = What you typed is kept in the form; send it again to record it on top.
conflict-taken = Not recorded: another reviewer has taken this claim.
holds-it-until = holds it until
conflict-taken-rest = Nobody has decided on it yet. What you typed is kept in the form; it can be sent once the claim is free again.
superseded = Superseded: version { $version } of the article no longer has this sentence. It stays in history; no decision can be made on it.
carried-into = Carried into version { $version } of the article
it-read-before = it read before:
no-source-article-asserts = — (the article asserts it)
no-source = — (no source)
reported-by = Reported by
added = Added
verdicts = Verdicts
applied-from = applied from
evidence = evidence
corrections = Corrections
correction-dismissed = dismissed
correction-corrected = corrected
correction-added = added
was = was
own-article = You submitted this article: its claims are for other reviewers to check.
held-rest = the forms open again when the claim is free.
sentence-is = The claim's sentence is
highlighted = highlighted
source-phrase-is = its source phrase
underlined = underlined
article-text = Article text
article-unavailable = The article is not available.

## Adding a missed claim
add-claim-title = Add a missed claim
add-claim-page = Add a claim
add-claim-hint = pick the sentence that holds the claim the extractor missed, and say who says it.
sentence = Sentence
sentence-hint = (sentences with a claim already are left out)
every-sentence-has-claim = Every sentence of this article already has a claim.
add-source-hint = (as written; empty for unattributed)
what-is-claimed = What is claimed
what-is-claimed-hint = (optional; the sentence by default)
add-claim-button = Add claim

## The editor's pages
title = Title
title-hint = Leave empty when uploading a file to use the file's name.
language-detect = detect
source-url = Source URL
outlet = Outlet
body-required-hint = (required, unless you upload a file)
body-hint-paste = Paste the text, or upload a UTF-8
body-hint-file = file below (the file wins). A first line
body-hint-date = is taken as the publication date.
upload-file = …or upload a .txt file
submit-article = Submit article
submit-an-article = Submit an article
your-articles = Your articles
no-articles-yet = You have not submitted any article yet.
submitted = Submitted
submitted-by = Submitted by
upload-too-large = The upload is too large.
form-unreadable = The form could not be read: { $why }
file-not-utf8 = "{ $file }" is not UTF-8 text.
no-article-text = There is no article text: paste it, or choose a .txt file.
title-empty = The title is empty: it may be left empty only when uploading a file.
article-received = Article received
article-received-hint = The article is stored; its claims are being extracted. This page reloads by itself.
version-of = version { $version } of { $count }
published = published
claims-being-extracted = Claims are being extracted; this page reloads by itself.
claims = Claims
add-missed-short = Add a claim the extractor missed
text = Text

## An article's versions
send-new-version = Send a corrected or updated text (version { $version })
version-title = Title (leave empty to keep it)
version-body = The whole new text
version-hint = Claims whose sentence stays keep their verdicts; the others are superseded, and new claims enter the queue.
version-store = Store the new version
version-heading = Version { $version }
version-current = (current)
version-submission = the submission
by-cap = By
version-being-extracted = claims being extracted
version-carried = carried
version-superseded = superseded
version-new = new
removed-in-version = removed in version { $version }
changes-from-version = Changes from version { $version }
versions = Versions
page-shows-version = This page shows version { $version } of { $count }.
superseded-claims = Superseded claims
removed-in = Removed in
status-when-removed = Status when removed

## The auditor's pages
extractor = extractor
summary-claims = { $count ->
    [one] { $count } claim
   *[other] { $count } claims
}
on-version = on version { $version }
as-roles = as
timeline-pages = Timeline pages
earlier = Earlier
first = First
later = Later
timeline-hint = Every event in the order the audit log recorded it. Times are the audit log's clock.
start-after-seq = Start after sequence number
go = Go
no-events-after = No events after { $seq }.
col-seq = Seq
col-recorded = Recorded
col-event = Event
col-by = By
col-what = What
col-subject = Subject
col-version = Version
col-name = Name
col-roles = Roles
col-state = State
state-as-of-event = State as of this event
not-a-moment = { $value } is not a time like 2025-10-30T12:00:00Z
seq-or-moment = Give a sequence number or a moment, not both.
not-a-seq = { $value } is not a sequence number
state-after-record = State after record
recorded = recorded
count-articles = { $count ->
    [one] { $count } article
   *[other] { $count } articles
}
count-users = { $count ->
    [one] { $count } user
   *[other] { $count } users
}
none-yet = None yet.
replay-article-claims = { $count } claims: { $verified } verified, { $unverified } unverified, { $pending } pending
last-verdict-by = Last verdict by
user-disabled = disabled
user-active = active
replay-title = State as of a moment
after-seq = After sequence number
or = or
at-moment = At a moment (UTC)
replay-button = Replay
replay-hint = Empty fields show the latest state. The moment is matched against the audit log's clock.
verify-title = Chain verification
verify-ok = The history verifies: { $count } records, every hash link intact.
verify-bad = The history does not verify.
first-bad-record = First bad record: sequence number
records-checked = { $count } records checked.
chain-head = Chain head
verify-hint = Recomputed now from every record: each record's hash covers its sequence number, recording time, event id, the previous hash and the event's bytes.

## Users (the admin's page)
user-added = User { $name } is added.
old-token-dead = { $name }'s old token no longer works.
copy-token-now = Copy the token now: it will not be shown again.
token-for = Token for { $name }
give-token = Give it to { $name } over a private channel. Only its hash is kept: if it is lost, rotate it.
you = (you)
disabled-for-good = Disabled for good: the name is never reused.
rotate-label = Rotate { $name }'s token
rotate-token = Rotate token
change-roles-label = Change { $name }'s roles
change-roles = Change roles
roles-of = Roles of { $name }
save-roles = Save roles
sign-out-label = Sign { $name } out everywhere
sessions = Sessions…
sessions-hint = Ends every browser session of theirs, on every front; their token keeps working.
disable-label = Disable { $name }
disable = Disable…
disable-hint = Their token stops working at once, on every front. A disabled user cannot be enabled again.
disable-for-good = Disable { $name } for good
own-token = This was your own token: this browser is now signed in with the new one.
users-count = { $count ->
    [one] { $count } user, disabled ones included.
   *[other] { $count } users, disabled ones included.
}
col-actions = Actions
add-user-title = Add a user
name-hint = 1–64 of a–z 0–9 . _ -, starting with a letter or digit. Names are never reused.
add-user-button = Add user
token-shown-once = The new user's token is shown once, on the next page.
done-disabled = { $name } is disabled: their token no longer works.
done-signed-out = { $name } is signed out everywhere: every browser session of theirs has ended.
done-roles = { $name }'s roles are now: { $roles }.
csrf-refused = This form was not sent from a claimledger page of your session (CSRF check). Reload the page and try again.

## A user's own settings
settings = Your settings
settings-language = Language
settings-browser = as the browser asks
settings-zone = Time zone
settings-zone-placeholder = the browser's, e.g. Europe/Moscow
settings-save = Save settings
settings-hint = Kept with your user on every server: they win over the browser's language and time zone. Times show the exact UTC instant on hover.
settings-saved = Your settings are saved.
## Timeline filters
kind-claim = claims
kind-article = articles
kind-user = users

## team
team-assigned-to = Assigned to
team-assigned-by = by { $name },
team-nobody = nobody
team-assign-to = Assign to
team-assign-all-to = Assign every claim to
team-assign = Assign
team-unassign = Unassign
team-next-claim = Next claim
team-next-key = (Alt+N)
team-choose-reviewer = Choose the reviewer to assign.
team-queue-empty = No other claim waits for you in the queue.
team-back-to-queue = Back to the queue
team-my-claims = My claims
team-my-claims-hint = Pending claims assigned to you or taken by you, most check-worthy first.
team-my-claims-empty = Nothing is assigned to you or taken by you.
team-claim = Claim
team-why-mine = Why yours
team-assigned-to-me = assigned to you
team-taken-by-me = taken by you
team-assigned-filter = Assigned
team-anyone = anyone or nobody
team-unassigned-only = Unassigned only
team-pick = Pick
team-bulk-action = With the picked claims
team-bulk-take = take them
team-bulk-assign = assign them
team-bulk-unassign = unassign them
team-bulk-dismiss = dismiss them
team-bulk-reason = Reason (to dismiss)
team-bulk-apply = Apply
team-bulk-none-picked = No claim was picked: tick the rows to act on first.
team-bulk-results = Bulk action
team-article-assigned = Claims of the article assigned
team-bulk-summary = { $succeeded } succeeded, { $refused } refused.
team-outcome = Outcome
team-succeeded = done:
team-refused = refused

## source not in the text (a reviewer's source phrase the sentence does not hold)
source-not-in-text = (not in the text)
source-elsewhere-checkbox = the text does not name this source

## audit trail
trail-title = Claim history
trail-hint = Every event about this claim, in the order the audit log recorded it. Each links to a proof that the log holds it.
trail-claim-page = the claim's page
trail-col-proof = Proof
trail-proof-link = inclusion proof
trail-history-short = history
trail-history-link = The claim's whole history
trail-no-events = No event in the log is about claim { $id }.
trail-not-an-id = “{ $value }” is not { $what } id.
trail-what-claim = a claim
trail-what-event = an event
trail-bad-download = Nothing to download as “{ $value }”: ask for the proof or the leaf.
trail-event = Event
trail-proof-title = Inclusion proof
trail-proof-hint = The proof shows that the event below is in the log the latest signed checkpoint covers. Check it offline with the leaf and the log's verifier key.
trail-proof-heading = Proof
trail-leaf-heading = Leaf: the event as stored
trail-download-proof = Download the proof
trail-download-leaf = Download the leaf
trail-claim-extracted = Extracted
trail-claim-corrected = Corrected
trail-claim-taken = Taken for review
trail-claim-assigned = Assigned to
trail-claim-unassigned = Unassigned
trail-claim-reviewed = Verdict
trail-claim-dismissed = Dismissed
trail-claim-added = Added by hand
trail-claim-matched = Matched with
trail-claim-match-rejected = Match rejected
trail-claim-carried = Carried to a new version
trail-claim-superseded = Superseded
trail-article-extracted = Article read
trail-article-versioned = Article changed
## queue filters
filter-status = Status
filter-hedged = Hedged
hedged-only = hedged only
hedged-not = not hedged
filter-outlet = Outlet
filter-title = Words of the title
filter-published-from = Published from
filter-published-to = Published to
filter-order = Sort by
order-queue = check-worthiness
order-age = newest first
order-article = article
order-extracted = oldest first
## two reviewers
status-awaiting_confirmation = awaiting confirmation
## desk-5: the two-reviewer rule on the desk, the auditor's downloads
second-awaiting-title = Awaiting a second reviewer's confirmation
second-confirm = Confirm the verdict
second-dispute = Dispute the verdict
second-dispute-why = Why you dispute it
second-hint = Confirming lets the verdict stand; disputing puts the claim back in the queue with both notes.
second-own-verdict = You gave this verdict: another reviewer confirms or disputes it.
second-not-reviewer = A reviewer who did not give this verdict confirms or disputes it.
second-held = Another reviewer holds this claim: confirming and disputing open again when it is free.
second-superseded = The article changed and no longer has this sentence: the verdict cannot be confirmed.
second-confirmed-by = Confirmed by
second-disputed-by = Disputed by
done-confirmed = Verdict confirmed: the claim is now
done-disputed = Verdict disputed: the claim is back in the queue, with both notes kept.
newsroom-title = Newsroom settings
two-reviewer-rule = Two-reviewer rule
two-reviewer-hint = While it is on, every verdict waits for a second reviewer — not the one who gave it and not the article's submitter — to confirm or dispute it.
rule-on = On
rule-off = Off
rule-changed-by = changed by { $name }
rule-turn-on = Turn the rule on
rule-turn-off = Turn the rule off
rule-saved = The newsroom settings are saved.
rule-lost = The form lost the setting; reload the page.
download-title = Download
download-csv = Claims
download-ndjson = Events
download-claimreview = Reviews
download-hint = Days by the audit log's clock (UTC), the last one taken whole; empty: from the beginning, or up to now. Claims: those something happened to, as they stood at the end; events: every one recorded; reviews: the verdicts that came to stand, for fact-check readers.
trail-claim-confirmed = Verdict confirmed
trail-claim-disputed = Verdict disputed
download-bad-format = “{ $value }” is not a format to download: choose one of the buttons.
download-backwards = The range begins ({ $from }) after it ends ({ $to }).

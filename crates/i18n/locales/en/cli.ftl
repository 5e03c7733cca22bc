# The command line's words in English (its human output; --json and --quiet forms are for
# scripts and stay as they are). Keys are the same in ru/cli.ftl.

cli-token-for = Token for { $name } (shown only this once: keep it, give it to { $name }):
cli-no-token = user { $name }: the server returned no token
cli-user-disabled = user { $name } disabled
cli-disabled-mark = (disabled)
cli-same-text = note: article { $earlier } has exactly the same text; this submission is a second article ({ $id }), not merged with it
cli-claims-extracted = { $count ->
    [one] { $count } claim extracted:
   *[other] { $count } claims extracted:
}
cli-first-start = claimledger: first start, so a user "admin" (role admin) was created.
    Its token is shown only this once — keep it:
cli-first-start-open = Open { $base }/ in a browser and sign in with it, or add the newsroom's people from here, e.g.:
cli-not-extracted = article { $id } is not extracted after { $seconds } s; see it later with `claimledger claims --article { $id }`
cli-taken = claim { $id } is yours until { $until }
cli-reextraction = re-extraction of { $id } requested (event { $event })
cli-reviewed = claim { $id } is { $status } (version { $version })
cli-by-source = by { $source }
cli-claim-described = claim { $id } is { $status }, { $sourcing }{ $source } (version { $version }, revision { $revision })

## tables and summaries
cli-column-claim = CLAIM
cli-column-status = STATUS
cli-column-sourcing = SOURCING
cli-column-date = DATE
cli-column-source = SOURCE
cli-column-sentence = SENTENCE
cli-search-summary = { $shown } of { $total } matching claims ({ $micros } µs in the index)
cli-import-read = { $file }: { $rows } rows in { $seconds } s ({ $rate } rows/s)
cli-import-new = new:             { $count }
cli-import-present = already present: { $count }
cli-import-rejected = rejected:        { $count }
cli-import-lines = { $count ->
    [one] line { $lines }
   *[other] lines { $lines }{ $more ->
        [0] {""}
       *[other] {" "}and { $more } more
    }
}: { $reason }
cli-import-stopped-early = stopped early: { $reason }
cli-import-stopped = the import stopped before the end: { $reason }
cli-import-some-rejected = { $rejected } of { $rows } rows rejected (see above); the others are stored
## two reviewers
cli-confirmed = claim { $id }: verdict confirmed, the claim is { $status }
cli-disputed = claim { $id }: verdict disputed, the claim is { $status } again
cli-two-reviewers-on = two-reviewer rule: on (every verdict awaits a second reviewer's confirmation)
cli-two-reviewers-off = two-reviewer rule: off (verdicts stand at once)

## branch cli-ru: every other human line of the CLI, and the errors it prints
cli-up-open = claimledger is running: open { $base }/ in a browser (Ctrl+C stops it).
cli-yes = yes
cli-no = no
cli-column-version = V
cli-column-hedged = HEDGED
cli-column-content = CONTENT
cli-column-score = SCORE
cli-column-assigned = ASSIGNED TO
cli-column-taken = TAKEN BY
cli-assigned = claim { $id } is assigned to { $reviewer }
cli-assigned-many = { $count } claims assigned to { $reviewer }, { $refused } refused
cli-assign-refused-row = { $id }  refused: { $reason }
cli-unassigned = claim { $id } is assigned to nobody
cli-assign-needs-target = name a claim, or an article with --article
cli-assign-some-refused = { $refused } claims of article { $article } were not assigned
cli-verify-ok = ok: { $size } records verify; chain head { $head }; tree root { $root }
cli-verify-checkpoint = checkpoint: { $checkpoint }
cli-verify-checkpoint-differs = history does NOT match the checkpoint: { $checkpoint }
cli-verify-bad = history does NOT verify: first bad record is seq { $seq } ({ $problem }); { $size } records before it are intact
cli-diff-none = no changes between seq { $from } and seq { $to }
cli-diff-changes = changes from seq { $from } to seq { $to }:
cli-history-none = no event in history is about claim { $id }
cli-gold-written = wrote gold for { $articles } articles ({ $claims } claims) to { $dir }
cli-gold-left-out = left out { $count } articles whose claims are not all decided yet (--partial takes them)
cli-gold-needs-out = --format gold needs --out DIR
cli-rebuilt = rebuilt the verify projection from { $applied } history records ({ $caught } caught up from the bus first)
cli-rebuild-needs-data = rebuild works offline on a stopped `up` data directory: give --data DIR
cli-replay-summary = as of record { $seq }{ $at }: { $articles } articles, { $claims } claims, { $users } users
cli-replay-at = {" "}({ $at })
cli-replay-status = {"  "}{ $status }: { $count }
cli-eval-header = extractor { $version } on { $dir } ({ $count } articles)
cli-eval-language = LANG
cli-eval-recall = RECALL
cli-eval-precision = PRECIS.
cli-eval-status = STATUS
cli-eval-source = SOURCE
cli-eval-hedged = HEDGED
cli-eval-gold = GOLD
cli-eval-predicted = PRED
cli-eval-matched = MATCH
cli-eval-misses = { $count } sentences differ from the gold (all details with --json):
cli-eval-missed = missed
cli-eval-not-a-claim = not a claim
cli-eval-differs-status = status { $found } (gold { $gold })
cli-eval-differs-source = source { $found } (gold { $gold })
cli-eval-differs-hedged = hedged { $found } (gold { $gold })
cli-eval-polnear-header = extractor { $version } on PolNeAR { $split } ({ $count } articles)
cli-eval-polnear-scores = source recall { $recall } ({ $recalled } of { $gold } attributions), precision { $precision } ({ $precise } of { $predicted } sourced claims)
cli-eval-needs-dir = eval needs --gold DIR or --polnear DIR
cli-eval-split-without-polnear = --split chooses a PolNeAR split: it goes with --polnear, not --gold
cli-needs-token = this command needs a token: pass --token or set CLAIMLEDGER_TOKEN
cli-cannot-reach = cannot reach claimledger at { $server }
cli-cannot-read = cannot read { $file }
cli-cannot-read-stdin = cannot read standard input
cli-not-utf8 = { $file } is not UTF-8 text (invalid byte at offset { $offset })
cli-no-target = no target: give --server, --data or --nats
cli-unverified-needs-note = an unverified verdict needs --note saying why
cli-review-needs-verdict = give a verdict (verified or unverified) or --basis CLAIM_ID
cli-dismiss-needs-reason = a dismissal needs --reason saying why it is not a claim
cli-nothing-to-correct = nothing to correct: give --sourcing, --source, --no-source or --hedged
cli-sentence-out-of-range = the article has { $count } sentences; --sentence takes 1..={ $count } (see --list)
cli-not-a-claim-id = { $text } is not a claim id (a UUID)
cli-not-an-event-id = { $text } is not an event id (a UUID)
cli-not-a-time = { $text } is not an RFC 3339 time
cli-not-a-point = { $text } is neither a sequence number nor an RFC 3339 time
# A refusal from the server: English keeps the server's words as they are.
cli-refused = { $status } { $code }: { $detail }
cli-refused-no-such = { $detail }
cli-refused-lacks-role = { $detail }
cli-refused-token = { $detail }
cli-refused-version = { $detail } (the claim is now at version { $version })
cli-refused-server-said = { $detail }
cli-refused-not-uuid = { $detail }
cli-refused-own-article = { $detail }
cli-or = or
cli-change-article-submitted = + article { $id } { $title } submitted by { $by }
cli-change-article-extracted = ~ article { $id } extracted by { $version }: { $claims } claims
cli-change-claim-extracted = + claim { $id } { $content }
cli-change-claim-reviewed = ~ claim { $id } { $from } -> { $to } (version { $version }, revision { $revision }, by { $by })
cli-change-user-added = + user { $name } ({ $roles })
cli-change-user-roles = ~ user { $name } roles { $from } -> { $to }
cli-change-user-disabled = - user { $name } disabled
cli-cannot-listen = cannot listen on { $address }
cli-data-in-use = data directory { $dir } is in use by a running claimledger process; stop it, or talk to it with --server instead of --data
cli-cannot-create-dir = cannot create data directory { $dir }
# The system's reasons, for the languages whose system words the CLI replaces.
cli-io-not-found = no such file or directory
cli-io-permission-denied = permission denied
cli-io-addr-in-use = the address is already in use
cli-io-connection-refused = connection refused (is claimledger running there?)
cli-io-timed-out = timed out
cli-io-already-exists = it already exists
cli-refused-taken = { $detail }
cli-refused-already-dismissed = { $detail }
cli-refused-queue-empty = { $detail }
cli-import-batch-empty = the batch name is empty
cli-import-batch-too-long = the batch name { $batch } is too long for an Idempotency-Key ({ $length } characters encoded, at most { $max }): pass a shorter --batch
cli-import-unknown-column = unknown column { $name } in the CSV header; the columns are { $columns }
cli-import-column-twice = column { $name } appears twice in the CSV header
cli-import-no-column = the CSV header has no { $name } column
cli-import-header-unreadable = cannot read the CSV header
cli-import-header-not-utf8 = the CSV header is not UTF-8 text
cli-import-unknown-format = cannot tell the format of { $file } from its extension (.ndjson, .jsonl or .csv): pass --format
cli-import-stdin-needs-batch = reading standard input: pass --batch NAME (it names the rows' keys, so a re-run must give the same name)
cli-refused-offline = { $detail }
cli-refused-user-exists = { $detail }
cli-refused-user-disabled = { $detail }
cli-refused-last-admin = { $detail }

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

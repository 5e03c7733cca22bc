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

## team
team-assigned-to = Assigned to
team-assigned-by = by { $name }, { $time }
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

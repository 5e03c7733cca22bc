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

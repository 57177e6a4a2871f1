# The public site: page text in English.

site-name = Community deliberation ledger
skip-to-content = Skip to the content
language = Language
nav-label = Sections
nav-proposals = Proposals
nav-hearings = Hearings
nav-consultations = Consultations
nav-ballots = Ballots
nav-disputes = Disputes
nav-pledges = Pledges
nav-orgs = Organisations
nav-report = Transparency report
nav-verify = Verify
footer-privacy = A public record of the community's deliberations. No personal names are shown: people appear only as reference numbers (PER-n).
footer-verify = How to check that this record has not been changed
none = —
list-separator = ,{" "}
person = Person
person-ref-note = People are shown by reference number only, never by name.
money-yuan = { $amount } yuan
duration-days = { $n ->
    [one] { $shown } day
   *[other] { $shown } days
}

error-404-title = Page not found
error-404-body = There is no page at this address, or no record with this reference.
error-400-title = The request could not be read
error-400-body = Check the dates and numbers you entered and try again.
error-422-title = Not available
error-422-body = This record cannot be shown in this way.
error-500-title = Something went wrong
error-500-body = The page could not be made. Please try again later.
error-503-title = Temporarily unavailable
error-503-body = The ledger is not available right now. Please try again in a few minutes.
error-back = Back to the proposal board

col-when = When
col-what = What
col-details = Details
col-proposal = Proposal
col-category = Category
col-status = Status
col-progress = Progress
col-hearing = Hearing
col-date = Date
col-presided-by = Presided by
col-speaker = Speaker
col-stance = Stance
col-summary = Summary
col-person = Person
col-role = Role
col-consultation = Consultation
col-commitments = Commitments
col-party = Party
col-commitment = Commitment
col-due = Due
col-state = State
col-statement = Statement
col-ballot = Ballot
col-result = Result
col-turnout = Turnout
col-option = Option
col-votes = Votes
col-share = Share
col-dispute = Dispute
col-filed = Filed
col-mediations = Mediation attempts
col-side = Side
col-by = By
col-for = For
col-kind = Kind
col-amount = Amount
col-made = Made
col-fulfilled = Fulfilled
col-org = Organisation
col-parent = Belongs to

field-status = Status
field-category = Category
field-community = Community
field-author = Proposed by
field-cosigners = Co-signers
field-submitted = Submitted
field-admitted = Admitted
field-decision = Decision
field-basis = Decided on the basis of
field-decision-note = Decision note
field-returned-reason = Why it was returned
field-withdrawn-reason = Why it was withdrawn
field-assigned-to = Carried out by
field-due = Due
field-progress = Progress
field-completion = Completion
field-completed = Completed
field-on = Held on
field-venue = Venue
field-presided-by = Presided by
field-proposals = Proposals
field-closed = Closed
field-cancelled-reason = Why it was cancelled
field-format = Format
field-convened-by = Convened by
field-convened = Convened
field-concluded = Concluded
field-failure-reason = Why there was no agreement
field-proposal = Proposal
field-voting = Voting
field-opened = Opened
field-threshold = Needed to win
field-turnout = Turnout
field-quorum = Quorum
field-result = Result
field-verify = Check the count
field-filed = Filed
field-mediation-attempts = Mediation
field-resolution = Resolution
field-duration = Duration
field-kind = Kind
field-parent = Belongs to

cosigner-count = { $n ->
    [one] 1 co-signer
   *[other] { $n } co-signers
}
history = History
history-caption = Every recorded act, oldest first
history-empty = Nothing recorded yet.
pledges = Pledges
pledges-caption = Pledges of money, labour and expertise
pledges-empty = No pledges.

board-title = Proposal board
board-intro = Proposals by resident representatives, from submission to completion. Choose a status or a category to narrow the list.
board-caption = Proposals
board-empty = No proposals match.
filter-status = Status
filter-category = Category
filter-all = All
filter-apply = Show

hearings-title = Democratic hearings
hearings-intro = Hearings where residents and representatives speak on proposals before they are decided.
hearings-caption = Hearings
hearings-empty = No hearings yet.
findings = Findings
statements = Statements
statements-caption = What was said, in order
statements-empty = No statements recorded.
participants = Participants
participants-caption = Who took part (by reference number)
participants-empty = No participants registered.

consultations-title = Consultations
consultations-intro = Consultation meetings between units, with the terms they agreed and each party's commitments.
consultations-caption = Consultations
consultations-empty = No consultations yet.
commitments-summary = { $total } in all, { $done } fulfilled, { $overdue } overdue
terms = Terms agreed
terms-empty = No terms agreed.
commitments = Commitments
commitments-caption = Commitments and whether each was kept
commitments-empty = No commitments made.
positions = Positions
positions-caption = Each party's stated position
positions-empty = No positions stated.
parties-count = Parties ({ $n })

ballots-title = Ballots
ballots-intro = Votes of the residents' representative assembly: the result, turnout and quorum of each.
ballots-caption = Ballots
ballots-empty = No ballots yet.
result-none = No option won
result-pending = Not counted yet
voting-secret = Secret ballot
voting-open = Open ballot
turnout-text = { $cast } of { $electorate } voted ({ $percent })
quorum-met = reached
quorum-not-met = not reached
verify-ballot = Verify this ballot
verify-ballot-note = Recomputes the count from the encrypted votes and the tellers' proofs, using the public record alone.
counts = Count
counts-chart = Votes for each option
counts-caption = Votes for each option (the chart as a table)
counts-not-yet = The votes have not been counted yet.
field-in-room = Taken in the room
in-room-text = Taken in the room by a show of hands: { $present } of { $electorate } members present
in-room-pending = Taken in the room by a show of hands; the counts are not recorded yet.

disputes-title = Disputes
disputes-intro = Disputes under mediation, each with its timeline from filing to closing.
disputes-caption = Disputes
disputes-empty = No disputes yet.
as-of-label = As it stood on
as-of-show = Show
as-of-note = Shown as it stood at the end of { $date }.
dispute-today = Show it as it stands today
dispute-not-yet = This dispute had not been filed yet on that date.
mediations-text = { $n } attempts, { $ok } succeeded
parties = Parties
parties-caption = Parties and their sides
timeline = Timeline
timeline-chart = The steps on a time line (numbered as in the list below)
timeline-empty = No steps recorded.
since-previous = { $days } after the previous step

pledges-title = Pledges by unit
pledges-intro = Money, labour and expertise pledged by member units, and whether each pledge was fulfilled.
pledges-of-caption = Pledges of { $unit }
pledge-totals = Money: { $money } · Labour: { $labour }

orgs-title = Organisations
orgs-intro = The committees, units and companies named in the record. Only public bodies are listed.
orgs-caption = Organisations
orgs-empty = No organisations registered.
org-children = Belonging to it
org-acts = What it did
org-acts-empty = Nothing recorded for this organisation yet.
org-proposals = Proposals
org-hearings = Hearings it presided
org-consultations = Consultations
org-commitments = Its commitments
org-disputes = Disputes
org-pledges = Its pledges
org-role-assigned = Carrying it out
org-role-community = Its community
org-role-convened = Convened it
org-role-party = Party
org-role-body = Mediated or presided

report-title = Transparency report
report-from = From
report-to = To
report-show = Show
report-period = Period: { $from } to { $to }
report-check = Check this report
report-check-text = This report is built from the ledger and states a signed checkpoint of it. Anyone can check it against the ledger.
report-json = The report as data (JSON)
report-file = The report as one printable file
report-how = What the checkpoint proves, and how to check

verify-title = Verify the record
verify-intro = Every act recorded here is kept in a ledger that cannot be quietly changed. The ledger signs short statements called checkpoints; this page explains what a checkpoint proves and how anyone can check it.
verify-proves = What a signed checkpoint proves
verify-proves-1 = It names how many records the ledger held (its size) and one fingerprint (the root hash) of all of them together.
verify-proves-2 = It is signed with the ledger's key. A checkpoint with a valid signature was made by whoever holds that key.
verify-proves-3 = If any earlier record were changed, removed or reordered, the fingerprint would no longer match: so a later checkpoint that still contains an earlier one proves the earlier records are unchanged.
verify-not = What it does not prove
verify-not-1 = That everything that happened was recorded: it proves only that what was recorded has not been changed since.
verify-not-2 = Who a person is: people appear by reference number only.
verify-how = How to check
verify-step-1 = Take the report's data, which includes the checkpoint it was built on:
verify-step-2 = Take the ledger's public key:
verify-step-3 = With a copy of the ledger (or its export), run the command-line check "delib report verify" on the report: it rebuilds the report from the records and checks the checkpoint's signature and fingerprint.
verify-step-4 = Secret ballots can each be checked from the public record alone, from their own pages:
verify-key = The ledger's public key
verify-step-tlog = Anyone can also fetch the signed checkpoint of the whole log and its tiles, from which any record's inclusion and any two checkpoints' consistency can be proved without trusting this server:
verify-tlog = The log's signed checkpoint (tiles under /tlog/tile/)
verify-now = The ledger right now
verify-size = Records
verify-head = Hash of the last record
verify-proofs-note = Proofs that a single record is included in a checkpoint, and that a later checkpoint extends an earlier one, are served to auditors by the ledger's audit interface.
# History: labour pledged, in a pledge's summary.
labour-days = { $shown } labour { $n ->
    [one] day
   *[other] days
}

# Documents (issue 13).
documents = Documents
documents-note = Each document is identified by its SHA-256: anyone can check that the file is the one recorded.
document-withdrawn = withdrawn (the file is deleted; its hash stays on record)
document-size = { $n } bytes
col-document = Document
col-size = Size
col-sha256 = SHA-256
# The report without a start date.
report-period-since-start = Period: from the start of the ledger to { $to }

# Statuses, kinds and codes the ledger records, as residents read them.
# One message per code: `group-code` (dots in event kinds become dashes).

status-submitted = Submitted
status-admitted = Admitted
status-returned = Returned
status-withdrawn = Withdrawn
status-adopted = Adopted
status-rejected = Rejected
status-in-progress = In progress
status-completed = Completed
status-scheduled = Scheduled
status-open = Open
status-closed = Closed
status-cancelled = Cancelled
status-convened = Convened
status-agreed = Agreed
status-failed = No agreement
status-counting = Counting
status-filed = Filed
status-mediating = In mediation
status-escalated = Escalated
status-negotiating = In negotiation
status-resolved = Resolved
status-implemented = Carried out
status-fulfilled = Fulfilled
status-overdue = Overdue
status-pending = Not yet due

category-infrastructure = Infrastructure
category-parking = Parking
category-groceries = Groceries
category-medical = Medical care
category-employment = Employment
category-environment = Environment
category-safety = Safety
category-services = Services
category-property = Property management
category-other = Other

stance-support = Support
stance-oppose = Oppose
stance-neutral = Neutral

role-representative = Representative
role-resident = Resident
role-expert = Expert
role-official = Official
role-speaker = Speaker
role-chair = Chair
role-clerk = Clerk
role-party-member = Party member
role-member-unit = Member unit

side-owners = Owners
side-developer = Developer
side-residents = Residents
side-tenants = Tenants
side-property-company = Property company

format-joint-meeting = Joint meeting
format-dialogue = Dialogue
format-joint-representatives = Joint representatives
format-coordination-committee = Coordination committee

outcome-adopted = Adopted
outcome-rejected = Rejected
outcome-succeeded = Succeeded
outcome-failed = Failed

threshold-majority = Simple majority
threshold-two-thirds = Two thirds
threshold-unanimous = Unanimous

scheme-encrypted = Encrypted (verifiable)
scheme-sealed-urn = Sealed urn
scheme-open = Open vote
scheme-in-room = Taken in the room

option-yes = Yes
option-no = No
option-abstain = Abstain

pledgekind-money = Money
pledgekind-labour = Labour
pledgekind-expertise = Expertise

orgkind-subdistrict = Subdistrict
orgkind-party-committee = Party committee
orgkind-party-branch = Party branch
orgkind-residents-committee = Residents' committee
orgkind-homeowners-committee = Homeowners' committee
orgkind-property-rights-unit = Property-rights unit
orgkind-property-company = Property company
orgkind-developer = Developer
orgkind-member-unit = Member unit
orgkind-coordination-committee = Coordination committee
orgkind-other = Other body

event-ledger-initialized = Ledger started
event-ledger-checkpoint-recorded = Checkpoint signed
event-registry-reference-assigned = Reference assigned
event-organisation-registered = Organisation registered
event-person-registered = Person registered
event-person-erased = Personal data erased
event-proposal-submitted = Proposal submitted
event-proposal-cosigned = Co-signed
event-proposal-admitted = Admitted
event-proposal-returned = Returned to the author
event-proposal-withdrawn = Withdrawn
event-proposal-decided = Decided
event-proposal-assigned = Assigned for implementation
event-proposal-progress-reported = Progress reported
event-proposal-completed = Implementation completed
event-pledge-made = Pledge made
event-pledge-fulfilled = Pledge fulfilled
event-hearing-scheduled = Hearing scheduled
event-hearing-participant-registered = Participant registered
event-hearing-opened = Hearing opened
event-hearing-statement-recorded = Statement recorded
event-hearing-closed = Hearing closed
event-hearing-cancelled = Hearing cancelled
event-consultation-convened = Consultation convened
event-consultation-position-stated = Position stated
event-consultation-agreement-reached = Agreement reached
event-consultation-failed = No agreement reached
event-consultation-commitment-made = Commitment made
event-consultation-commitment-fulfilled = Commitment fulfilled
event-ballot-opened = Ballot opened
event-ballot-cast = Vote cast
event-ballot-secret-choice-recorded = Secret vote cast
event-ballot-election-key-published = Election key published
event-ballot-encrypted-cast = Encrypted vote cast
event-ballot-casting-ended = Voting ended
event-ballot-tally-decrypted = Tally decrypted
event-ballot-closed = Ballot closed
event-ballot-taken-in-room = Taken in the room
event-ballot-room-counts-recorded = Counts taken in the room
event-dispute-filed = Dispute filed
event-dispute-mediation-attempted = Mediation attempted
event-dispute-escalated = Escalated
event-dispute-negotiation-held = Negotiation held
event-dispute-resolved = Resolved
event-dispute-resolution-implemented = Resolution carried out
event-dispute-closed = Dispute closed
event-dispute-withdrawn = Dispute withdrawn
event-correction-recorded = Correction recorded
event-correction-amended = Record corrected
event-correction-voided = Record voided
event-document-attached = Document attached
event-document-withdrawn = Document withdrawn
event-test-noted = Test note

# A code this version of the site has no words for yet.
code-unknown = Other record

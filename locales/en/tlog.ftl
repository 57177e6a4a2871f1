# The district's view (serve --district) and the witnesses of checkpoints.

nav-district = District
district-title = The district's communities
district-intro = Each community keeps its own ledger. This page reads each one from a mirror: a copy that checks every record against the checkpoint the community signed. The numbers below are each community's own transparency report, and each row says up to which checkpoint it was verified.
district-caption = Communities of the district, each verified from a mirror of its ledger
district-col-community = Community (verified up to)
district-col-proposals = Proposals
district-col-adopted = Adopted
district-col-completed = Completed
district-col-hearings = Hearings
district-col-statements = Statements
district-col-disputes = Disputes
district-col-resolved = Resolved
district-col-ballots = Ballots
district-col-pledges = Pledges
district-size = { $size } records
district-size-label = Records
district-root = Root hash
district-at = Last record
district-ok = Verified
district-failed = Verification failed
district-failed-reason = Why: { $reason }
district-total = Total of the verified communities
district-empty = No mirrors are configured.
district-how = Anyone can check the same: mirror each community's published log with "delib mirror" and run "delib district report" over the mirrors.

witness-title = Who witnessed which checkpoint
witness-intro = Witnesses are independent parties that keep the checkpoints they have seen and sign a checkpoint only if it extends them. A checkpoint they cosigned cannot be replaced by a different history without them noticing.
witness-caption = Checkpoints cosigned by witnesses
witness-col-witness = Witness
witness-col-key = Key ID
witness-col-checkpoint = Checkpoint
witness-col-time = Cosigned at
witness-empty = No witness has cosigned a checkpoint of this ledger yet.
witness-unverified = not checked with the witness's key

//! `delib demo`: the article's cases (`../shared/DOMAIN.md`), recorded into `--data` with their
//! historical dates through the very same commands a clerk would type, then a summary, the property
//! dispute's timeline and the transparency report as a self-contained HTML file.
//!
//! The dates are illustrative (the article gives none); the bodies, practices and numbers are the
//! article's: Shibei's three-nos problem solved with 240,000 yuan from property-rights units and a
//! co-building meeting of 36 units; a compound's property dispute with two failed mediations, the party
//! branch's negotiation and a new property company; a Shuangjing-style representative proposal through
//! hearing and a Sanlitun-style assembly ballot. Person names are invented and live only in the
//! erasable directory.

use super::args::Cli;
use super::{dispatch, CliError, Globals};
use crate::ledger::{InitError, Ledger};
use clap::Parser;

/// One step: `--at` and the command's arguments.
type Step = (&'static str, Vec<String>);

/// A step that is not one command: the tellers of a ballot each decrypt their share (`ballot
/// decrypt-share` with the share files in the demo's tellers' directory), then the parts close it.
const TELLERS_CLOSE: &str = "@tellers-close";

fn step(at: &'static str, args: &[&str]) -> Step {
    (at, args.iter().map(|s| (*s).to_string()).collect())
}

/// The organisations and persons. References are predictable: the demo only runs on a new ledger.
fn bodies() -> Vec<Step> {
    let mut s = vec![
        step(
            "2014-01-06",
            &[
                "org",
                "add",
                "--name",
                "Liulitun subdistrict working committee (六里屯街道工委)",
                "--kind",
                "subdistrict",
            ],
        ), // ORG-1
        step(
            "2014-01-06",
            &[
                "org",
                "add",
                "--name",
                "Shibei community party committee (十北社區黨委)",
                "--kind",
                "party-committee",
                "--parent",
                "ORG-1",
            ],
        ), // ORG-2
        step(
            "2014-01-06",
            &[
                "org",
                "add",
                "--name",
                "Shibei residents' committee (十北居委會)",
                "--kind",
                "residents-committee",
                "--parent",
                "ORG-1",
            ],
        ), // ORG-3
        step(
            "2014-01-06",
            &[
                "org",
                "add",
                "--name",
                "Shibei joint co-building meeting (共建聯管聯席會議)",
                "--kind",
                "other",
                "--parent",
                "ORG-2",
            ],
        ), // ORG-4
    ];
    // The 36 property-rights units of Shibei (ORG-5 .. ORG-40); the first three pledge the money.
    const UNITS: [&str; 36] = [
        "Liulitun Housing Management Office",
        "Chaoyang Municipal Works Company",
        "Shibei Commercial Holdings",
        "North Fourth Ring Printing Works",
        "Capital Textile Trading Co.",
        "Chaoyang Grain Depot",
        "Beijing Light Industry Institute",
        "Liulitun Bus Depot",
        "Shibei Heating Station",
        "Eastern Suburb Building Materials Co.",
        "Chaoyang Electrical Supply Office",
        "Capital Film Archive Annex",
        "Jingguang Logistics Yard",
        "Shibei Primary School",
        "Chaoyang Community Health Centre",
        "Beijing Instruments Factory No. 3",
        "Liulitun Post Office",
        "Shibei Cultural Station",
        "Capital Steel Dormitory Office",
        "Chaoyang Water Company Branch",
        "North China Design Institute",
        "Liulitun Market Company",
        "Shibei Apartment Cooperative",
        "Chaoyang Forestry Station",
        "Capital Medical Supplies Co.",
        "Beijing Rail Housing Office",
        "Shibei Kindergarten",
        "Chaoyang Sports Ground Office",
        "Liulitun Telecom Exchange",
        "Eastern District Bank Dormitory",
        "Beijing Radio Factory Housing",
        "Capital Airport Staff Housing",
        "Shibei Senior Centre",
        "Chaoyang Fire Station Housing",
        "Liulitun Gas Station Office",
        "Beijing Hydraulic Institute Housing",
    ];
    for unit in UNITS {
        s.push((
            "2014-01-06",
            vec![
                "org".into(),
                "add".into(),
                "--name".into(),
                format!("{unit} (產權單位)"),
                "--kind".into(),
                "property-rights-unit".into(),
                "--parent".into(),
                "ORG-1".into(),
            ],
        ));
    }
    s.extend([
        // The property dispute's compound (ORG-41 .. ORG-46).
        step(
            "2015-02-02",
            &[
                "org",
                "add",
                "--name",
                "Jinyuan compound homeowners' committee (業主委員會)",
                "--kind",
                "homeowners-committee",
            ],
        ), // ORG-41
        step(
            "2015-02-02",
            &[
                "org",
                "add",
                "--name",
                "Jinyuan community residents' committee (居委會)",
                "--kind",
                "residents-committee",
            ],
        ), // ORG-42
        step(
            "2015-02-02",
            &[
                "org",
                "add",
                "--name",
                "Jinyuan compound residents' party branch (居民黨支部)",
                "--kind",
                "party-branch",
            ],
        ), // ORG-43
        step(
            "2015-02-02",
            &[
                "org",
                "add",
                "--name",
                "Jinyuan Real Estate Development Co. (開發商)",
                "--kind",
                "developer",
            ],
        ), // ORG-44
        step(
            "2015-02-02",
            &[
                "org",
                "add",
                "--name",
                "Jinyuan Property Services Co. (物業公司)",
                "--kind",
                "property-company",
            ],
        ), // ORG-45
        step(
            "2015-02-02",
            &[
                "org",
                "add",
                "--name",
                "Sanlitun community residents' committee (三里屯社區居委會)",
                "--kind",
                "residents-committee",
            ],
        ), // ORG-46
        // Persons (PER-1 .. PER-9): names live only in the erasable directory.
        step(
            "2014-01-06",
            &[
                "person",
                "add",
                "--name",
                "Wang Fang",
                "--member-of",
                "ORG-3",
                "--role",
                "clerk",
            ],
        ),
        step(
            "2014-01-06",
            &[
                "person",
                "add",
                "--name",
                "Liu Yang",
                "--member-of",
                "ORG-3",
                "--role",
                "representative",
            ],
        ),
        step(
            "2014-01-06",
            &[
                "person",
                "add",
                "--name",
                "Zhang Wei",
                "--member-of",
                "ORG-3",
                "--role",
                "representative",
            ],
        ),
        step(
            "2015-02-02",
            &[
                "person",
                "add",
                "--name",
                "Chen Jing",
                "--member-of",
                "ORG-41",
                "--role",
                "chair",
            ],
        ),
        step(
            "2015-02-02",
            &[
                "person",
                "add",
                "--name",
                "Zhao Lei",
                "--member-of",
                "ORG-44",
                "--role",
                "official",
            ],
        ),
        step(
            "2016-03-01",
            &[
                "person",
                "add",
                "--name",
                "Sun Li",
                "--member-of",
                "ORG-46",
                "--role",
                "representative",
            ],
        ),
        step(
            "2016-03-01",
            &[
                "person",
                "add",
                "--name",
                "Zhou Min",
                "--member-of",
                "ORG-46",
                "--role",
                "representative",
            ],
        ),
        step(
            "2016-03-01",
            &[
                "person",
                "add",
                "--name",
                "Wu Hao",
                "--member-of",
                "ORG-46",
                "--role",
                "representative",
            ],
        ),
        step(
            "2016-03-01",
            &[
                "person",
                "add",
                "--name",
                "Zheng Hui",
                "--member-of",
                "ORG-46",
                "--role",
                "representative",
            ],
        ),
    ]);
    s
}

/// Case 1: Shibei, a three-nos community (no street lights, no boundary wall, no paved road).
fn shibei() -> Vec<Step> {
    let mut s = vec![
        step("2014-03-03T09:00", &["--as", "PER-1", "proposal", "submit", "--title", "Street lights, a boundary wall and a paved road for Shibei", "--body", "Shibei is a three-nos community: no street lights, no boundary wall, no paved road. Residents walk home in the dark on a dirt track.", "--category", "infrastructure", "--by", "PER-2", "--community", "ORG-2"]), // PROP-1
        step("2014-03-04T10:00", &["--as", "PER-1", "proposal", "cosign", "PROP-1", "--by", "PER-3"]),
        step("2014-03-10T09:00", &["--as", "PER-1", "proposal", "admit", "PROP-1"]),
        step("2014-03-12T09:00", &["--as", "PER-1", "hearing", "schedule", "--topic", "Lights, wall and road for Shibei", "--on", "2014-03-20T14:00", "--venue", "Shibei community hall", "--presided-by", "ORG-2", "--proposal", "PROP-1"]), // HEAR-1
        step("2014-03-13T09:00", &["--as", "PER-1", "hearing", "register", "HEAR-1", "--person", "PER-2", "--role", "representative"]),
        step("2014-03-13T09:05", &["--as", "PER-1", "hearing", "register", "HEAR-1", "--person", "PER-3", "--role", "resident"]),
        step("2014-03-20T14:00", &["--as", "PER-1", "hearing", "open", "HEAR-1"]),
        step("2014-03-20T14:10", &["--as", "PER-1", "hearing", "statement", "HEAR-1", "--by", "PER-2", "--stance", "support", "--summary", "Residents walk home in the dark; the elderly fall on the dirt road."]),
        step("2014-03-20T14:25", &["--as", "PER-1", "hearing", "statement", "HEAR-1", "--by", "PER-3", "--stance", "neutral", "--summary", "Support, if the property-rights units share the cost rather than the residents."]),
        step("2014-03-20T16:00", &["--as", "PER-1", "hearing", "close", "HEAR-1", "--findings", "Broad support. The party committee will ask the property-rights units to contribute."]),
        step("2014-03-25T09:00", &["--as", "PER-1", "proposal", "decide", "PROP-1", "--outcome", "adopted", "--basis", "HEAR-1", "--note", "Adopted on the hearing's findings."]),
        // 或掏錢: the units pledge 240,000 yuan in all.
        step("2014-04-02T10:00", &["--as", "PER-1", "pledge", "make", "--for", "PROP-1", "--by", "ORG-5", "--money", "100000"]),
        step("2014-04-03T10:00", &["--as", "PER-1", "pledge", "make", "--for", "PROP-1", "--by", "ORG-6", "--money", "80000"]),
        step("2014-04-04T10:00", &["--as", "PER-1", "pledge", "make", "--for", "PROP-1", "--by", "ORG-7", "--money", "60000"]),
        step("2014-04-08T10:00", &["--as", "PER-1", "pledge", "make", "--for", "PROP-1", "--by", "ORG-8", "--labour-days", "30"]),
        step("2014-04-10T10:00", &["--as", "PER-1", "proposal", "assign", "PROP-1", "--to", "ORG-2", "--due", "2014-09-30"]),
        step("2014-05-15T10:00", &["--as", "PER-1", "pledge", "fulfil", "--for", "PROP-1", "--pledge", "1", "--note", "transferred"]),
        step("2014-05-16T10:00", &["--as", "PER-1", "pledge", "fulfil", "--for", "PROP-1", "--pledge", "2", "--note", "transferred"]),
        step("2014-05-20T10:00", &["--as", "PER-1", "pledge", "fulfil", "--for", "PROP-1", "--pledge", "3", "--note", "transferred"]),
        step("2014-06-30T10:00", &["--as", "PER-1", "proposal", "progress", "PROP-1", "--percent", "60", "--note", "the wall is up; lights being installed"]),
        step("2014-08-20T10:00", &["--as", "PER-1", "pledge", "fulfil", "--for", "PROP-1", "--pledge", "4", "--note", "road paving crew"]),
        step("2014-09-02T10:00", &["--as", "PER-1", "proposal", "complete", "PROP-1", "--summary", "Walls went up, lights were installed, roads were paved."]),
    ];
    // The joint co-building meeting of the 36 property-rights units, meeting regularly.
    let mut convene: Vec<String> = [
        "--as",
        "PER-1",
        "consultation",
        "convene",
        "--topic",
        "Shibei community-building plan for 2015",
        "--format",
        "joint-meeting",
        "--convened-by",
        "ORG-2",
    ]
    .iter()
    .map(|a| (*a).to_string())
    .collect();
    for n in 5..=40 {
        convene.extend(["--party".to_string(), format!("ORG-{n}")]);
    }
    s.push(("2014-11-05T09:00", convene)); // CONS-1
    s.extend([
        step(
            "2014-11-05T09:30",
            &[
                "--as",
                "PER-1",
                "consultation",
                "position",
                "CONS-1",
                "--party",
                "ORG-5",
                "--statement",
                "We will keep funding the lights' upkeep.",
            ],
        ),
        step(
            "2014-11-05T10:00",
            &[
                "--as",
                "PER-1",
                "consultation",
                "position",
                "CONS-1",
                "--party",
                "ORG-14",
                "--statement",
                "The school asks for a safe crossing at the gate.",
            ],
        ),
        step(
            "2014-11-05T11:30",
            &[
                "--as",
                "PER-1",
                "consultation",
                "agree",
                "CONS-1",
                "--term",
                "The joint co-building meeting meets every quarter on community-building plans",
                "--term",
                "Units share the upkeep of lights, wall and road",
            ],
        ),
        step(
            "2014-11-06T09:00",
            &[
                "--as",
                "PER-1",
                "consultation",
                "commit",
                "CONS-1",
                "--party",
                "ORG-5",
                "--commitment",
                "Maintain the street lights",
                "--due",
                "2015-03-31",
            ],
        ),
        step(
            "2014-11-06T09:05",
            &[
                "--as",
                "PER-1",
                "consultation",
                "commit",
                "CONS-1",
                "--party",
                "ORG-14",
                "--commitment",
                "Volunteer crossing guards at school hours",
                "--due",
                "2015-01-31",
            ],
        ),
        step(
            "2015-01-20T09:00",
            &[
                "--as",
                "PER-1",
                "consultation",
                "fulfil",
                "CONS-1",
                "--commitment",
                "2",
                "--note",
                "guards on duty since January",
            ],
        ),
    ]);
    s
}

/// Case 2: a high-end compound's property dispute.
fn property_dispute() -> Vec<Step> {
    vec![
        step("2015-03-02T09:00", &["--as", "PER-1", "dispute", "file", "--title", "Owners against the developer over property management", "--subject", "Owners are dissatisfied with the property management and have fallen out with the developer.", "--party", "ORG-41=owners", "--party", "ORG-44=developer", "--party", "ORG-45=developer"]), // DISP-1
        step("2015-04-10T09:00", &["--as", "PER-1", "dispute", "mediate", "DISP-1", "--by", "ORG-41", "--outcome", "failed", "--note", "The homeowners' committee could not bring the developer to the table."]),
        step("2015-06-10T09:00", &["--as", "PER-1", "dispute", "mediate", "DISP-1", "--by", "ORG-42", "--outcome", "failed", "--note", "The residents' committee's mediation failed; the dispute grew."]),
        step("2015-07-01T09:00", &["--as", "PER-1", "dispute", "escalate", "DISP-1", "--to", "ORG-43", "--reason", "Two mediations failed; the compound's party branch steps in."]),
        step("2015-07-15T14:00", &["--as", "PER-1", "dispute", "negotiate", "DISP-1", "--presided-by", "ORG-43", "--representative", "PER-4=owners", "--representative", "PER-5=developer"]),
        step("2015-07-29T14:00", &["--as", "PER-1", "dispute", "resolve", "DISP-1", "--resolution", "Replace the property-management company that failed at its job", "--term", "The owners select a new company by public tender", "--term", "The developer hands over the maintenance records"]),
        step("2015-10-01T09:00", &["--as", "PER-1", "dispute", "implement", "DISP-1", "--note", "A new property-management company took over on 1 October."]),
        step("2015-10-15T09:00", &["--as", "PER-1", "dispute", "close", "DISP-1"]),
    ]
}

/// Case 3: a Shuangjing-style representative proposal, deliberated and voted in a Sanlitun-style
/// residents' representative assembly (secret ballot); a second proposal is returned.
fn proposal_and_ballot(tellers: &str) -> Vec<Step> {
    vec![
        step("2016-03-07T09:00", &["--as", "PER-1", "proposal", "submit", "--title", "Resident parking in the side streets after 19:00", "--body", "Parking is one of the eight difficulties: let residents park in the side streets after 19:00, with marked bays.", "--category", "parking", "--by", "PER-6", "--community", "ORG-46"]), // PROP-2
        step("2016-03-08T09:00", &["--as", "PER-1", "proposal", "cosign", "PROP-2", "--by", "PER-7"]),
        step("2016-03-08T09:30", &["--as", "PER-1", "proposal", "cosign", "PROP-2", "--by", "PER-8"]),
        step("2016-03-14T09:00", &["--as", "PER-1", "proposal", "admit", "PROP-2"]),
        step("2016-03-21T19:00", &["--as", "PER-1", "ballot", "open", "--question", "Adopt the side-street parking plan?", "--option", "yes", "--option", "no", "--option", "abstain", "--voter", "PER-6", "--voter", "PER-7", "--voter", "PER-8", "--voter", "PER-9", "--quorum", "2/3", "--threshold", "majority", "--secret", "--teller", "PER-2", "--teller", "PER-3", "--share-out", tellers, "--proposal", "PROP-2"]), // BAL-1
        step("2016-03-21T19:10", &["--as", "PER-1", "ballot", "cast", "BAL-1", "--voter", "PER-6", "--choice", "yes"]),
        step("2016-03-21T19:11", &["--as", "PER-1", "ballot", "cast", "BAL-1", "--voter", "PER-7", "--choice", "yes"]),
        step("2016-03-21T19:12", &["--as", "PER-1", "ballot", "cast", "BAL-1", "--voter", "PER-8", "--choice", "no"]),
        step("2016-03-21T19:13", &["--as", "PER-1", "ballot", "cast", "BAL-1", "--voter", "PER-9", "--choice", "yes"]),
        // Casting ends; each teller decrypts its share of the tally; the parts close the ballot.
        step("2016-03-21T19:30", &["--as", "PER-1", "ballot", "close", "BAL-1"]),
        step("2016-03-21T19:45", &[TELLERS_CLOSE, "BAL-1"]),
        step("2016-03-22T09:00", &["--as", "PER-1", "proposal", "decide", "PROP-2", "--outcome", "adopted", "--basis", "BAL-1"]),
        step("2016-03-25T09:00", &["--as", "PER-1", "proposal", "assign", "PROP-2", "--to", "ORG-46", "--due", "2016-06-30"]),
        step("2016-04-01T09:00", &["--as", "PER-1", "proposal", "submit", "--title", "A morning vegetable market in the community hall", "--body", "Buying groceries is hard for the elderly: a morning market twice a week.", "--category", "groceries", "--by", "PER-7", "--community", "ORG-46"]), // PROP-3
        step("2016-04-08T09:00", &["--as", "PER-1", "proposal", "return", "PROP-3", "--reason", "The hall is booked in the mornings; resubmit with another venue."]),
    ]
}

pub(super) fn run(g: &Globals) -> Result<(), CliError> {
    // Refuse any directory that already holds a ledger: the demo never adds to real data.
    match Ledger::init(&g.data, "Chaoyang deliberation ledger (demo)", g.clock.clone()) {
        Ok((ledger, _)) => drop(ledger),
        Err(InitError::AlreadyInitialised(dir, n)) => {
            return Err(CliError::Rejected(format!(
                "rule: the demo records into a new ledger, and {} already holds one ({n} events); choose another --data",
                dir.display()
            )))
        }
        Err(e) => return Err(e.into()),
    }
    let quiet = Globals {
        out: super::output::Output {
            json: false,
            quiet: true,
        },
        command_id: None,
        ..g.clone()
    };
    // The tellers' shares go beside the data directory, never into it (a teller keeps hers).
    let tellers = std::path::PathBuf::from(format!("{}-tellers", g.data.display()));
    std::fs::create_dir_all(&tellers)
        .map_err(|e| CliError::Usage(format!("cannot create {}: {e}", tellers.display())))?;
    if std::fs::read_dir(&tellers)
        .map(|mut d| d.next().is_some())
        .unwrap_or(false)
    {
        return Err(CliError::Rejected(format!(
            "rule: the demo writes the tellers' shares into a new directory, and {} is not empty",
            tellers.display()
        )));
    }
    let tellers_text = tellers.display().to_string();
    let steps: Vec<Step> = [
        bodies(),
        shibei(),
        property_dispute(),
        proposal_and_ballot(&tellers_text),
    ]
    .concat();
    let total = steps.len();
    for (at, args) in steps {
        if args.first().map(String::as_str) == Some(TELLERS_CLOSE) {
            tellers_close(&quiet, at, &args[1], &tellers)?;
            continue;
        }
        let argv = ["delib", "--at", at]
            .into_iter()
            .map(String::from)
            .chain(args.iter().cloned());
        let cli = Cli::try_parse_from(argv)
            .map_err(|e| CliError::Usage(format!("demo step {args:?}: {e}")))?;
        let mut step_globals = quiet.clone();
        step_globals.at = cli.global.at.clone();
        step_globals.as_person = cli.global.as_person.clone();
        dispatch(&step_globals, cli.command).map_err(|e| {
            CliError::Rejected(format!("demo step `{}` failed: {e}", args.join(" ")))
        })?;
    }
    summary(g, total)
}

/// Each teller decrypts its share of `ballot`'s tally into a part file, then the parts close it.
fn tellers_close(
    g: &Globals,
    at: &str,
    ballot: &str,
    dir: &std::path::Path,
) -> Result<(), CliError> {
    let id = super::record_cmd::service(g)?.ballot_id(ballot)?;
    let mut shares: Vec<(u32, std::path::PathBuf)> = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(crate::store::StoreError::from)? {
        let path = entry.map_err(crate::store::StoreError::from)?.path();
        if path.extension().is_some_and(|e| e == "share") {
            let (file, _) = crate::app::election::ShareFile::read(&path)?;
            if file.ballot == *id.stream_id().as_uuid() {
                shares.push((file.teller, path));
            }
        }
    }
    shares.sort();
    let mut close = vec![
        "delib".to_owned(),
        "--at".into(),
        at.into(),
        "--as".into(),
        "PER-1".into(),
        "ballot".into(),
        "close".into(),
        ballot.into(),
    ];
    for (teller, share) in &shares {
        let part = dir.join(format!("{ballot}-part-{}.json", teller + 1));
        let argv = [
            "delib",
            "ballot",
            "decrypt-share",
            ballot,
            "--share",
            &share.display().to_string(),
            "--output",
            &part.display().to_string(),
        ]
        .map(String::from);
        let cli = Cli::try_parse_from(argv).map_err(|e| CliError::Usage(e.to_string()))?;
        dispatch(g, cli.command)?;
        close.extend(["--part".into(), part.display().to_string()]);
    }
    let cli = Cli::try_parse_from(close).map_err(|e| CliError::Usage(e.to_string()))?;
    let mut step = g.clone();
    step.at = cli.global.at.clone();
    step.as_person = cli.global.as_person.clone();
    dispatch(&step, cli.command).map_err(|e| {
        CliError::Rejected(format!(
            "demo: closing {ballot} with its tellers' parts failed: {e}"
        ))
    })
}

fn summary(g: &Globals, steps: usize) -> Result<(), CliError> {
    let svc = super::record_cmd::service(g)?;
    let prepared = svc.prepare_report(
        g.time_text("from", "2014-01-01", crate::app::when::Bound::Start)?,
        g.time_text("to", "2016-12-31", crate::app::when::Bound::End)?,
    )?;
    let report = &prepared.report;
    let html = delib_projections::report::render(
        report,
        delib_projections::report::Format::Html,
        delib_projections::report::Lang::En,
    );
    let html_path = g.data.join("transparency-2014-2016.html");
    let json_path = g.data.join("transparency-2014-2016.json");
    // The files first, the checkpoint they state after (see `report transparency`).
    let html = super::output_file::Staged::with(&html_path, html.as_bytes())?;
    let json = super::output_file::Staged::with(
        &json_path,
        delib_projections::report::render(
            report,
            delib_projections::report::Format::Json,
            delib_projections::report::Lang::En,
        )
        .as_bytes(),
    )?;
    svc.record_report_checkpoint(&prepared)?;
    html.commit()?;
    json.commit()?;
    let timeline = svc.dispute_view(svc.resolve("DISP-1")?.1, None, None)?;
    let value = serde_json::json!({
        "data": g.data,
        "commands": steps,
        "events": report.ledger.size,
        "root": report.ledger.root,
        "report_html": html_path,
        "report_json": json_path,
        "proposals": report.proposals,
        "disputes": report.disputes,
        "pledges": report.pledges,
        "timeline": timeline,
    });
    g.out.emit(&value, || {
        let steps_text: Vec<String> = timeline["steps"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|s| {
                        format!(
                            "  {}  {:<31} {}",
                            s["occurred_at"].as_str().unwrap_or("").get(..10).unwrap_or(""),
                            s["kind"].as_str().unwrap_or(""),
                            svc.with_names(s["summary"].as_str().unwrap_or(""))
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        format!(
            "Recorded the article's cases into {data} ({steps} commands, {events} events, Merkle root {root}).\n\
             \n\
             Shibei (十北): PROP-1 (street lights, wall, road) adopted after hearing HEAR-1; property-rights units\n\
             pledged {money} yuan; the joint co-building meeting of 36 units (CONS-1) agreed to meet every quarter.\n\
             Jinyuan compound: DISP-1, two failed mediations, the party branch's negotiation, a new property company.\n\
             Sanlitun (三里屯): PROP-2 (parking) adopted by secret ballot BAL-1, encrypted, its tally decrypted by two\n\
             tellers (PER-2, PER-3; their shares are in {data}-tellers); PROP-3 (morning market) returned.\n\
             \n\
             The property dispute, step by step (delib dispute timeline DISP-1):\n{timeline}\n\
             \n\
             Transparency report 2014-2016: {html}\n\
             Check it against the ledger:   delib --data {data} report verify {json}\n\
             Try: delib --data {data} proposal show PROP-1 | history DISP-1 | audit verify | ballot verify BAL-1",
            data = g.data.display(),
            events = report.ledger.size,
            root = report.ledger.root,
            money = report.pledges.money_yuan,
            timeline = steps_text.join("\n"),
            html = html_path.display(),
            json = json_path.display(),
        )
    });
    Ok(())
}

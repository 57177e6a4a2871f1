//! `delib demo`: the article's cases (`../shared/DOMAIN.md`), recorded into `--data` with their
//! historical dates through the very same commands a clerk would type, then a summary, the property
//! dispute's timeline and the transparency report as a self-contained HTML file.
//!
//! The dates are illustrative (the article gives none); the bodies, practices and numbers are the
//! article's: Shibei's three-nos problem solved with 240,000 yuan from property-rights units and a
//! co-building meeting of 36 units; a compound's property dispute with two failed mediations, the party
//! branch's negotiation and a new property company; a Shuangjing-style representative proposal through
//! hearing and a Sanlitun-style assembly ballot. The data (names of bodies, titles, notes, ballot
//! options) is in Simplified Chinese as a Beijing committee writes it, with the article's own names
//! (六里屯街道十北社区, 三里屯社区); `--lang en` on a report or page translates the labels, never
//! the data. Person names are invented and live only in the erasable directory.

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
                "六里屯街道工委",
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
                "六里屯街道十北社区党委",
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
                "十北社区居委会",
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
                "十北社区共建联管联席会议",
                "--kind",
                "other",
                "--parent",
                "ORG-2",
            ],
        ), // ORG-4
    ];
    // The 36 property-rights units of Shibei (ORG-5 .. ORG-40); the first three pledge the money.
    const UNITS: [&str; 36] = [
        "六里屯房管所",
        "朝阳市政工程公司",
        "十北商业控股公司",
        "北四环印刷厂",
        "首都纺织贸易公司",
        "朝阳粮库",
        "北京轻工业研究所",
        "六里屯公交场站",
        "十北供热站",
        "东郊建材公司",
        "朝阳供电所",
        "首都电影资料馆分库",
        "京广物流货场",
        "十北小学",
        "朝阳社区卫生服务中心",
        "北京第三仪表厂",
        "六里屯邮电所",
        "十北文化站",
        "首钢宿舍管理处",
        "朝阳自来水分公司",
        "华北设计研究院",
        "六里屯市场公司",
        "十北住宅合作社",
        "朝阳林业站",
        "首都医疗用品公司",
        "北京铁路房管处",
        "十北幼儿园",
        "朝阳体育场管理处",
        "六里屯电信局",
        "东区银行宿舍",
        "北京无线电厂家属院",
        "首都机场职工宿舍",
        "十北老年活动中心",
        "朝阳消防站宿舍",
        "六里屯加油站",
        "北京水利研究所宿舍",
    ];
    for unit in UNITS {
        s.push((
            "2014-01-06",
            vec![
                "org".into(),
                "add".into(),
                "--name".into(),
                unit.to_string(),
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
                "金苑小区业主委员会",
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
                "金苑社区居委会",
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
                "金苑小区居民党支部",
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
                "金苑房地产开发有限公司",
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
                "金苑物业服务有限公司",
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
                "三里屯社区居委会",
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
                "王芳",
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
                "刘洋",
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
                "张伟",
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
                "陈静",
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
                "赵磊",
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
                "孙丽",
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
                "周敏",
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
                "吴昊",
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
                "郑辉",
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
        step("2014-03-03T09:00", &["--as", "PER-1", "proposal", "submit", "--title", "十北社区安装路灯、修建围墙、铺设路面", "--body", "十北社区是“无路灯、无围墙、无坦路”的“三无社区”，居民晚上只能摸黑走土路回家。建议安装路灯、修建围墙、铺设路面。", "--category", "infrastructure", "--by", "PER-2", "--community", "ORG-2"]), // PROP-1
        step("2014-03-04T10:00", &["--as", "PER-1", "proposal", "cosign", "PROP-1", "--by", "PER-3"]),
        step("2014-03-10T09:00", &["--as", "PER-1", "proposal", "admit", "PROP-1"]),
        step("2014-03-12T09:00", &["--as", "PER-1", "hearing", "schedule", "--topic", "十北社区路灯、围墙和路面建设民主听证会", "--on", "2014-03-20T14:00", "--venue", "十北社区居委会会议室", "--presided-by", "ORG-2", "--proposal", "PROP-1"]), // HEAR-1
        step("2014-03-13T09:00", &["--as", "PER-1", "hearing", "register", "HEAR-1", "--person", "PER-2", "--role", "representative"]),
        step("2014-03-13T09:05", &["--as", "PER-1", "hearing", "register", "HEAR-1", "--person", "PER-3", "--role", "resident"]),
        step("2014-03-20T14:00", &["--as", "PER-1", "hearing", "open", "HEAR-1"]),
        step("2014-03-20T14:10", &["--as", "PER-1", "hearing", "statement", "HEAR-1", "--by", "PER-2", "--stance", "support", "--summary", "居民晚上摸黑回家，老人在土路上摔倒过，希望尽快解决。"]),
        step("2014-03-20T14:25", &["--as", "PER-1", "hearing", "statement", "HEAR-1", "--by", "PER-3", "--stance", "neutral", "--summary", "同意，但费用应由各产权单位分担，不应由居民出钱。"]),
        step("2014-03-20T16:00", &["--as", "PER-1", "hearing", "close", "HEAR-1", "--findings", "与会居民普遍支持。社区党委负责到各产权单位协调出资出力。"]),
        step("2014-03-25T09:00", &["--as", "PER-1", "proposal", "decide", "PROP-1", "--outcome", "adopted", "--basis", "HEAR-1", "--note", "根据听证会意见予以通过。"]),
        // 或掏錢: the units pledge 240,000 yuan in all.
        step("2014-04-02T10:00", &["--as", "PER-1", "pledge", "make", "--for", "PROP-1", "--by", "ORG-5", "--money", "100000"]),
        step("2014-04-03T10:00", &["--as", "PER-1", "pledge", "make", "--for", "PROP-1", "--by", "ORG-6", "--money", "80000"]),
        // The clerk types 6,000 for the minutes' 60,000; the correction takes effect (issue 13).
        step("2014-04-04T10:00", &["--as", "PER-1", "pledge", "make", "--for", "PROP-1", "--by", "ORG-7", "--money", "6000"]),
        step("2014-04-04T16:00", &["--as", "PER-1", "correct", "PROP-1", "--event", "@latest:PROP-1:pledge.made", "--set", "amount=60000", "--reason", "会议纪要记为六万元，录入时少写一个零"]),
        step("2014-04-08T10:00", &["--as", "PER-1", "pledge", "make", "--for", "PROP-1", "--by", "ORG-8", "--labour-days", "30"]),
        step("2014-04-10T10:00", &["--as", "PER-1", "proposal", "assign", "PROP-1", "--to", "ORG-2", "--due", "2014-09-30"]),
        step("2014-05-15T10:00", &["--as", "PER-1", "pledge", "fulfil", "--for", "PROP-1", "--pledge", "1", "--note", "款项已到账"]),
        step("2014-05-16T10:00", &["--as", "PER-1", "pledge", "fulfil", "--for", "PROP-1", "--pledge", "2", "--note", "款项已到账"]),
        step("2014-05-20T10:00", &["--as", "PER-1", "pledge", "fulfil", "--for", "PROP-1", "--pledge", "3", "--note", "款项已到账"]),
        step("2014-06-30T10:00", &["--as", "PER-1", "proposal", "progress", "PROP-1", "--percent", "60", "--note", "围墙已建成，路灯正在安装"]),
        step("2014-08-20T10:00", &["--as", "PER-1", "pledge", "fulfil", "--for", "PROP-1", "--pledge", "4", "--note", "产权单位出人出力铺装路面"]),
        step("2014-09-02T10:00", &["--as", "PER-1", "proposal", "complete", "PROP-1", "--summary", "封社区、装路灯、铺路面已全部完成，社区由暗变亮、由脏而美。"]),
        // 或獻智, entered late from the paper minutes: a pledge of 9 April recorded after the completion.
        step("2014-04-09T10:00", &["--as", "PER-1", "pledge", "make", "--for", "PROP-1", "--by", "ORG-9", "--expertise", "派电工设计路灯线路"]),
        step("2014-08-25T10:00", &["--as", "PER-1", "pledge", "fulfil", "--for", "PROP-1", "--pledge", "5", "--note", "线路图已交付施工方"]),
    ];
    // The joint co-building meeting of the 36 property-rights units, meeting regularly.
    let mut convene: Vec<String> = [
        "--as",
        "PER-1",
        "consultation",
        "convene",
        "--topic",
        "十北社区2015年社区建设计划",
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
                "我单位继续承担路灯的维护费用。",
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
                "学校希望在校门口设置安全过街通道。",
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
                "共建联管联席会议每季度召开一次，研究解决社区建设大计",
                "--term",
                "各产权单位分担路灯、围墙和路面的日常维护",
            ],
        ),
        step(
            "2014-11-05T12:00",
            &[
                "--as",
                "PER-1",
                "attach",
                "CONS-1",
                "--file",
                "@file:共建联管联席会议纪要.txt",
                "--title",
                "共建联管联席会议纪要",
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
                "负责维护社区路灯",
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
                "上下学时段安排志愿者护导过街",
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
                "志愿者已于一月上岗",
            ],
        ),
    ]);
    s
}

/// Case 2: a high-end compound's property dispute.
fn property_dispute() -> Vec<Step> {
    vec![
        step(
            "2015-03-02T09:00",
            &[
                "--as",
                "PER-1",
                "dispute",
                "file",
                "--title",
                "业主与开发商物业管理纠纷",
                "--subject",
                "业主对物业管理不满意，与开发商发生纠纷。",
                "--party",
                "ORG-41=业主",
                "--party",
                "ORG-44=开发商",
                "--party",
                "ORG-45=开发商",
            ],
        ), // DISP-1
        step(
            "2015-04-10T09:00",
            &[
                "--as",
                "PER-1",
                "dispute",
                "mediate",
                "DISP-1",
                "--by",
                "ORG-41",
                "--outcome",
                "failed",
                "--note",
                "业主委员会出面调解，未能与开发商达成一致。",
            ],
        ),
        step(
            "2015-06-10T09:00",
            &[
                "--as",
                "PER-1",
                "dispute",
                "mediate",
                "DISP-1",
                "--by",
                "ORG-42",
                "--outcome",
                "failed",
                "--note",
                "居委会出面调解未成功，事情愈闹愈大。",
            ],
        ),
        step(
            "2015-07-01T09:00",
            &[
                "--as",
                "PER-1",
                "dispute",
                "escalate",
                "DISP-1",
                "--to",
                "ORG-43",
                "--reason",
                "两次调解均未成功，由小区党支部出面主持协商。",
            ],
        ),
        step(
            "2015-07-15T14:00",
            &[
                "--as",
                "PER-1",
                "dispute",
                "negotiate",
                "DISP-1",
                "--presided-by",
                "ORG-43",
                "--representative",
                "PER-4=业主",
                "--representative",
                "PER-5=开发商",
            ],
        ),
        step(
            "2015-07-29T14:00",
            &[
                "--as",
                "PER-1",
                "dispute",
                "resolve",
                "DISP-1",
                "--resolution",
                "替换不称职的物业公司",
                "--term",
                "业主通过公开招标选聘新的物业公司",
                "--term",
                "开发商移交小区设施维修养护记录",
            ],
        ),
        step(
            "2015-10-01T09:00",
            &[
                "--as",
                "PER-1",
                "dispute",
                "implement",
                "DISP-1",
                "--note",
                "新物业公司已于10月1日进驻小区。",
            ],
        ),
        step(
            "2015-10-15T09:00",
            &["--as", "PER-1", "dispute", "close", "DISP-1"],
        ),
    ]
}

/// Case 3: a Shuangjing-style representative proposal, deliberated and voted in a Sanlitun-style
/// residents' representative assembly (secret ballot); a second proposal is returned.
fn proposal_and_ballot(tellers: &str) -> Vec<Step> {
    vec![
        step(
            "2016-03-07T09:00",
            &[
                "--as",
                "PER-1",
                "proposal",
                "submit",
                "--title",
                "晚7点后居民可在小区周边支路停车",
                "--body",
                "“停车难”是居民反映的“八难”之一。建议晚上7点后允许居民在周边支路划线车位停车。",
                "--category",
                "parking",
                "--by",
                "PER-6",
                "--community",
                "ORG-46",
            ],
        ), // PROP-2
        step(
            "2016-03-08T09:00",
            &[
                "--as", "PER-1", "proposal", "cosign", "PROP-2", "--by", "PER-7",
            ],
        ),
        step(
            "2016-03-08T09:30",
            &[
                "--as", "PER-1", "proposal", "cosign", "PROP-2", "--by", "PER-8",
            ],
        ),
        step(
            "2016-03-14T09:00",
            &["--as", "PER-1", "proposal", "admit", "PROP-2"],
        ),
        step(
            "2016-03-21T19:00",
            &[
                "--as",
                "PER-1",
                "ballot",
                "open",
                "--question",
                "是否通过支路停车方案？",
                "--option",
                "赞成",
                "--option",
                "反对",
                "--option",
                "弃权",
                "--voter",
                "PER-6",
                "--voter",
                "PER-7",
                "--voter",
                "PER-8",
                "--voter",
                "PER-9",
                "--quorum",
                "2/3",
                "--threshold",
                "majority",
                "--secret",
                "--teller",
                "PER-2",
                "--teller",
                "PER-3",
                "--share-out",
                tellers,
                "--proposal",
                "PROP-2",
            ],
        ), // BAL-1
        step(
            "2016-03-21T19:10",
            &[
                "--as", "PER-1", "ballot", "cast", "BAL-1", "--voter", "PER-6", "--choice", "赞成",
            ],
        ),
        step(
            "2016-03-21T19:11",
            &[
                "--as", "PER-1", "ballot", "cast", "BAL-1", "--voter", "PER-7", "--choice", "赞成",
            ],
        ),
        step(
            "2016-03-21T19:12",
            &[
                "--as", "PER-1", "ballot", "cast", "BAL-1", "--voter", "PER-8", "--choice", "反对",
            ],
        ),
        step(
            "2016-03-21T19:13",
            &[
                "--as", "PER-1", "ballot", "cast", "BAL-1", "--voter", "PER-9", "--choice", "赞成",
            ],
        ),
        // Casting ends; each teller decrypts its share of the tally; the parts close the ballot.
        step(
            "2016-03-21T19:30",
            &["--as", "PER-1", "ballot", "close", "BAL-1"],
        ),
        step("2016-03-21T19:45", &[TELLERS_CLOSE, "BAL-1"]),
        step(
            "2016-03-22T09:00",
            &[
                "--as",
                "PER-1",
                "proposal",
                "decide",
                "PROP-2",
                "--outcome",
                "adopted",
                "--basis",
                "BAL-1",
            ],
        ),
        // The assembly votes the arrangements in the room, by a show of hands (现场表决).
        step(
            "2016-03-24T19:00",
            &[
                "--as",
                "PER-1",
                "ballot",
                "open",
                "--in-person",
                "--question",
                "支路停车划线方案是否按居民代表会议讨论的安排实施？",
                "--option",
                "赞成",
                "--option",
                "反对",
                "--option",
                "弃权",
                "--voter",
                "PER-6",
                "--voter",
                "PER-7",
                "--voter",
                "PER-8",
                "--voter",
                "PER-9",
                "--quorum",
                "2/3",
                "--threshold",
                "majority",
                "--proposal",
                "PROP-2",
            ],
        ), // BAL-2
        step(
            "2016-03-24T20:00",
            &[
                "--as",
                "PER-1",
                "ballot",
                "record-result",
                "BAL-2",
                "--count",
                "赞成=3",
                "--count",
                "弃权=1",
                "--present",
                "4",
                "--minutes",
                "@file:居民代表会议纪要.txt",
            ],
        ),
        step(
            "2016-03-25T09:00",
            &[
                "--as",
                "PER-1",
                "proposal",
                "assign",
                "PROP-2",
                "--to",
                "ORG-46",
                "--due",
                "2016-06-30",
            ],
        ),
        step(
            "2016-04-01T09:00",
            &[
                "--as",
                "PER-1",
                "proposal",
                "submit",
                "--title",
                "在社区活动室开设早市",
                "--body",
                "老年人“买菜难”：建议每周两次在社区活动室开设早市。",
                "--category",
                "groceries",
                "--by",
                "PER-7",
                "--community",
                "ORG-46",
            ],
        ), // PROP-3
        step(
            "2016-04-08T09:00",
            &[
                "--as",
                "PER-1",
                "proposal",
                "return",
                "PROP-3",
                "--reason",
                "活动室上午已有安排，请另选场地后重新提交。",
            ],
        ),
    ]
}

pub(super) fn run(g: &Globals) -> Result<(), CliError> {
    // Refuse any directory that already holds a ledger: the demo never adds to real data.
    match Ledger::init(&g.data, "朝阳区社区协商议事台账（演示）", g.clock.clone()) {
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
    // The paper minutes the clerk attaches, beside the data directory (as a clerk's scans would be).
    let files = std::path::PathBuf::from(format!("{}-documents", g.data.display()));
    write_minutes(&files)?;
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
        let args = resolve_placeholders(&quiet, &args, &files)?;
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

/// The minutes of the co-building meeting and of the assembly, as the demo's documents.
fn write_minutes(dir: &std::path::Path) -> Result<(), CliError> {
    let fail = |e: std::io::Error| CliError::Usage(format!("cannot write {}: {e}", dir.display()));
    std::fs::create_dir_all(dir).map_err(fail)?;
    for (name, text) in [
        (
            "共建联管联席会议纪要.txt",
            "十北社区共建联管联席会议纪要\n时间：2014年11月5日\n出席：36家产权单位代表\n\n一、共建联管联席会议每季度召开一次，研究解决社区建设大计。\n二、各产权单位分担路灯、围墙和路面的日常维护。\n",
        ),
        (
            "居民代表会议纪要.txt",
            "三里屯社区居民代表会议纪要\n时间：2016年3月24日\n应到代表4人，到会4人。\n\n支路停车划线方案实施安排，现场举手表决：赞成3票，反对0票，弃权1票。通过。\n",
        ),
    ] {
        std::fs::write(dir.join(name), text).map_err(fail)?;
    }
    Ok(())
}

/// A step's arguments with `@file:NAME` (a file of the demo's documents) and `@latest:REF:KIND`
/// (the position of the latest event of that kind in the entity's history) filled in.
fn resolve_placeholders(
    g: &Globals,
    args: &[String],
    files: &std::path::Path,
) -> Result<Vec<String>, CliError> {
    args.iter()
        .map(|a| {
            if let Some(name) = a.strip_prefix("@file:") {
                return Ok(files.join(name).display().to_string());
            }
            let Some((reference, kind)) =
                a.strip_prefix("@latest:").and_then(|r| r.split_once(':'))
            else {
                return Ok(a.clone());
            };
            let history = super::record_cmd::service(g)?.history(reference)?;
            history
                .as_array()
                .and_then(|h| h.iter().rev().find(|e| e["kind"] == kind))
                .and_then(|e| e["position"].as_u64())
                .map(|p| p.to_string())
                .ok_or_else(|| CliError::Usage(format!("demo: no {kind} in {reference}")))
        })
        .collect()
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

/// A word as a POSIX shell reads it back: as is when it holds only safe characters, else in single
/// quotes (a quote inside becomes `'\\''`).
fn shell_word(word: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c);
    if !word.is_empty() && word.chars().all(safe) {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// The commands the summary suggests, each a complete shell line: the program as it was invoked
/// (`delib` on PATH, or `./target/release/delib`), the data directory quoted when it needs it.
fn try_lines(data: &std::path::Path) -> Vec<String> {
    let program = std::env::args()
        .next()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "delib".into());
    let prefix = format!(
        "{} --data {}",
        shell_word(&program),
        shell_word(&data.display().to_string())
    );
    [
        "proposal show PROP-1",
        "history DISP-1",
        "audit verify",
        "ballot verify BAL-1",
    ]
    .iter()
    .map(|rest| format!("  {prefix} {rest}"))
    .collect()
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
             Try (each line pastes into a shell):\n{try_lines}",
            try_lines = try_lines(&g.data).join("\n"),
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

//! Safe retries (issue 12, finding 9): `--command-id UUID` makes a re-run record nothing and print
//! the first result; the same id with another command is refused; a storage failure names the id.

use crate::support::Ledger;

const ID: &str = "0190f3a4-5b6c-7d8e-9f00-112233445566";
const OTHER: &str = "0190f3a4-5b6c-7d8e-9f00-665544332211";

#[test]
fn the_same_command_id_twice_records_once_and_prints_the_same() {
    // given a ledger with a person
    let l = Ledger::new();
    let per = l.create(&["person", "add", "--name", "Wang Fang"]);
    let submit = |id: &str, title: &str| {
        l.run(&[
            "--json",
            "--command-id",
            id,
            "proposal",
            "submit",
            "--title",
            title,
            "--body",
            "Lines",
            "--category",
            "parking",
            "--by",
            &per,
        ])
    };
    // when a proposal is submitted with a command id, and the command is run again
    let first = submit(ID, "Parking");
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let after_first = l.head();
    let again = submit(ID, "Parking");
    // then the second run succeeds, prints the same and records nothing
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(again.stdout, first.stdout);
    assert_eq!(l.head(), after_first);
    let listed = l.json(&["proposal", "list"]);
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");

    // a non-creating act too: admitting twice with one id is not "already admitted"
    let admit = |id: &str| l.run(&["--json", "--command-id", id, "proposal", "admit", "PROP-1"]);
    let a1 = admit(OTHER);
    assert!(a1.status.success());
    let size = l.head();
    let a2 = admit(OTHER);
    assert!(
        a2.status.success(),
        "{}",
        String::from_utf8_lossy(&a2.stderr)
    );
    assert_eq!(a2.stdout, a1.stdout);
    assert_eq!(l.head(), size);
}

#[test]
fn the_same_command_id_for_another_command_is_refused() {
    let l = Ledger::new();
    let per = l.create(&["person", "add", "--name", "Wang Fang"]);
    let submit = |title: &str| {
        l.run(&[
            "--command-id",
            ID,
            "proposal",
            "submit",
            "--title",
            title,
            "--body",
            "Lines",
            "--category",
            "parking",
            "--by",
            &per,
        ])
    };
    assert!(submit("Parking").status.success());
    let before = l.head();
    let other = submit("Lifts");
    assert_eq!(other.status.code(), Some(1));
    let err = String::from_utf8_lossy(&other.stderr);
    assert!(
        err.contains(&format!(
            "command id {ID} was already used for a different command"
        )),
        "{err}"
    );
    assert_eq!(l.head(), before);

    // a person's name is compared with the directory; the same name is a retry
    let add = |name: &str| {
        l.run(&[
            "--json",
            "--command-id",
            OTHER,
            "person",
            "add",
            "--name",
            name,
        ])
    };
    let p1 = add("Li Wei");
    assert!(p1.status.success());
    let size = l.head();
    let p2 = add("Li Wei");
    assert_eq!(p2.stdout, p1.stdout);
    let p3 = add("Zhao Min");
    assert_eq!(
        p3.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&p3.stderr)
    );
    assert_eq!(l.head(), size);
    // and no name was left behind for a person never recorded
    let people = std::fs::read_dir(l.dir().join("people"))
        .expect("people")
        .count();
    assert_eq!(people, 2, "one name file per recorded person");
    // a command id that is not a UUID is a usage error
    let (code, err) = l.fail(&["--command-id", "nope", "person", "add", "--name", "X"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn a_storage_failure_names_the_command_id_to_retry_with() {
    // given a ledger whose database file cannot be opened (a directory in its place)
    let l = Ledger::new();
    let db = l.dir().join("sled").join("db");
    std::fs::remove_file(&db).expect("remove db");
    std::fs::create_dir(&db).expect("dir");
    // when a recording command runs, with or without an id
    let (code, err) = l.fail(&["--command-id", ID, "person", "add", "--name", "Wang Fang"]);
    // then exit 3, naming the id to retry with
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains(&format!("retry with --command-id {ID}")),
        "{err}"
    );
    let (code, err) = l.fail(&["person", "add", "--name", "Wang Fang"]);
    assert_eq!(code, 3, "{err}");
    let named = err
        .split("retry with --command-id ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("an id in the message");
    assert!(uuid::Uuid::parse_str(named).is_ok(), "{err}");
}

//! Helpers for store tests: fresh stores in temporary directories, simple requests.

use delib::clock::FixedClock;
use delib::store::{AppendRequest, ExpectedVersion, NewEvent, SledStore, StoreOptions};
use delib_events::{CommandId, Event, StreamId, StreamKind, TestEvent, Timestamp};
use std::path::Path;
use std::sync::Arc;

pub fn open_sled(dir: &Path) -> SledStore {
    let options = StoreOptions {
        create: true,
        clock: Arc::new(FixedClock::new(Timestamp::from_micros(
            1_700_000_000_000_000,
        ))),
        ..StoreOptions::default()
    };
    SledStore::open(dir, options).expect("open store")
}

pub fn note(text: &str, seq: u64) -> NewEvent {
    NewEvent::new(
        Event::Test(TestEvent::TestNoted {
            text: text.into(),
            seq,
        }),
        Timestamp::from_micros(seq as i64),
    )
}

pub fn new_stream() -> StreamId {
    StreamId::from_uuid(uuid::Uuid::now_v7())
}

pub fn new_command() -> CommandId {
    CommandId::from_uuid(uuid::Uuid::now_v7())
}

pub fn request(
    stream: StreamId,
    expected: ExpectedVersion,
    events: Vec<NewEvent>,
) -> AppendRequest {
    AppendRequest::single(new_command(), stream, StreamKind::Test, expected, events)
}

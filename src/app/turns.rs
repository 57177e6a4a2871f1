//! Turns per entity: commands on one entity from several threads of this process (clerks at several
//! desks, through the server) take turns, so they do not conflict and lose round after round; commands
//! on different entities never wait for each other (no stripes shared by unrelated streams). Creations
//! take no turn: their stream is new and the writer gives them their number.

use delib_events::StreamId;
use std::collections::HashSet;
use std::sync::{Condvar, Mutex};

/// The streams some thread of this process is deciding and appending on.
#[derive(Debug, Default)]
pub struct Turns {
    busy: Mutex<HashSet<StreamId>>,
    freed: Condvar,
}

/// Holds a stream's turn until dropped.
#[derive(Debug)]
pub struct Turn<'a> {
    turns: &'a Turns,
    stream: StreamId,
}

impl Turns {
    /// Waits until no other thread holds `stream`'s turn, then takes it.
    pub fn take(&self, stream: StreamId) -> Turn<'_> {
        let mut busy = self.busy.lock().unwrap_or_else(|p| p.into_inner());
        while busy.contains(&stream) {
            busy = self.freed.wait(busy).unwrap_or_else(|p| p.into_inner());
        }
        busy.insert(stream);
        Turn {
            turns: self,
            stream,
        }
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        let mut busy = self.turns.busy.lock().unwrap_or_else(|p| p.into_inner());
        busy.remove(&self.stream);
        drop(busy);
        self.turns.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    #[test]
    fn one_stream_takes_turns_and_another_stream_does_not_wait() {
        // given a turn held on stream a
        let turns = Arc::new(Turns::default());
        let a = StreamId::from_uuid(uuid::Uuid::from_u128(1));
        let b = StreamId::from_uuid(uuid::Uuid::from_u128(2));
        let held = turns.take(a);
        // when another thread asks for a, and this one for b
        let inside = Arc::new(AtomicU32::new(0));
        let waiter = {
            let (turns, inside) = (turns.clone(), inside.clone());
            std::thread::spawn(move || {
                let _t = turns.take(a);
                inside.fetch_add(1, Ordering::SeqCst);
            })
        };
        let other = turns.take(b);
        // then b is granted at once while a waits until the holder lets go
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(inside.load(Ordering::SeqCst), 0, "a is still held");
        drop(other);
        drop(held);
        waiter.join().unwrap();
        assert_eq!(inside.load(Ordering::SeqCst), 1);
    }
}

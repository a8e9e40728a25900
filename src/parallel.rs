//! Order-preserving parallel maps over a slice, on all cores (at most 8 threads).
//!
//! Reading and parsing thousands of independent revision files is where the
//! compiler uses more than one core. Results come back in input order, so the
//! output stays deterministic. A panicking worker (a bug) does not abort the run:
//! its items get `on_panic`'s value, which reports an internal error.

use std::sync::{Condvar, Mutex};

/// How many results [`stream_in_order`] computes ahead of its consumer: enough to
/// keep the consumer busy, few enough that memory stays flat.
const AHEAD: usize = 64;

fn worker_count() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8)
}

pub fn map_in_order<T, R, F, P>(items: &[T], f: F, on_panic: P) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
    P: Fn(&T) -> R,
{
    let threads = worker_count();
    let chunk = items.len().div_ceil(threads).max(1);
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .zip(items.chunks(chunk))
            .flat_map(|(h, part)| {
                h.join()
                    .unwrap_or_else(|_| part.iter().map(&on_panic).collect())
            })
            .collect()
    })
}

/// Compute `f` of every item and hand the results to `consume` on the calling
/// thread, in input order, as they come: helper threads compute the items after
/// the one being consumed (at most [`AHEAD`] waiting), and the calling thread,
/// when the result it needs next is not ready, computes a further item itself
/// instead of waiting. So a slow consumer gets the other cores to itself, and a
/// fast one helps compute: one helper fewer than cores, none oversubscribed.
pub fn stream_in_order<T, R, F, P, C>(items: &[T], f: F, on_panic: P, mut consume: C)
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
    P: Fn(&T) -> R,
    C: FnMut(R),
{
    let n = items.len();
    let helpers = worker_count().saturating_sub(1).min(n);
    let window = Window {
        state: Mutex::new(WindowState {
            ring: (0..AHEAD).map(|_| None).collect(),
            next: 0,
            consumed: 0,
            helpers_waiting: 0,
            consumer_waiting: false,
        }),
        changed: Condvar::new(),
    };
    // `None`: `f` panicked on that item (a bug); the consumer substitutes `on_panic`.
    let compute = |j: usize| -> Option<R> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&items[j]))).ok()
    };
    std::thread::scope(|s| {
        for _ in 0..helpers {
            s.spawn(|| {
                while let Some(j) = window.claim(n, true) {
                    window.fill(j, compute(j));
                }
            });
        }
        // Should `consume` panic, the helpers must not wait for room forever.
        let _close = CloseOnDrop(&window, n);
        for (i, item) in items.iter().enumerate() {
            let result = loop {
                if let Some(r) = window.take(i) {
                    break r;
                }
                match window.claim(n, false) {
                    Some(j) => window.fill(j, compute(j)),
                    None => window.wait_for(i, n),
                }
            };
            consume(result.unwrap_or_else(|| on_panic(item)));
        }
    });
}

/// Marks every item claimed, waking the helpers so they stop.
struct CloseOnDrop<'w, R>(&'w Window<R>, usize);

impl<R> Drop for CloseOnDrop<'_, R> {
    fn drop(&mut self) {
        self.0.lock().next = self.1;
        self.0.changed.notify_all();
    }
}

/// The items claimed but not yet consumed, in a ring of [`AHEAD`] slots.
struct Window<R> {
    state: Mutex<WindowState<R>>,
    changed: Condvar,
}

struct WindowState<R> {
    /// Item `j`'s result waits in slot `j % AHEAD` (`Some(None)`: it panicked).
    ring: Vec<Option<Option<R>>>,
    /// The next item to claim.
    next: usize,
    /// Items handed to the consumer so far.
    consumed: usize,
    /// Helpers asleep until the window has room, and whether the consumer is
    /// asleep until its item is done: a wake-up is a system call, made only for
    /// someone asleep.
    helpers_waiting: usize,
    consumer_waiting: bool,
}

impl<R> Window<R> {
    fn lock(&self) -> std::sync::MutexGuard<'_, WindowState<R>> {
        // A panic never happens while the lock is held (`f` runs outside it).
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The next item to compute, if the window has room; a helper (`wait`)
    /// sleeps until it has, and gets `None` only when every item is claimed.
    fn claim(&self, n: usize, wait: bool) -> Option<usize> {
        let mut st = self.lock();
        loop {
            if st.next >= n {
                return None;
            }
            if st.next < st.consumed + AHEAD {
                st.next += 1;
                return Some(st.next - 1);
            }
            if !wait {
                return None;
            }
            st.helpers_waiting += 1;
            st = self.changed.wait(st).unwrap_or_else(|e| e.into_inner());
            st.helpers_waiting -= 1;
        }
    }

    fn fill(&self, j: usize, result: Option<R>) {
        let mut st = self.lock();
        st.ring[j % AHEAD] = Some(result);
        let wake = st.consumer_waiting;
        drop(st);
        if wake {
            self.changed.notify_all();
        }
    }

    /// Item `i`'s result, if computed (then the window moves on).
    fn take(&self, i: usize) -> Option<Option<R>> {
        let mut st = self.lock();
        let r = st.ring[i % AHEAD].take()?;
        st.consumed = i + 1;
        // Sleeping helpers are woken once half the window is free, not for every
        // item: each wake-up costs two context switches.
        let wake = st.helpers_waiting > 0 && st.next <= st.consumed + AHEAD / 2;
        drop(st);
        if wake {
            self.changed.notify_all();
        }
        Some(r)
    }

    /// Sleep until item `i` is computed or the window has room again.
    fn wait_for(&self, i: usize, n: usize) {
        let mut st = self.lock();
        let can_claim = st.next < n && st.next < st.consumed + AHEAD;
        if st.ring[i % AHEAD].is_none() && !can_claim {
            st.consumer_waiting = true;
            let mut st = self.changed.wait(st).unwrap_or_else(|e| e.into_inner());
            st.consumer_waiting = false;
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_input_order() {
        let items: Vec<u32> = (0..1000).collect();
        let out = super::map_in_order(&items, |i| i * 2, |_| 0);
        assert_eq!(out, items.iter().map(|i| i * 2).collect::<Vec<_>>());
    }

    #[test]
    fn streams_in_input_order() {
        let items: Vec<u32> = (0..1000).collect();
        let mut out = Vec::new();
        super::stream_in_order(&items, |i| i * 2, |_| 0, |r| out.push(r));
        assert_eq!(out, items.iter().map(|i| i * 2).collect::<Vec<_>>());
    }

    #[test]
    fn a_panicking_consumer_does_not_hang_the_helpers() {
        let items: Vec<u32> = (0..10_000).collect();
        let run = std::panic::catch_unwind(|| {
            super::stream_in_order(&items, |i| *i, |_| 0, |r| assert!(r < 10, "stop"));
        });
        assert!(run.is_err());
    }

    #[test]
    fn a_panicking_item_gets_the_fallback() {
        let items: Vec<u32> = (0..100).collect();
        let mut out = Vec::new();
        super::stream_in_order(
            &items,
            |&i| if i == 50 { panic!("bug") } else { i },
            |_| u32::MAX,
            |r| out.push(r),
        );
        assert_eq!(out.len(), 100);
        assert_eq!(out[50], u32::MAX);
        assert_eq!(out[49], 49);
    }
}

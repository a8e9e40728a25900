//! Order-preserving parallel maps over a slice, on all cores (at most 8 threads).
//!
//! Reading and parsing thousands of independent revision files is where the
//! compiler uses more than one core. Results come back in input order, so the
//! output stays deterministic. A panicking worker (a bug) does not abort the run:
//! its items get `on_panic`'s value, which reports an internal error.

/// How many results each worker of [`stream_in_order`] may compute ahead of the
/// consumer: enough to keep it busy, few enough that memory stays flat.
const AHEAD: usize = 32;

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

/// Compute `f` of every item on worker threads and hand the results to `consume`
/// on the calling thread, in input order, as they come: the consumer works on
/// item `i` while the workers compute the items after it, and at most a few
/// results per worker wait in memory. Worker `w` takes items `w`, `w + n`, ...
/// and the consumer reads the workers in turn, so no reordering buffer is needed.
pub fn stream_in_order<T, R, F, P, C>(items: &[T], f: F, on_panic: P, mut consume: C)
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
    P: Fn(&T) -> R,
    C: FnMut(R),
{
    let threads = worker_count().min(items.len()).max(1);
    let f = &f;
    std::thread::scope(|s| {
        let mut handles = Vec::with_capacity(threads);
        let receivers: Vec<_> = (0..threads)
            .map(|w| {
                let (tx, rx) = std::sync::mpsc::sync_channel(AHEAD);
                handles.push(s.spawn(move || {
                    for item in items.iter().skip(w).step_by(threads) {
                        if tx.send(f(item)).is_err() {
                            return;
                        }
                    }
                }));
                rx
            })
            .collect();
        for (i, item) in items.iter().enumerate() {
            // A closed channel: the worker panicked at this item or before it.
            let r = receivers[i % threads]
                .recv()
                .unwrap_or_else(|_| on_panic(item));
            consume(r);
        }
        drop(receivers);
        // Joined here, a panicked worker is not re-raised by the scope.
        for h in handles {
            let _ = h.join();
        }
    });
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

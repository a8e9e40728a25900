//! Order-preserving parallel map over a slice, on all cores (at most 8 threads).
//!
//! Reading and parsing thousands of independent revision files is the one place
//! the compiler uses more than one core. Results come back in input order, so the
//! output stays deterministic. A panicking worker (a bug) does not abort the run:
//! its items get `on_panic`'s value, which reports an internal error.

pub fn map_in_order<T, R, F, P>(items: &[T], f: F, on_panic: P) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
    P: Fn(&T) -> R,
{
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
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

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_input_order() {
        let items: Vec<u32> = (0..1000).collect();
        let out = super::map_in_order(&items, |i| i * 2, |_| 0);
        assert_eq!(out, items.iter().map(|i| i * 2).collect::<Vec<_>>());
    }
}

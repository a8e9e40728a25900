//! The global allocator of the binary and the benches: mimalloc.
//!
//! glibc's malloc was a fifth of the profile (many small strings in the IR and
//! the model); mimalloc's thread-local free lists halve that (BENCHMARKS.md).
//! Install it with `#[global_allocator] static A: migc::alloc::MiMalloc = migc::alloc::MiMalloc;`.

/// mimalloc, called without the alignment argument when the alignment is the
/// one every block has anyway. The `mimalloc` crate always calls the `_aligned`
/// entry points, whose extra checks were 2 % (PostgreSQL) to 2.7 % (SQLite) of
/// all instructions on the 1,000-revision bench (half a million allocations).
pub struct MiMalloc;

/// Every mimalloc block is aligned to a machine word (the smallest block is one
/// word); larger alignments go through the `_aligned` calls.
const WORD: usize = std::mem::size_of::<usize>();

// SAFETY (all four): the calls are mimalloc's malloc/free family, which return
// null on failure and accept any pointer they returned; blocks from the plain
// and the `_aligned` calls are freed and reallocated alike (mimalloc documents
// `mi_free` and `mi_realloc_aligned` for both).
unsafe impl std::alloc::GlobalAlloc for MiMalloc {
    #[inline]
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        use libmimalloc_sys::{mi_malloc, mi_malloc_aligned};
        if layout.align() <= WORD {
            mi_malloc(layout.size()).cast()
        } else {
            mi_malloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        use libmimalloc_sys::{mi_zalloc, mi_zalloc_aligned};
        if layout.align() <= WORD {
            mi_zalloc(layout.size()).cast()
        } else {
            mi_zalloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: std::alloc::Layout) {
        libmimalloc_sys::mi_free(ptr.cast());
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        use libmimalloc_sys::{mi_realloc, mi_realloc_aligned};
        if layout.align() <= WORD {
            mi_realloc(ptr.cast(), new_size).cast()
        } else {
            mi_realloc_aligned(ptr.cast(), new_size, layout.align()).cast()
        }
    }
}

//! The process's memory: small blocks from mimalloc, large ones from the system's malloc.
//!
//! A scan makes and drops a few dozen small blocks a file on every thread (a name's
//! tokens, a file's facts, read on one thread and freed on the writer), which glibc's
//! malloc serves with locks and consolidations: 13% of the reading threads' CPU. mimalloc
//! serves them from per-thread pages; a 100,000-file first scan took 1.87 → 1.62 s (7
//! alternated runs, medians), a million-file one 20.0 → 17.3–18.3 s. Large blocks stay
//! with the system: with mimalloc for everything, a million-file no-change rescan (its
//! snapshot table and file list are a few large blocks) peaked at 276–289 MB instead of 220
//! and ran slower; split here, 232 MB and as fast.

use std::alloc::{GlobalAlloc, Layout, System};

use mimalloc::MiMalloc;

/// Blocks up to this size are small. A file's own data is far below it; the tables and
/// buffers of a whole scan are far above.
const SMALL: usize = 32 << 10;

/// The allocator: which side a block is on follows from its size alone, so `dealloc`, which
/// gets the block's layout back, always returns it to the side it came from.
pub struct Split;

fn small(size: usize) -> bool {
    size <= SMALL
}

/// The allocator a block of this size comes from and goes back to.
fn side(size: usize) -> &'static dyn GlobalAlloc {
    if small(size) { &MiMalloc } else { &System }
}

// SAFETY: every method forwards to an allocator that upholds `GlobalAlloc`'s contract,
// chosen by the block's size; a block's layout is the same at its `dealloc` as at its
// allocation (the contract), so it goes back where it came from. A `realloc` across the
// line allocates on the other side, copies the smaller of the two sizes and frees the old
// block, as the contract's default does.
unsafe impl GlobalAlloc for Split {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        // SAFETY: the caller's contract (a non-zero size) is passed on unchanged.
        unsafe { side(l.size()).alloc(l) }
    }

    unsafe fn alloc_zeroed(&self, l: Layout) -> *mut u8 {
        // SAFETY: as `alloc`.
        unsafe { side(l.size()).alloc_zeroed(l) }
    }

    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        // SAFETY: `p` came from `alloc` with this layout, so from this side.
        unsafe { side(l.size()).dealloc(p, l) }
    }

    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        if small(l.size()) == small(new) {
            // SAFETY: that side's realloc, under the same contract.
            return unsafe { side(new).realloc(p, l, new) };
        }
        // SAFETY: across the line: `new` with `l`'s alignment is a valid layout (the
        // caller's contract); the new block holds at least `min(old, new)` bytes and does not
        // overlap the old one, which goes back to its side.
        unsafe {
            let q = self.alloc(Layout::from_size_align_unchecked(new, l.align()));
            if !q.is_null() {
                std::ptr::copy_nonoverlapping(p, q, l.size().min(new));
                self.dealloc(p, l);
            }
            q
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A block that grows and shrinks across the line keeps every byte, on both sides.
    #[test]
    fn a_block_keeps_its_bytes_across_the_line() {
        let pattern = |n: usize| (0..n).map(|i| (i * 31 % 251) as u8).collect::<Vec<u8>>();
        let mut v = pattern(1000);
        for n in [SMALL - 1, SMALL, SMALL + 1, 4 * SMALL, 200_000] {
            v.extend((v.len()..n).map(|i| (i * 31 % 251) as u8));
            let want = pattern(n);
            let first_bad = v.iter().zip(&want).position(|(a, b)| a != b);
            assert!(
                v.len() == n && first_bad.is_none(),
                "grown to {n}: len {} first bad {first_bad:?}",
                v.len()
            );
        }
        for n in [3 * SMALL, SMALL + 1, SMALL, 17, 0] {
            v.truncate(n);
            v.shrink_to_fit();
            assert!(v == pattern(n), "shrunk to {n}");
        }
    }

    /// Large alignments are honored on both sides and across.
    #[test]
    fn alignment_is_kept_on_both_sides() {
        for (size, align) in [(64, 4096), (SMALL, 64), (SMALL + 1, 4096), (1 << 20, 64)] {
            let l = Layout::from_size_align(size, align).unwrap();
            // SAFETY: a non-zero size; the block is freed with its layout.
            unsafe {
                let p = Split.alloc_zeroed(l);
                assert!(!p.is_null());
                assert_eq!(p as usize % align, 0, "{size}/{align}");
                assert!(std::slice::from_raw_parts(p, size).iter().all(|&b| b == 0));
                p.write_bytes(7, size);
                let bigger = if small(size) { 2 * SMALL } else { 16 };
                let q = Split.realloc(p, l, bigger);
                assert_eq!(q as usize % align, 0, "{size}/{align} → {bigger}");
                assert!(
                    std::slice::from_raw_parts(q, size.min(bigger))
                        .iter()
                        .all(|&b| b == 7)
                );
                Split.dealloc(q, Layout::from_size_align(bigger, align).unwrap());
            }
        }
    }
}

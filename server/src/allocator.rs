//! The `accord` binary allocates with mimalloc (see `server/Cargo.toml` and
//! docs/PERFORMANCE.md, issue 17): rendering a page allocates many small
//! strings on every thread, and glibc's malloc spent about a sixth of an
//! uncached render in its own code.
//!
//! mimalloc's default on Linux commits each arena it reserves eagerly. The
//! pages it then frees are kept resident, and the server's peak RSS under the
//! seed's read load rose from 39.9 MB (glibc) to 64.6 MB, over the 50 MB
//! target; with eager arena commit off it was 44.1 MB at the same speed. The
//! option is set here, from the binary, so that no operator has to know the
//! environment variable (`MIMALLOC_ARENA_EAGER_COMMIT=0`); it overrides that
//! variable.

use libmimalloc_sys::{mi_option_get, mi_option_set, mi_option_t};

/// `mi_option_arena_eager_commit` in the `mimalloc.h` that
/// libmimalloc-sys 0.1.49 builds (v3, and v2 alike): the fifth option. The
/// Rust bindings name no constant for it.
const ARENA_EAGER_COMMIT: mi_option_t = 4;

/// Turns eager arena commit off. It must run before the first allocation:
/// mimalloc reserves its first arena then, with the policy in force then,
/// and Rust's runtime allocates before `main` (the `accord` binary calls
/// this from a constructor, `server/src/main.rs`).
pub fn commit_arenas_lazily() {
    // SAFETY: setting an option is a plain store into mimalloc's option
    // table, allowed at any time; the option is read when an arena is
    // reserved.
    unsafe { mi_option_set(ARENA_EAGER_COMMIT, 0) };
}

/// The arena commit policy now in force (0: lazy, 1: eager, 2: eager where
/// the OS overcommits).
pub fn arena_commit_policy() -> std::ffi::c_long {
    // SAFETY: reading an option has no precondition.
    unsafe { mi_option_get(ARENA_EAGER_COMMIT) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Option 4 is the arena commit policy: its default, 2, is the only
    /// option of that value among its neighbours (3 and 5 default to 1), so
    /// a renumbered `mimalloc.h` fails here. The only test that touches it
    /// (the test binary has no constructor setting it).
    #[test]
    fn option_four_is_the_arena_commit_policy_and_turns_lazy() {
        assert_eq!(
            arena_commit_policy(),
            2,
            "mimalloc's default: eager where the OS overcommits"
        );
        commit_arenas_lazily();
        assert_eq!(arena_commit_policy(), 0);
    }
}

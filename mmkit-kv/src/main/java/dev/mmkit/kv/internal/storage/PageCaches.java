package dev.mmkit.kv.internal.storage;

/**
 * PageCaches is what one process remembers of the page versions it verified, shared by every
 * snapshot of a store: which versions passed their checks ({@link VerifiedPages}) and the search
 * keys of verified branch pages ({@link BranchIndex}).
 *
 * @param verified the page versions verified
 * @param branches the decoded branch pages
 */
record PageCaches(VerifiedPages verified, BranchIndex branches) {
  /** Returns empty caches. */
  PageCaches() {
    this(new VerifiedPages(), new BranchIndex());
  }

  /** Forgets every page, as when page versions may have been judged from a commit set aside. */
  void clear() {
    verified.clear();
    branches.clear();
  }
}

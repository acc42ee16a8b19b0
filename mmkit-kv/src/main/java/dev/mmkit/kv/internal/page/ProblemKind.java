package dev.mmkit.kv.internal.page;

import dev.mmkit.kv.DbProblem;
import dev.mmkit.kv.DbProblem.Severity;

/**
 * ProblemKind is every kind of problem the checker reports, each with its severity and the fixed
 * phrase users see as {@link DbProblem#kind()}. {@link PageCheck} finds the kinds that one page's
 * bytes show; the checker ({@code Inspector}) finds the rest while walking the database.
 */
public enum ProblemKind {
  /** The newest commit was set aside when the database was opened. */
  COMMIT_SET_ASIDE(Severity.COMMIT, "newest commit set aside at open"),
  /** A meta page fails its checks. */
  META_PAGE_UNREADABLE(Severity.COMMIT, "meta page unreadable"),

  /** The write-ahead log would not replay to the newest commit after a restart. */
  LOG_INCOMPLETE(Severity.COMMIT, "write-ahead log would not replay to the newest commit"),
  /** The page's own id is not the id it was reached by. */
  PAGE_ID_MISMATCH(Severity.STRUCTURE, "page id mismatch"),
  /** The page was written by another transaction than its reference expects. */
  TXID_MISMATCH(Severity.STRUCTURE, "txid mismatch (stale or misplaced page)"),
  /** The page type is none of branch, leaf, overflow or freelist. */
  BAD_PAGE_TYPE(Severity.STRUCTURE, "bad page type"),
  /** A page that is not an overflow run says it has following pages. */
  SINGLE_PAGE_CLAIMS_OVERFLOW(Severity.STRUCTURE, "single page claims overflow"),
  /** The page's checksum does not match its bytes. */
  CHECKSUM_MISMATCH(Severity.STRUCTURE, "checksum mismatch"),
  /** A leaf has a level above 0. */
  LEAF_WITH_LEVEL(Severity.STRUCTURE, "leaf with level"),
  /** A branch's level is outside the levels a tree can have. */
  BAD_BRANCH_LEVEL(Severity.STRUCTURE, "bad branch level"),
  /** A branch or leaf has no elements, or more than fit in the page. */
  BAD_ELEMENT_COUNT(Severity.STRUCTURE, "bad element count"),
  /** A leaf entry's flags are none of inline, overflow or bucket. */
  BAD_ENTRY_FLAGS(Severity.STRUCTURE, "bad entry flags"),
  /** A leaf entry's value length is negative, too large, or wrong for a bucket header. */
  BAD_VALUE_LENGTH(Severity.STRUCTURE, "bad value length"),
  /** A key is empty or longer than the largest key. */
  BAD_KEY_LENGTH(Severity.STRUCTURE, "bad key length"),
  /** An entry's key or value lies outside the page's data area. */
  ENTRY_OUTSIDE_PAGE(Severity.STRUCTURE, "entry outside page"),
  /** A page's keys are not in strictly ascending order. */
  KEYS_OUT_OF_ORDER(Severity.STRUCTURE, "keys out of order"),
  /** A branch element names a meta page, or a txid that cannot be. */
  BAD_CHILD_REFERENCE(Severity.STRUCTURE, "bad child reference"),
  /** A leaf's overflow reference or bucket header names a meta page, or a txid that cannot be. */
  BAD_PAGE_REFERENCE(Severity.STRUCTURE, "bad page reference"),
  /** A freelist page has a level, or more longs than fit in it. */
  BAD_FREELIST_COUNT(Severity.STRUCTURE, "bad freelist count"),
  /** A freelist page's link to the next one names a meta page, or a txid that cannot be. */
  BAD_FREELIST_LINK(Severity.STRUCTURE, "bad freelist link"),
  /** A page reached from a bucket's tree is neither a branch nor a leaf. */
  NOT_A_TREE_PAGE(Severity.STRUCTURE, "expected a branch or leaf page"),
  /** A tree page's level is not one below its parent's. */
  TREE_LEVEL_MISMATCH(Severity.STRUCTURE, "tree level mismatch"),
  /** An overflow run's header disagrees with the reference to it. */
  BAD_OVERFLOW_HEADER(Severity.STRUCTURE, "bad overflow run header"),
  /** A page holds a key below its parent's separator for it. */
  KEY_BELOW_SEPARATOR(Severity.STRUCTURE, "key below its parent's separator"),
  /** A page holds a key at or above the separator of its next sibling. */
  KEY_AT_OR_ABOVE_NEXT_SEPARATOR(Severity.STRUCTURE, "key at or above the next separator"),
  /** A reference names pages outside the database. */
  PAGE_OUT_OF_RANGE(Severity.STRUCTURE, "page id out of range"),
  /** A page is reached a second time: a cycle, or a page shared by two owners. */
  PAGE_REACHABLE_TWICE(Severity.STRUCTURE, "page reachable twice (cycle or shared page)"),
  /** The freelist cannot be read, so free and pending pages are unknown. */
  FREELIST_UNREADABLE(Severity.STRUCTURE, "freelist unreadable"),
  /** Buckets are nested deeper than the checker walks. */
  NESTING_TOO_DEEP(Severity.STRUCTURE, "buckets nested deeper than " + NodeLayout.MAX_BUCKET_DEPTH),
  /** A bucket's header counts other keys than its tree holds. */
  KEY_COUNT_MISMATCH(Severity.COUNT, "bucket key count mismatch"),
  /** A bucket without a root page claims to hold keys. */
  EMPTY_BUCKET_CLAIMS_KEYS(Severity.COUNT, "empty bucket claims keys"),
  /** A page is neither reachable nor free, so it is never reused. */
  LEAKED(Severity.SPACE, "page is neither in use nor free (leaked)");

  private final Severity severity;
  private final String phrase;

  ProblemKind(Severity severity, String phrase) {
    this.severity = severity;
    this.phrase = phrase;
  }

  /** Returns the phrase that names the kind, as {@link DbProblem#kind()} gives it. */
  public String phrase() {
    return phrase;
  }

  /** Returns a problem of this kind on {@code page} (-1 for none) with {@code detail}. */
  public DbProblem on(long page, String detail) {
    return new DbProblem(severity, phrase, page, detail);
  }
}

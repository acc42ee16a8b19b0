package dev.mmkit.kv.internal.storage;

import java.security.SecureRandom;

/** DatabaseIds draws the random ids that tell databases, and copies of one, apart. */
final class DatabaseIds {
  private static final SecureRandom RANDOM = new SecureRandom();

  private DatabaseIds() {}

  /** Returns a new, nonzero database id. */
  static long next() {
    long id;
    do {
      id = RANDOM.nextLong();
    } while (id == 0);
    return id;
  }
}

package dev.mmkit.raft;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * BucketPath names a bucket of the replicated store by the names of the buckets that lead to it,
 * outermost first. The empty path is the store's top level, which holds keys and buckets like any
 * other bucket. Paths are at most {@value #MAX_DEPTH} names deep.
 *
 * @param names the bucket names, outermost first; copied, never changed afterwards
 */
public record BucketPath(List<byte[]> names) {
  /** The deepest path a request may name. */
  public static final int MAX_DEPTH = 32;

  /** The store's top level. */
  public static final BucketPath ROOT = new BucketPath(List.of());

  /**
   * Creates a path from names, outermost first.
   *
   * @throws IllegalArgumentException when a name is empty or there are more than {@value
   *     #MAX_DEPTH}
   */
  public BucketPath {
    if (names.size() > MAX_DEPTH) {
      throw new IllegalArgumentException(
          "bucket path too deep: depth=" + names.size() + ", max=" + MAX_DEPTH);
    }
    List<byte[]> copy = new ArrayList<>(names.size());
    for (byte[] name : names) {
      if (name.length == 0) {
        throw new IllegalArgumentException("empty bucket name in path");
      }
      copy.add(name.clone());
    }
    names = List.copyOf(copy);
  }

  /** Returns the path of UTF-8 names, outermost first. */
  public static BucketPath of(String... names) {
    List<byte[]> bytes = new ArrayList<>(names.length);
    for (String name : names) {
      bytes.add(name.getBytes(StandardCharsets.UTF_8));
    }
    return new BucketPath(bytes);
  }

  /** Returns the path of the bucket {@code name} inside this one. */
  public BucketPath child(byte[] name) {
    List<byte[]> longer = new ArrayList<>(names);
    longer.add(name);
    return new BucketPath(longer);
  }

  /** Returns whether this is the top level. */
  public boolean isRoot() {
    return names.isEmpty();
  }

  /** Returns the path of the enclosing bucket; the top level has none. */
  public BucketPath parent() {
    if (isRoot()) {
      throw new IllegalStateException("the top level has no parent");
    }
    return new BucketPath(names.subList(0, names.size() - 1));
  }

  /** Returns the last name of the path; the top level has none. */
  public byte[] last() {
    if (isRoot()) {
      throw new IllegalStateException("the top level has no name");
    }
    return names.getLast().clone();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof BucketPath other) || other.names.size() != names.size()) {
      return false;
    }
    for (int i = 0; i < names.size(); i++) {
      if (!Arrays.equals(names.get(i), other.names.get(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = 1;
    for (byte[] name : names) {
      h = 31 * h + Arrays.hashCode(name);
    }
    return h;
  }

  /** Returns the path as {@code /a/b}, names decoded as UTF-8; the top level is {@code /}. */
  @Override
  public String toString() {
    if (isRoot()) {
      return "/";
    }
    StringBuilder s = new StringBuilder();
    for (byte[] name : names) {
      s.append('/').append(new String(name, StandardCharsets.UTF_8));
    }
    return s.toString();
  }
}

package dev.mmkit.cli.kv;

import dev.mmkit.cli.NotFoundException;
import dev.mmkit.kv.Bucket;
import dev.mmkit.kv.Tx;
import dev.mmkit.raft.BucketPath;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Option;

/**
 * BucketOption is the {@code --bucket NAME} option of the kv verbs: a bucket path whose parts are
 * separated by {@code /} (for nested buckets); without it a verb works on the root bucket.
 */
public final class BucketOption {
  @Option(
      names = "--bucket",
      paramLabel = "NAME",
      description = "Bucket to use; nested buckets as a/b/c. Default: the root bucket.")
  String path;

  /** Returns the bucket, or throws {@link NotFoundException} when it does not exist. */
  Bucket find(Tx tx) {
    Bucket b = tx.root();
    if (path == null || path.isEmpty()) {
      return b;
    }
    for (String name : path.split("/")) {
      b = b.bucket(name.getBytes(StandardCharsets.UTF_8));
      if (b == null) {
        throw new NotFoundException("no such bucket: bucket=" + path);
      }
    }
    return b;
  }

  /** Returns the bucket, creating it and its parents when absent. */
  Bucket create(Tx tx) {
    Bucket b = tx.root();
    if (path == null || path.isEmpty()) {
      return b;
    }
    for (String name : path.split("/")) {
      b = b.createBucketIfAbsent(name.getBytes(StandardCharsets.UTF_8));
    }
    return b;
  }

  /** Returns the bucket as a path of the replicated store ({@link BucketPath#ROOT} by default). */
  BucketPath bucketPath() {
    return path == null || path.isEmpty() ? BucketPath.ROOT : BucketPath.of(path.split("/"));
  }

  /** Returns the bucket path for messages. */
  String describe() {
    return path == null ? "(root)" : path;
  }
}

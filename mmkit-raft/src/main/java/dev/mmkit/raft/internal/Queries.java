package dev.mmkit.raft.internal;

import dev.mmkit.kv.Bucket;
import dev.mmkit.kv.Tx;
import dev.mmkit.raft.KeyValue;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Queries answers the read requests from one read transaction, so every answer is one committed
 * state of the member's store.
 */
final class Queries {
  private Queries() {}

  /** Answers {@code request}, a read, from {@code tx}; {@code applied} is the tx's log index. */
  static Response answer(Tx tx, Request request, long applied) {
    return switch (request) {
      case Request.Get g -> {
        Bucket b = StoreLayout.resolve(tx, g.bucket());
        if (b == null) {
          yield unknown(g.bucket());
        }
        byte[] stored = b.getBytes(g.key());
        yield new Response.Values(
            applied,
            stored == null
                ? List.of()
                : List.of(
                    new KeyValue(
                        g.key(), StoreLayout.value(stored), StoreLayout.revision(stored))));
      }
      case Request.Scan s -> {
        Bucket b = StoreLayout.resolve(tx, s.bucket());
        if (b == null) {
          yield unknown(s.bucket());
        }
        List<KeyValue> out = new ArrayList<>();
        b.scan(
            s.range(),
            (key, value) -> {
              byte[] stored = value.toArray(ValueLayout.JAVA_BYTE);
              out.add(
                  new KeyValue(
                      key.toArray(ValueLayout.JAVA_BYTE),
                      StoreLayout.value(stored),
                      StoreLayout.revision(stored)));
              return s.limit() == 0 || out.size() < s.limit();
            });
        yield new Response.Values(applied, out);
      }
      case Request.Buckets n -> {
        Bucket b = StoreLayout.resolve(tx, n.bucket());
        yield b == null ? unknown(n.bucket()) : new Response.Names(applied, b.bucketNames());
      }
      case Request.Update u ->
          new Response.Failed(Response.Error.REJECTED, "a write sent as a read");
    };
  }

  private static Response unknown(dev.mmkit.raft.BucketPath path) {
    return new Response.Failed(Response.Error.UNKNOWN_BUCKET, "unknown bucket: bucket=" + path);
  }
}

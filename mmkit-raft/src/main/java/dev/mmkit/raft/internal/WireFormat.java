package dev.mmkit.raft.internal;

import dev.mmkit.kv.KeyRange;
import dev.mmkit.raft.BucketPath;
import dev.mmkit.raft.Compare;
import dev.mmkit.raft.KeyValue;
import dev.mmkit.raft.Op;
import dev.mmkit.raft.WireFormatException;
import dev.mmkit.raft.Write;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * WireFormat encodes and decodes the requests and responses clients and members exchange, carried
 * as Raft messages and, for writes, stored in the Raft log. Integers are big-endian; every message
 * starts with the version, so a member can refuse what it does not understand.
 *
 * <pre>
 * request   | version u8 = 1 | kind u8 | body                                     |
 *   kind 1 update  | n u16 | compare * n | n u16 | op * n (then) | n u16 | op * n (else) |
 *   kind 2 get     | path | key |
 *   kind 3 scan    | path | range | limit u32 (0 = none) |
 *   kind 4 buckets | path |
 * compare   | kind u8 | path | key | 1 absent: nothing | 2 value equals: value | 3 revision: u64 |
 * op        | kind u8 | path | 1 put: key value | 2 delete: key | 3 create bucket | 4 delete bucket |
 * path      | depth u8 | (len u16 | name bytes) * depth |
 * key       | len u16 (1..1024) | bytes |
 * value     | len u32 | bytes |
 * range     | flags u8 | lower key if flags&1 | upper key if flags&4 |
 *             flags: 1 has lower, 2 lower inclusive, 4 has upper, 8 upper inclusive, 16 reversed
 *
 * response  | version u8 = 1 | kind u8 | body                                     |
 *   kind 1 written | succeeded u8 | revision u64 |
 *   kind 2 values  | applied u64 | n u32 | (key | revision u64 | value) * n |
 *   kind 3 names   | applied u64 | n u32 | key * n |
 *   kind 4 failed  | error u8 (1 unknown bucket, 2 rejected, 3 stale) | len u16 | UTF-8 message |
 * </pre>
 *
 * Decoding checks every length against the bytes left before it allocates, so a hostile length
 * fails with a {@link WireFormatException} naming the field, never with an out-of-memory error.
 */
public final class WireFormat {
  /** The version this class writes and reads. */
  public static final int VERSION = 1;

  private static final int MAX_KEY = 1024;

  private WireFormat() {}

  /** Encodes a request. */
  public static byte[] encode(Request request) {
    Out out = new Out();
    out.u8(VERSION);
    switch (request) {
      case Request.Update u -> {
        out.u8(1);
        Write w = u.write();
        out.u16(w.compares().size());
        w.compares().forEach(out::compare);
        out.ops(w.then());
        out.ops(w.otherwise());
      }
      case Request.Get g -> {
        out.u8(2);
        out.path(g.bucket());
        out.key(g.key());
      }
      case Request.Scan s -> {
        out.u8(3);
        out.path(s.bucket());
        out.range(s.range());
        out.u32(s.limit());
      }
      case Request.Buckets b -> {
        out.u8(4);
        out.path(b.bucket());
      }
    }
    return out.bytes();
  }

  /** Decodes a request, or throws a {@link WireFormatException} naming what is wrong. */
  public static Request decodeRequest(ByteBuffer bytes) {
    In in = new In(bytes);
    in.version();
    int kind = in.u8("kind");
    Request request =
        switch (kind) {
          case 1 -> {
            List<Compare> compares = new ArrayList<>();
            for (int n = in.u16(); n > 0; n--) {
              compares.add(in.compare());
            }
            List<Op> then = in.ops("then");
            yield new Request.Update(new Write(compares, then, in.ops("else")));
          }
          case 2 -> new Request.Get(in.path(), in.key("key"));
          case 3 -> new Request.Scan(in.path(), in.range(), in.u32("limit"));
          case 4 -> new Request.Buckets(in.path());
          default -> throw in.bad("unknown request kind: kind=" + kind);
        };
    in.end();
    return request;
  }

  /** Encodes a response. */
  public static byte[] encode(Response response) {
    Out out = new Out();
    out.u8(VERSION);
    switch (response) {
      case Response.Written w -> {
        out.u8(1);
        out.u8(w.succeeded() ? 1 : 0);
        out.u64(w.revision());
      }
      case Response.Values v -> {
        out.u8(2);
        out.u64(v.applied());
        out.u32(v.entries().size());
        for (KeyValue e : v.entries()) {
          out.key(e.key());
          out.u64(e.revision());
          out.value(e.value());
        }
      }
      case Response.Names n -> {
        out.u8(3);
        out.u64(n.applied());
        out.u32(n.names().size());
        n.names().forEach(out::key);
      }
      case Response.Failed f -> {
        out.u8(4);
        out.u8(f.error().ordinal() + 1);
        byte[] text = f.message().getBytes(StandardCharsets.UTF_8);
        out.u16(Math.min(text.length, 0xFFFF));
        out.raw(text, Math.min(text.length, 0xFFFF));
      }
    }
    return out.bytes();
  }

  /** Decodes a response, or throws a {@link WireFormatException} naming what is wrong. */
  public static Response decodeResponse(ByteBuffer bytes) {
    In in = new In(bytes);
    in.version();
    int kind = in.u8("kind");
    Response response =
        switch (kind) {
          case 1 -> new Response.Written(in.u8("succeeded") == 1, in.u64("revision"));
          case 2 -> {
            long applied = in.u64("applied");
            List<KeyValue> entries = new ArrayList<>();
            for (int n = in.count32("entries", 2 + 8 + 4); n > 0; n--) {
              byte[] key = in.key("key");
              long revision = in.u64("revision");
              entries.add(new KeyValue(key, in.bytes("value", in.u32("value length")), revision));
            }
            yield new Response.Values(applied, entries);
          }
          case 3 -> {
            long applied = in.u64("applied");
            List<byte[]> names = new ArrayList<>();
            for (int n = in.count32("names", 2); n > 0; n--) {
              names.add(in.key("name"));
            }
            yield new Response.Names(applied, names);
          }
          case 4 -> {
            int error = in.u8("error");
            Response.Error[] errors = Response.Error.values();
            if (error < 1 || error > errors.length) {
              throw in.bad("unknown error: error=" + error);
            }
            yield new Response.Failed(
                errors[error - 1],
                new String(in.bytes("message", in.u16()), StandardCharsets.UTF_8));
          }
          default -> throw in.bad("unknown response kind: kind=" + kind);
        };
    in.end();
    return response;
  }

  /** Out appends fields to a growing array. */
  private static final class Out {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(64);
    private final DataOutputStream data = new DataOutputStream(buffer);

    byte[] bytes() {
      return buffer.toByteArray();
    }

    void u8(int v) {
      run(() -> data.writeByte(v));
    }

    void u16(int v) {
      run(() -> data.writeShort(v));
    }

    void u32(int v) {
      run(() -> data.writeInt(v));
    }

    void u64(long v) {
      run(() -> data.writeLong(v));
    }

    void raw(byte[] b, int length) {
      run(() -> data.write(b, 0, length));
    }

    void key(byte[] key) {
      if (key.length == 0 || key.length > MAX_KEY) {
        throw new IllegalArgumentException(
            "key length out of range: length=" + key.length + ", min=1, max=" + MAX_KEY);
      }
      u16(key.length);
      raw(key, key.length);
    }

    void value(byte[] value) {
      u32(value.length);
      raw(value, value.length);
    }

    void path(BucketPath path) {
      u8(path.names().size());
      path.names().forEach(this::key);
    }

    void range(KeyRange range) {
      byte[] lower = range.lower();
      byte[] upper = range.upper();
      int flags =
          (lower != null ? 1 : 0)
              | (range.lowerInclusive() ? 2 : 0)
              | (upper != null ? 4 : 0)
              | (range.upperInclusive() ? 8 : 0)
              | (range.isReversed() ? 16 : 0);
      u8(flags);
      if (lower != null) {
        key(lower);
      }
      if (upper != null) {
        key(upper);
      }
    }

    void compare(Compare compare) {
      switch (compare) {
        case Compare.Absent a -> head(1, a.bucket(), a.key());
        case Compare.ValueEquals v -> {
          head(2, v.bucket(), v.key());
          value(v.value());
        }
        case Compare.RevisionEquals r -> {
          head(3, r.bucket(), r.key());
          u64(r.revision());
        }
      }
    }

    private void head(int kind, BucketPath path, byte[] key) {
      u8(kind);
      path(path);
      key(key);
    }

    void ops(List<Op> ops) {
      u16(ops.size());
      for (Op op : ops) {
        switch (op) {
          case Op.Put p -> {
            head(1, p.bucket(), p.key());
            value(p.value());
          }
          case Op.Delete d -> head(2, d.bucket(), d.key());
          case Op.CreateBucket c -> {
            u8(3);
            path(c.bucket());
          }
          case Op.DeleteBucket d -> {
            u8(4);
            path(d.bucket());
          }
        }
      }
    }

    private void run(IoAction action) {
      try {
        action.run();
      } catch (IOException e) {
        throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
      }
    }
  }

  /** IoAction is one write to the data stream. */
  @FunctionalInterface
  private interface IoAction {
    void run() throws IOException;
  }

  /** In reads fields from a buffer, checking each length against the bytes left. */
  private static final class In {
    private final ByteBuffer buffer;

    In(ByteBuffer buffer) {
      this.buffer = buffer.slice();
    }

    WireFormatException bad(String message) {
      return new WireFormatException(message + ", offset=" + buffer.position());
    }

    void version() {
      int version = u8("version");
      if (version != VERSION) {
        throw bad("unsupported wire format version: version=" + version + ", supported=" + VERSION);
      }
    }

    void end() {
      if (buffer.hasRemaining()) {
        throw bad("trailing bytes after message: remaining=" + buffer.remaining());
      }
    }

    private void need(String field, long n) {
      if (n > buffer.remaining()) {
        throw bad(
            "length past the end of the message: field="
                + field
                + ", length="
                + n
                + ", remaining="
                + buffer.remaining());
      }
    }

    int u8(String field) {
      need(field, 1);
      return Byte.toUnsignedInt(buffer.get());
    }

    int u16() {
      need("length", 2);
      return Short.toUnsignedInt(buffer.getShort());
    }

    int u32(String field) {
      need(field, 4);
      int v = buffer.getInt();
      if (v < 0) {
        throw bad("negative count: field=" + field + ", value=" + Integer.toUnsignedString(v));
      }
      return v;
    }

    long u64(String field) {
      need(field, 8);
      return buffer.getLong();
    }

    /** Reads a count of items that each take at least {@code minItem} bytes, and checks it. */
    int count32(String field, int minItem) {
      int n = u32(field);
      need(field, (long) n * minItem);
      return n;
    }

    byte[] bytes(String field, int length) {
      need(field, length);
      byte[] b = new byte[length];
      buffer.get(b);
      return b;
    }

    byte[] key(String field) {
      int length = u16();
      if (length == 0 || length > MAX_KEY) {
        throw bad("key length out of range: field=" + field + ", length=" + length);
      }
      return bytes(field, length);
    }

    BucketPath path() {
      int depth = u8("path depth");
      if (depth > BucketPath.MAX_DEPTH) {
        throw bad("bucket path too deep: depth=" + depth + ", max=" + BucketPath.MAX_DEPTH);
      }
      List<byte[]> names = new ArrayList<>(depth);
      for (int i = 0; i < depth; i++) {
        names.add(key("bucket name"));
      }
      return new BucketPath(names);
    }

    KeyRange range() {
      int flags = u8("range flags");
      byte[] lower = (flags & 1) != 0 ? key("lower bound") : null;
      byte[] upper = (flags & 4) != 0 ? key("upper bound") : null;
      boolean lowerIn = (flags & 2) != 0;
      boolean upperIn = (flags & 8) != 0;
      KeyRange range;
      if (lower != null && upper != null) {
        range = KeyRange.between(lower, lowerIn, upper, upperIn);
      } else if (lower != null) {
        range = lowerIn ? KeyRange.atLeast(lower) : KeyRange.greaterThan(lower);
      } else if (upper != null) {
        range = upperIn ? KeyRange.atMost(upper) : KeyRange.lessThan(upper);
      } else {
        range = KeyRange.all();
      }
      return (flags & 16) != 0 ? range.reversed() : range;
    }

    Compare compare() {
      int kind = u8("compare kind");
      BucketPath path = path();
      byte[] key = key("key");
      return switch (kind) {
        case 1 -> Compare.absent(path, key);
        case 2 -> Compare.valueEquals(path, key, bytes("value", u32("value length")));
        case 3 -> Compare.revisionEquals(path, key, u64("revision"));
        default -> throw bad("unknown compare kind: kind=" + kind);
      };
    }

    List<Op> ops(String branch) {
      List<Op> ops = new ArrayList<>();
      for (int n = u16(); n > 0; n--) {
        int kind = u8("op kind");
        BucketPath path = path();
        ops.add(
            switch (kind) {
              case 1 -> Op.put(path, key("key"), bytes("value", u32("value length")));
              case 2 -> Op.delete(path, key("key"));
              case 3 -> Op.createBucket(path);
              case 4 -> Op.deleteBucket(path);
              default -> throw bad("unknown op kind: branch=" + branch + ", kind=" + kind);
            });
      }
      return ops;
    }
  }
}

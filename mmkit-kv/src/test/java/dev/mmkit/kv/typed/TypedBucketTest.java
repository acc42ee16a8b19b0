package dev.mmkit.kv.typed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmkit.core.ClosedException;
import dev.mmkit.kv.Bucket;
import dev.mmkit.kv.Tx;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.LongPredicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;

/**
 * TypedBucketTest checks typed get, put, delete and scans: examples of each, and random ranges
 * scanned over random long keys against the entries a plain list says the range holds.
 */
class TypedBucketTest {
  private TempDb temp;

  @BeforeTry
  void openDatabase() {
    temp = new TempDb();
  }

  @AfterTry
  void closeDatabase() {
    temp.close();
  }

  /**
   * Returns the bucket "users" with long keys and string values, created in a write transaction.
   */
  private static TypedBucket<Long, String> users(Tx tx) {
    Bucket users = tx.isWritable() ? tx.createBucketIfAbsent("users") : tx.bucket("users");
    return TypedBucket.of(users, Codec.longs(), Codec.strings());
  }

  @Example
  void shouldPutGetAndDeleteInTheKeyAndValueTypes() {
    temp.db()
        .update(
            tx -> {
              TypedBucket<Long, String> users = users(tx);
              users.put(-7L, "minus seven");
              users.put(42L, "alice");
              users.put(42L, "bob");
              assertThat(users.get(42L)).isEqualTo("bob");
              assertThat(users.containsKey(-7L)).isTrue();
              assertThat(users.delete(-7L)).isTrue();
              assertThat(users.delete(-7L)).isFalse();
              assertThat(users.get(-7L)).isNull();
              assertThat(users.count()).isEqualTo(1);
            });
    String name = temp.db().read(tx -> users(tx).get(42L));
    assertThat(name).isEqualTo("bob");
  }

  @Example
  void shouldStoreWhatTheCodecsSayAndReadWhatOthersStored() {
    temp.db()
        .update(
            tx -> {
              users(tx).put(1L, "one");
              // Written without codecs: UTF-8 strings, as Bucket.put(String, String) stores them.
              tx.createBucketIfAbsent("roles").put("alice", "admin");
            });
    temp.db()
        .view(
            tx -> {
              // 1L is stored under 80 00 00 00 00 00 00 01, "one" as its UTF-8 bytes.
              byte[] key = {(byte) 0x80, 0, 0, 0, 0, 0, 0, 1};
              assertThat(tx.bucket("users").getBytes(key))
                  .isEqualTo("one".getBytes(StandardCharsets.UTF_8));
              TypedBucket<String, String> roles =
                  TypedBucket.of(tx.bucket("roles"), Codec.strings(), Codec.strings());
              assertThat(roles.get("alice")).isEqualTo("admin");
            });
  }

  @Example
  void shouldKeepTypedKeysInTheirOwnOrder() {
    Instant now = Instant.parse("2026-01-02T03:04:05.678Z");
    List<Instant> times =
        List.of(now, now.minusNanos(1), Instant.EPOCH.minusSeconds(1), now.plusSeconds(60));
    List<UUID> ids = List.of(new UUID(-1, 5), new UUID(3, -2), new UUID(3, 9), new UUID(-9, 0));
    temp.db()
        .update(
            tx -> {
              TypedBucket<Instant, UUID> log =
                  TypedBucket.of(
                      tx.createBucket("log".getBytes()), Codec.instants(), Codec.uuids());
              TypedBucket<UUID, Integer> index =
                  TypedBucket.of(tx.createBucket("index".getBytes()), Codec.uuids(), Codec.ints());
              for (int i = 0; i < times.size(); i++) {
                log.put(times.get(i), ids.get(i));
                index.put(ids.get(i), -i);
              }
              assertThat(log.asMap().keySet()).isEqualTo(Set.copyOf(times));
              assertThat(List.copyOf(log.asMap().keySet()))
                  .isEqualTo(times.stream().sorted().toList());
              assertThat(List.copyOf(index.asMap().keySet()))
                  .isEqualTo(ids.stream().sorted().toList());
              assertThat(index.get(new UUID(3, -2))).isEqualTo(-1);
            });
  }

  @Example
  void shouldStopAScanWhenTheVisitorSaysSo() {
    temp.db()
        .update(
            tx -> {
              TypedBucket<Long, String> users = users(tx);
              for (long id = 1; id <= 10; id++) {
                users.put(id, "user" + id);
              }
              List<String> seen = new ArrayList<>();
              long visited =
                  users.scan(
                      TypedRange.atLeast(4L),
                      (id, name) -> {
                        seen.add(id + ":" + name);
                        return id < 6;
                      });
              assertThat(visited).isEqualTo(3);
              assertThat(seen).containsExactly("4:user4", "5:user5", "6:user6");
              assertThat(users.entries(TypedRange.<Long>all().reversed(), 2))
                  .containsExactly(Map.entry(10L, "user10"), Map.entry(9L, "user9"));
              assertThat(users.entries(TypedRange.all(), 0)).isEmpty();
              assertThatThrownBy(() -> users.entries(TypedRange.all(), -1))
                  .isInstanceOf(IllegalArgumentException.class)
                  .hasMessageContaining("limit=-1");
            });
  }

  @Example
  void shouldFollowTheTransactionsRules() {
    temp.db().update(tx -> users(tx).put(1L, "one"));
    TypedBucket<Long, String> escaped;
    try (Tx tx = temp.db().beginRead()) {
      escaped = TypedBucket.of(tx.bucket("users"), Codec.longs(), Codec.strings());
      assertThatThrownBy(() -> escaped.put(2L, "two")).isInstanceOf(IllegalStateException.class);
    }
    assertThatThrownBy(() -> escaped.get(1L)).isInstanceOf(ClosedException.class);
    assertThatThrownBy(() -> TypedBucket.of(null, Codec.longs(), Codec.strings()))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("bucket");
  }

  @Example
  void shouldReportBytesTheValueCodecCannotRead() {
    temp.db()
        .update(
            tx -> {
              Bucket raw = tx.createBucket("raw".getBytes());
              raw.put(Codec.longs().encode(1L), new byte[] {1, 2, 3});
              TypedBucket<Long, Long> typed = TypedBucket.of(raw, Codec.longs(), Codec.longs());
              assertThatThrownBy(() -> typed.get(1L))
                  .isInstanceOf(IllegalArgumentException.class)
                  .hasMessageContaining("length=3");
            });
  }

  /** A scan range, and the same range said as a predicate with a direction and a limit. */
  record RangeCase(TypedRange<Long> range, LongPredicate holds, boolean reversed, int limit) {}

  @Property(tries = 60)
  void shouldScanTheEntriesTheRangeHolds(
      @ForAll("keys") Set<Long> keys,
      @ForAll("ranges") List<RangeCase> cases,
      @ForAll @IntRange(min = 0, max = 1) int inWriteTransaction) {
    TreeMap<Long, String> all = new TreeMap<>();
    keys.forEach(k -> all.put(k, "v" + k));
    try (Tx tx = temp.db().beginWrite()) {
      TypedBucket<Long, String> typed = users(tx);
      all.forEach(typed::put);
      if (inWriteTransaction == 0) {
        tx.commit();
      } else {
        checkScans(typed, all, cases);
        return;
      }
    }
    temp.db().view(tx -> checkScans(users(tx), all, cases));
  }

  private static void checkScans(
      TypedBucket<Long, String> typed, TreeMap<Long, String> all, List<RangeCase> cases) {
    for (RangeCase c : cases) {
      Comparator<Long> direction =
          c.reversed() ? Comparator.<Long>reverseOrder() : Comparator.<Long>naturalOrder();
      List<Map.Entry<Long, String>> expected =
          all.entrySet().stream()
              .filter(e -> c.holds().test(e.getKey()))
              .sorted(Map.Entry.comparingByKey(direction))
              .limit(c.limit())
              .map(e -> Map.entry(e.getKey(), e.getValue()))
              .toList();
      assertThat(typed.entries(c.range(), c.limit())).as(c.range().toString()).isEqualTo(expected);
    }
  }

  @Provide
  Arbitrary<Set<Long>> keys() {
    Arbitrary<Long> near = Arbitraries.longs().between(-20, 20);
    Arbitrary<Long> far = Arbitraries.of(Long.MIN_VALUE, -1L << 40, 1L << 40, Long.MAX_VALUE);
    return Arbitraries.oneOf(near, near, far).set().ofMaxSize(30);
  }

  @Provide
  Arbitrary<List<RangeCase>> ranges() {
    Arbitrary<Long> bound = Arbitraries.longs().between(-22, 22);
    Arbitrary<Boolean> flag = Arbitraries.of(true, false);
    Arbitrary<Integer> limit = Arbitraries.integers().between(0, 40);
    Arbitrary<RangeCase> between =
        Combinators.combine(bound, flag, bound, flag, flag, limit)
            .as(
                (lo, loIn, hi, hiIn, rev, n) ->
                    rangeCase(
                        TypedRange.between(lo, loIn, hi, hiIn),
                        k -> (loIn ? k >= lo : k > lo) && (hiIn ? k <= hi : k < hi),
                        rev,
                        n));
    Arbitrary<RangeCase> halfOpen =
        Combinators.combine(bound, Arbitraries.integers().between(0, 3), flag, limit)
            .as(
                (b, kind, rev, n) ->
                    switch (kind) {
                      case 0 -> rangeCase(TypedRange.atLeast(b), k -> k >= b, rev, n);
                      case 1 -> rangeCase(TypedRange.greaterThan(b), k -> k > b, rev, n);
                      case 2 -> rangeCase(TypedRange.atMost(b), k -> k <= b, rev, n);
                      default -> rangeCase(TypedRange.lessThan(b), k -> k < b, rev, n);
                    });
    Arbitrary<RangeCase> everything =
        Combinators.combine(flag, limit)
            .as((rev, n) -> rangeCase(TypedRange.all(), k -> true, rev, n));
    return Arbitraries.oneOf(between, halfOpen, everything).list().ofMinSize(1).ofMaxSize(8);
  }

  private static RangeCase rangeCase(
      TypedRange<Long> range, LongPredicate holds, boolean reversed, int limit) {
    return new RangeCase(reversed ? range.reversed() : range, holds, reversed, limit);
  }
}

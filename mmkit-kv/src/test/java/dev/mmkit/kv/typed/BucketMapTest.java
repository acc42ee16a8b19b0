package dev.mmkit.kv.typed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mmkit.core.ClosedException;
import dev.mmkit.kv.Bucket;
import dev.mmkit.kv.Tx;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;

/**
 * BucketMapTest checks the {@link NavigableMap} view of {@link TypedBucket#asMap()} against a
 * {@link TreeMap} holding the same entries: random key sets, then random chains of sub-map, head,
 * tail and descending views, comparing after every step what both answer to every lookup,
 * navigation and iteration, and that both refuse the same bounds. It checks the view inside the
 * write transaction that filled the bucket and again in a read transaction after the commit.
 */
class BucketMapTest {
  private static final int DOMAIN = 10;
  private TempDb temp;

  @BeforeTry
  void openDatabase() {
    temp = new TempDb();
  }

  @AfterTry
  void closeDatabase() {
    temp.close();
  }

  /** One step from a map to a view of it, applied alike to the bucket's map and the model. */
  sealed interface Step<K> {
    <V> NavigableMap<K, V> apply(NavigableMap<K, V> map);
  }

  record Sub<K>(K from, boolean fromInclusive, K to, boolean toInclusive) implements Step<K> {
    @Override
    public <V> NavigableMap<K, V> apply(NavigableMap<K, V> map) {
      return map.subMap(from, fromInclusive, to, toInclusive);
    }
  }

  record Head<K>(K to, boolean inclusive) implements Step<K> {
    @Override
    public <V> NavigableMap<K, V> apply(NavigableMap<K, V> map) {
      return map.headMap(to, inclusive);
    }
  }

  record Tail<K>(K from, boolean inclusive) implements Step<K> {
    @Override
    public <V> NavigableMap<K, V> apply(NavigableMap<K, V> map) {
      return map.tailMap(from, inclusive);
    }
  }

  record Descending<K>() implements Step<K> {
    @Override
    public <V> NavigableMap<K, V> apply(NavigableMap<K, V> map) {
      return map.descendingMap();
    }
  }

  @Property(tries = 80)
  void shouldAnswerLikeATreeMapForLongKeys(
      @ForAll("longKeys") Set<Long> keys, @ForAll("longChains") List<List<Step<Long>>> chains) {
    List<Long> probes =
        IntStream.rangeClosed(-DOMAIN - 2, DOMAIN + 2).mapToObj(i -> (long) i).toList();
    checkAgainstModel(Codec.longs(), keys, chains, probes, Comparator.naturalOrder(), 99L);
  }

  @Property(tries = 50)
  void shouldAnswerLikeATreeMapInCodePointOrderForStringKeys(
      @ForAll("stringKeys") Set<String> keys,
      @ForAll("stringChains") List<List<Step<String>>> chains,
      @ForAll("stringKeys") Set<String> otherProbes) {
    List<String> probes = new ArrayList<>(keys);
    probes.addAll(otherProbes);
    Comparator<String> codePoints =
        (a, b) -> Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    checkAgainstModel(Codec.strings(), keys, chains, probes, codePoints, "nested");
  }

  /**
   * Fills a bucket and a model with {@code keys} (value "v" + key), adds a nested bucket under
   * {@code nestedName} that the map must not show, and compares every chain of views.
   */
  private <K> void checkAgainstModel(
      Codec<K> codec,
      Set<K> keys,
      List<List<Step<K>>> chains,
      List<K> probes,
      Comparator<K> order,
      K nestedName) {
    TreeMap<K, String> model = new TreeMap<>(order);
    try (Tx tx = temp.db().beginWrite()) {
      Bucket bucket = tx.createBucket("m".getBytes());
      TypedBucket<K, String> typed = TypedBucket.of(bucket, codec, Codec.strings());
      for (K key : keys) {
        if (!key.equals(nestedName)) {
          typed.put(key, "v" + key);
          model.put(key, "v" + key);
        }
      }
      bucket.createBucket(codec.encode(nestedName));
      for (List<Step<K>> chain : chains) {
        checkChain(typed.asMap(), model, chain, probes, order);
      }
      tx.commit();
    }
    temp.db()
        .view(
            tx -> {
              TypedBucket<K, String> typed =
                  TypedBucket.of(tx.bucket("m".getBytes()), codec, Codec.strings());
              for (List<Step<K>> chain : chains) {
                checkChain(typed.asMap(), model, chain, probes, order);
              }
            });
  }

  private <K> void checkChain(
      NavigableMap<K, String> actual,
      NavigableMap<K, String> model,
      List<Step<K>> chain,
      List<K> probes,
      Comparator<K> order) {
    checkSame(actual, model, probes, order, "whole map");
    String path = "map";
    for (Step<K> step : chain) {
      path += "." + step;
      NavigableMap<K, String> m = model;
      Throwable modelRefused = catchThrowable(() -> step.apply(m));
      if (modelRefused != null) {
        NavigableMap<K, String> a = actual;
        assertThat(catchThrowable(() -> step.apply(a)))
            .as(path)
            .isInstanceOf(modelRefused.getClass());
        return;
      }
      actual = step.apply(actual);
      model = step.apply(model);
      checkSame(actual, model, probes, order, path);
    }
  }

  private <K> void checkSame(
      NavigableMap<K, String> actual,
      NavigableMap<K, String> model,
      List<K> probes,
      Comparator<K> order,
      String path) {
    assertThat(entries(actual)).as(path).isEqualTo(entries(model));
    assertThat(entries(actual.descendingMap())).as(path).isEqualTo(entries(model.descendingMap()));
    assertThat(list(actual.navigableKeySet().iterator())).isEqualTo(List.copyOf(model.keySet()));
    assertThat(list(actual.descendingKeySet().iterator()))
        .as(path)
        .isEqualTo(List.copyOf(model.descendingKeySet()));
    assertThat(list(actual.navigableKeySet().descendingIterator()))
        .as(path)
        .isEqualTo(list(model.navigableKeySet().descendingIterator()));
    assertThat(List.copyOf(actual.values())).as(path).isEqualTo(List.copyOf(model.values()));
    assertThat(actual.size()).as(path).isEqualTo(model.size());
    assertThat(actual.isEmpty()).as(path).isEqualTo(model.isEmpty());
    assertThat(actual).as(path).isEqualTo(model);
    assertThat(actual.hashCode()).as(path).isEqualTo(model.hashCode());
    assertThat(actual.firstEntry()).as(path).isEqualTo(model.firstEntry());
    assertThat(actual.lastEntry()).as(path).isEqualTo(model.lastEntry());
    assertThat(outcome(NavigableMap::firstKey, actual))
        .as(path)
        .isEqualTo(outcome(NavigableMap::firstKey, model));
    assertThat(outcome(NavigableMap::lastKey, actual))
        .as(path)
        .isEqualTo(outcome(NavigableMap::lastKey, model));
    Comparator<? super K> modelComparator = model.comparator();
    for (K probe : probes) {
      String at = path + " at " + probe;
      assertThat(actual.get(probe)).as(at).isEqualTo(model.get(probe));
      assertThat(actual.containsKey(probe)).as(at).isEqualTo(model.containsKey(probe));
      assertThat(actual.navigableKeySet().contains(probe))
          .as(at)
          .isEqualTo(model.containsKey(probe));
      assertThat(actual.floorKey(probe)).as(at).isEqualTo(model.floorKey(probe));
      assertThat(actual.ceilingKey(probe)).as(at).isEqualTo(model.ceilingKey(probe));
      assertThat(actual.higherKey(probe)).as(at).isEqualTo(model.higherKey(probe));
      assertThat(actual.lowerKey(probe)).as(at).isEqualTo(model.lowerKey(probe));
      assertThat(actual.floorEntry(probe)).as(at).isEqualTo(model.floorEntry(probe));
      assertThat(actual.ceilingEntry(probe)).as(at).isEqualTo(model.ceilingEntry(probe));
      assertThat(actual.higherEntry(probe)).as(at).isEqualTo(model.higherEntry(probe));
      assertThat(actual.lowerEntry(probe)).as(at).isEqualTo(model.lowerEntry(probe));
      assertThat(actual.navigableKeySet().ceiling(probe)).as(at).isEqualTo(model.ceilingKey(probe));
      K other = probes.get(0);
      int expected =
          Integer.signum(
              modelComparator == null
                  ? order.compare(probe, other)
                  : modelComparator.compare(probe, other));
      assertThat(Integer.signum(actual.comparator().compare(probe, other)))
          .as(at)
          .isEqualTo(expected);
    }
  }

  private static <K> List<String> entries(NavigableMap<K, String> map) {
    return map.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
  }

  private static <T> List<T> list(Iterator<T> iterator) {
    List<T> out = new ArrayList<>();
    iterator.forEachRemaining(out::add);
    return out;
  }

  /** Returns the result of {@code call}, or the class of what it threw. */
  private static <K> Object outcome(
      Function<NavigableMap<K, String>, Object> call, NavigableMap<K, String> map) {
    try {
      return call.apply(map);
    } catch (RuntimeException e) {
      return e.getClass();
    }
  }

  @Provide
  Arbitrary<Set<Long>> longKeys() {
    return Arbitraries.longs().between(-DOMAIN, DOMAIN).set().ofMaxSize(15);
  }

  @Provide
  Arbitrary<List<List<Step<Long>>>> longChains() {
    Arbitrary<Long> bound = Arbitraries.longs().between(-DOMAIN - 2, DOMAIN + 2);
    return chains(bound);
  }

  @Provide
  Arbitrary<Set<String>> stringKeys() {
    // Characters of every UTF-8 length; U+E000 and U+10000 sort differently in UTF-16 units.
    Arbitrary<String> chars = Arbitraries.of("a", "b", "\u00e9", "\ue000", "\ud800\udc00");
    return chars.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join("", l)).set().ofMaxSize(12);
  }

  @Provide
  Arbitrary<List<List<Step<String>>>> stringChains() {
    Arbitrary<String> bound =
        Arbitraries.of("a", "b", "\u00e9", "\ue000", "\ud800\udc00")
            .list()
            .ofMinSize(1)
            .ofMaxSize(2)
            .map(l -> String.join("", l));
    return chains(bound);
  }

  private static <K> Arbitrary<List<List<Step<K>>>> chains(Arbitrary<K> bound) {
    Arbitrary<Boolean> inclusive = Arbitraries.of(true, false);
    Arbitrary<Step<K>> sub = Combinators.combine(bound, inclusive, bound, inclusive).as(Sub::new);
    Arbitrary<Step<K>> head = Combinators.combine(bound, inclusive).as(Head::new);
    Arbitrary<Step<K>> tail = Combinators.combine(bound, inclusive).as(Tail::new);
    Arbitrary<Step<K>> descending = Arbitraries.just(new Descending<>());
    Arbitrary<Step<K>> step = Arbitraries.oneOf(sub, head, tail, descending);
    return step.list().ofMaxSize(3).list().ofMinSize(1).ofMaxSize(4);
  }

  @Example
  void shouldRefuseEveryChange() {
    temp.db()
        .update(
            tx -> {
              TypedBucket<Long, String> typed =
                  TypedBucket.of(tx.createBucket("m".getBytes()), Codec.longs(), Codec.strings());
              typed.put(1L, "one");
              typed.put(2L, "two");
              NavigableMap<Long, String> map = typed.asMap();
              List<Runnable> changes =
                  List.of(
                      () -> map.put(3L, "three"),
                      () -> map.remove(1L),
                      () -> map.remove(7L),
                      () -> map.putAll(Map.of(3L, "three")),
                      () -> map.clear(),
                      () -> map.pollFirstEntry(),
                      () -> map.pollLastEntry(),
                      () -> map.putIfAbsent(1L, "x"),
                      () -> map.replace(1L, "x"),
                      () -> map.replaceAll((k, v) -> v),
                      () -> map.merge(1L, "x", String::concat),
                      () -> map.compute(1L, (k, v) -> v),
                      () -> map.computeIfAbsent(9L, k -> "x"),
                      () -> map.computeIfPresent(1L, (k, v) -> v),
                      () -> map.firstEntry().setValue("x"),
                      () -> map.entrySet().iterator().next().setValue("x"),
                      () -> removeFirst(map.entrySet().iterator()),
                      () -> removeFirst(map.keySet().iterator()),
                      () -> removeFirst(map.values().iterator()),
                      () -> map.keySet().remove(1L),
                      () -> map.navigableKeySet().pollFirst(),
                      () -> map.descendingKeySet().pollLast(),
                      () -> map.values().clear(),
                      () -> map.descendingMap().put(5L, "five"),
                      () -> map.subMap(0L, 9L).clear(),
                      () -> map.headMap(2L, true).remove(1L),
                      () -> map.tailMap(0L).entrySet().removeIf(e -> true));
              for (int i = 0; i < changes.size(); i++) {
                assertThatThrownBy(changes.get(i)::run)
                    .as("change #" + i)
                    .isInstanceOf(UnsupportedOperationException.class);
              }
              assertThat(typed.count()).isEqualTo(2);
              assertThat(typed.get(1L)).isEqualTo("one");
            });
  }

  private static void removeFirst(Iterator<?> iterator) {
    iterator.next();
    iterator.remove();
  }

  @Example
  void shouldShowChangesMadeThroughTheBucketAndInvalidateItsIterators() {
    temp.db()
        .update(
            tx -> {
              TypedBucket<Long, String> typed =
                  TypedBucket.of(tx.createBucket("m".getBytes()), Codec.longs(), Codec.strings());
              NavigableMap<Long, String> map = typed.asMap();
              typed.put(1L, "one");
              typed.put(3L, "three");
              Iterator<Long> keys = map.keySet().iterator();
              assertThat(keys.next()).isEqualTo(1L);
              typed.put(2L, "two");
              assertThat(map.keySet()).containsExactly(1L, 2L, 3L);
              assertThat(map.higherKey(1L)).isEqualTo(2L);
              assertThatThrownBy(keys::next).isInstanceOf(IllegalStateException.class);
            });
  }

  @Example
  void shouldReturnCopiesThatOutliveTheTransactionAndFailAfterIt() {
    temp.db()
        .update(
            tx ->
                TypedBucket.of(tx.createBucket("m".getBytes()), Codec.longs(), Codec.strings())
                    .put(-1L, "minus one"));
    NavigableMap<Long, String> map;
    Map.Entry<Long, String> first;
    try (Tx tx = temp.db().beginRead()) {
      map = TypedBucket.of(tx.bucket("m".getBytes()), Codec.longs(), Codec.strings()).asMap();
      first = map.firstEntry();
    }
    assertThat(first).isEqualTo(Map.entry(-1L, "minus one"));
    assertThatThrownBy(map::firstEntry).isInstanceOf(ClosedException.class);
    assertThatThrownBy(() -> map.get(-1L)).isInstanceOf(ClosedException.class);
  }

  @Example
  void shouldAnswerNothingForKeysNoBucketCanHold() {
    temp.db()
        .update(
            tx -> {
              TypedBucket<String, String> typed =
                  TypedBucket.of(tx.createBucket("m".getBytes()), Codec.strings(), Codec.strings());
              typed.put("a", "x");
              NavigableMap<String, String> map = typed.asMap();
              String tooLong = "k".repeat(2000);
              assertThat(map.get("")).isNull();
              assertThat(map.containsKey(tooLong)).isFalse();
              assertThat(map.ceilingKey("")).isEqualTo("a");
              assertThat(map.tailMap("", true)).containsOnlyKeys("a");
              assertThat(map.headMap("", false)).isEmpty();
              assertThat(map.floorKey(tooLong)).isEqualTo("a");
            });
  }
}

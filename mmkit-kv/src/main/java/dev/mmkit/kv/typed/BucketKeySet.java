package dev.mmkit.kv.typed;

import java.util.AbstractSet;
import java.util.Comparator;
import java.util.Iterator;
import java.util.NavigableSet;
import java.util.SortedSet;

/**
 * BucketKeySet is the {@link NavigableSet} of the keys of a {@link BucketMap}: every method is
 * answered by the map, and iteration decodes keys only. Wrapped read-only like its map.
 */
final class BucketKeySet<K> extends AbstractSet<K> implements NavigableSet<K> {
  private final BucketMap<K, ?> map;

  BucketKeySet(BucketMap<K, ?> map) {
    this.map = map;
  }

  @Override
  public Iterator<K> iterator() {
    return map.keyIterator();
  }

  @Override
  public Iterator<K> descendingIterator() {
    return map.descendingKeyIterator();
  }

  @Override
  public int size() {
    return map.size();
  }

  @Override
  public boolean isEmpty() {
    return map.isEmpty();
  }

  @Override
  public boolean contains(Object o) {
    return o != null && map.containsKey(o);
  }

  @Override
  public Comparator<? super K> comparator() {
    return map.comparator();
  }

  @Override
  public K first() {
    return map.firstKey();
  }

  @Override
  public K last() {
    return map.lastKey();
  }

  @Override
  public K lower(K key) {
    return map.lowerKey(key);
  }

  @Override
  public K floor(K key) {
    return map.floorKey(key);
  }

  @Override
  public K ceiling(K key) {
    return map.ceilingKey(key);
  }

  @Override
  public K higher(K key) {
    return map.higherKey(key);
  }

  @Override
  public K pollFirst() {
    throw new UnsupportedOperationException("read-only view of a bucket");
  }

  @Override
  public K pollLast() {
    throw new UnsupportedOperationException("read-only view of a bucket");
  }

  @Override
  public NavigableSet<K> descendingSet() {
    return map.descendingMap().navigableKeySet();
  }

  @Override
  public NavigableSet<K> subSet(
      K fromElement, boolean fromInclusive, K toElement, boolean toInclusive) {
    return map.subMap(fromElement, fromInclusive, toElement, toInclusive).navigableKeySet();
  }

  @Override
  public NavigableSet<K> headSet(K toElement, boolean inclusive) {
    return map.headMap(toElement, inclusive).navigableKeySet();
  }

  @Override
  public NavigableSet<K> tailSet(K fromElement, boolean inclusive) {
    return map.tailMap(fromElement, inclusive).navigableKeySet();
  }

  @Override
  public SortedSet<K> subSet(K fromElement, K toElement) {
    return subSet(fromElement, true, toElement, false);
  }

  @Override
  public SortedSet<K> headSet(K toElement) {
    return headSet(toElement, false);
  }

  @Override
  public SortedSet<K> tailSet(K fromElement) {
    return tailSet(fromElement, true);
  }
}

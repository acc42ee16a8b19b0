package dev.mmkit.bench.kv;

import java.util.Map;

/**
 * SortedMapStore is the part of an adapter shared by stores whose data is a {@link Map} of byte
 * arrays kept in key order (MapDB's {@code BTreeMap}, H2 MVStore's {@code MVMap}): puts, gets and
 * scans go through the map, and the subclass says how the store commits durably.
 */
abstract class SortedMapStore implements KvStore {
  private final Map<byte[], byte[]> map;

  SortedMapStore(Map<byte[], byte[]> map) {
    this.map = map;
  }

  /** Commits what was put, as durably as the store's adapter promises. */
  abstract void commit();

  @Override
  public final void load(int[] order) {
    for (int i : order) {
      map.put(
          KvDataset.key(i, new byte[KvDataset.KEY_BYTES]),
          KvDataset.value(i, new byte[KvDataset.VALUE_BYTES]));
    }
    commit();
  }

  @Override
  public final void putDurable(byte[] key, byte[] value) {
    map.put(key.clone(), value.clone());
    commit();
  }

  @Override
  public final long get(byte[] key) {
    byte[] value = map.get(key);
    return value == null ? -1 : KvDataset.digest(value, 0, value.length);
  }

  @Override
  public final long scan() {
    long result = 0;
    for (Map.Entry<byte[], byte[]> entry : map.entrySet()) {
      byte[] value = entry.getValue();
      result += 1 + KvDataset.digest(value, 0, value.length);
    }
    return result;
  }

  @Override
  public final void flush() {
    commit();
  }
}

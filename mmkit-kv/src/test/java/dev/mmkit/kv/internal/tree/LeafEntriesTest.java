package dev.mmkit.kv.internal.tree;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmkit.kv.internal.page.BucketHeader;
import dev.mmkit.kv.internal.page.NodeLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class LeafEntriesTest {

  /** Random inserts, replaces, removes, splits and merges agree with a sorted map. */
  @Property(tries = 25)
  void shouldAgreeWithASortedMap(@ForAll long seed) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    TreeMap<byte[], Entry> model = new TreeMap<>(Arrays::compareUnsigned);
    LeafEntries list = new LeafEntries(0, 0);
    for (int step = 0; step < 600; step++) {
      byte[] key = new byte[1 + random.nextInt(12)];
      for (int i = 0; i < key.length; i++) {
        key[i] = (byte) random.nextInt(4);
      }
      int at = list.search(key);
      int op = random.nextInt(10);
      if (op < 7) {
        Entry e = randomEntry(random, key);
        boolean direct = e.flags == NodeLayout.INLINE && random.nextBoolean();
        if (at >= 0) {
          if (direct) {
            list.setInline(at, e.key, e.value);
          } else {
            list.set(at, e);
          }
        } else if (direct) {
          list.addInline(-at - 1, e.key, e.value);
        } else {
          list.add(-at - 1, e);
        }
        model.put(key, e);
      } else if (op < 9) {
        if (at >= 0) {
          list.remove(at);
          model.remove(key);
        }
      } else if (list.size() > 1) {
        int from = random.nextInt(list.size());
        LeafEntries right = list.splitOff(from);
        assertThat(list.size() + right.size()).isEqualTo(model.size());
        list.appendAll(right, 0);
      }
      assertSame(list, model);
    }
  }

  private static Entry randomEntry(java.util.SplittableRandom random, byte[] key) {
    byte[] value = new byte[random.nextInt(40)];
    random.nextBytes(value);
    return switch (random.nextInt(4)) {
      case 0 -> Entry.bigValue(key.clone(), value);
      case 1 -> Entry.bucket(key.clone(), new BucketHeader(random.nextLong(), 3, 4, 5));
      default -> Entry.inline(key.clone(), value);
    };
  }

  private static void assertSame(LeafEntries list, TreeMap<byte[], Entry> model) {
    assertThat(list.size()).isEqualTo(model.size());
    List<Map.Entry<byte[], Entry>> expected = new ArrayList<>(model.entrySet());
    for (int i = 0; i < list.size(); i++) {
      Entry want = expected.get(i).getValue();
      Entry got = list.get(i);
      assertThat(got.key).isEqualTo(want.key);
      assertThat(list.key(i)).isEqualTo(want.key);
      assertThat(got.flags).isEqualTo(want.flags);
      assertThat(got.value).isEqualTo(want.value);
      assertThat(got.valueLength()).isEqualTo(want.valueLength());
      assertThat(list.entrySize(i)).isEqualTo(want.size(true));
      assertThat(list.search(want.key)).isEqualTo(i);
    }
  }
}

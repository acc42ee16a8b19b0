package dev.mmkit.kv.internal.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmkit.kv.internal.page.BranchPage;
import dev.mmkit.kv.internal.page.Bytes;
import dev.mmkit.kv.internal.page.NodeLayout;
import dev.mmkit.kv.internal.page.PageLayout;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class BranchIndexTest {

  /** The decoded search picks the same child as a search of the page, shared prefixes included. */
  @Property(tries = 200)
  void shouldPickTheChildABranchPageSearchPicks(@ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    TreeSet<byte[]> keys = new TreeSet<>(Arrays::compareUnsigned);
    int wanted = 1 + random.nextInt(100);
    while (keys.size() < wanted) {
      keys.add(randomKey(random));
    }
    byte[] page = branchPage(keys.toArray(new byte[0][]));
    MemorySegment seg = MemorySegment.ofArray(page);
    BranchIndex.Decoded decoded = new BranchIndex.Decoded(page);
    for (int probe = 0; probe < 200; probe++) {
      byte[] key = randomKey(random);
      int expected = BranchPage.search(seg, 0, keys.size(), key);
      assertThat(decoded.childIndex(seg, 0, key, Bytes.prefix(key))).isEqualTo(expected);
      assertThat(decoded.children[expected]).isEqualTo(100 + expected);
    }
  }

  /** Keys of 1 to 12 bytes over a small alphabet, so that many share their first 8 bytes. */
  private static byte[] randomKey(SplittableRandom random) {
    byte[] key = new byte[1 + random.nextInt(12)];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) (random.nextInt(3) * 0x7F);
    }
    return key;
  }

  private static byte[] branchPage(byte[][] keys) {
    byte[] page = new byte[32768];
    page[PageLayout.TYPE] = PageLayout.BRANCH;
    page[PageLayout.LEVEL] = 1;
    Bytes.putU16(page, PageLayout.COUNT, keys.length);
    Bytes.putLong(page, PageLayout.TXID, 7);
    int data = PageLayout.HEADER_SIZE + keys.length * NodeLayout.BRANCH_ELEMENT;
    for (int i = 0; i < keys.length; i++) {
      int el = PageLayout.HEADER_SIZE + i * NodeLayout.BRANCH_ELEMENT;
      Bytes.putLong(page, el + NodeLayout.BRANCH_CHILD, 100 + i);
      Bytes.putLong(page, el + NodeLayout.BRANCH_CHILD_TXID, 5);
      Bytes.putU16(page, el + NodeLayout.BRANCH_KEY_OFFSET, data);
      Bytes.putU16(page, el + NodeLayout.BRANCH_KEY_LENGTH, keys[i].length);
      System.arraycopy(keys[i], 0, page, data, keys[i].length);
      data += keys[i].length;
    }
    return page;
  }
}

package dev.mmkit.raft.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmkit.kv.KeyRange;
import dev.mmkit.raft.BucketPath;
import dev.mmkit.raft.Compare;
import dev.mmkit.raft.KeyValue;
import dev.mmkit.raft.Op;
import dev.mmkit.raft.WireFormatException;
import dev.mmkit.raft.Write;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** WireFormatTest round-trips every message kind and refuses malformed and hostile bytes. */
class WireFormatTest {
  private static final BucketPath PATH = BucketPath.of("a", "b");

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  @Test
  void shouldRoundTripAWriteWithEveryCompareAndOp() {
    Write write =
        Write.when(
                Compare.absent(PATH, b("k1")),
                Compare.valueEquals(PATH, b("k2"), b("v")),
                Compare.revisionEquals(BucketPath.ROOT, b("k3"), 42))
            .then(Op.put(PATH, b("k"), b("value")), Op.createBucket(PATH.child(b("c"))))
            .otherwise(Op.delete(PATH, b("k")), Op.deleteBucket(PATH));
    Request decoded = decode(WireFormat.encode(new Request.Update(write)));
    Write back = ((Request.Update) decoded).write();
    assertThat(back.compares()).hasSize(3);
    assertThat(((Compare.RevisionEquals) back.compares().get(2)).revision()).isEqualTo(42);
    assertThat(((Op.Put) back.then().get(0)).value()).isEqualTo(b("value"));
    assertThat(((Op.CreateBucket) back.then().get(1)).bucket()).isEqualTo(PATH.child(b("c")));
    assertThat(back.otherwise()).hasSize(2);
  }

  @Test
  void shouldRoundTripAReversedRangeScanAndTheResponses() {
    Request.Scan scan =
        (Request.Scan)
            decode(
                WireFormat.encode(new Request.Scan(PATH, KeyRange.prefix(b("p")).reversed(), 7)));
    assertThat(scan.limit()).isEqualTo(7);
    assertThat(scan.range().isReversed()).isTrue();
    assertThat(scan.range().lower()).isEqualTo(b("p"));
    assertThat(scan.range().upper()).isEqualTo(b("q"));

    Response values =
        WireFormat.decodeResponse(
            ByteBuffer.wrap(
                WireFormat.encode(
                    new Response.Values(9, List.of(new KeyValue(b("k"), b("v"), 5))))));
    KeyValue kv = ((Response.Values) values).entries().getFirst();
    assertThat(kv.revision()).isEqualTo(5);
    assertThat(kv.valueUtf8()).isEqualTo("v");
    Response failed =
        WireFormat.decodeResponse(
            ByteBuffer.wrap(
                WireFormat.encode(new Response.Failed(Response.Error.STALE, "behind: applied=3"))));
    assertThat(failed).isEqualTo(new Response.Failed(Response.Error.STALE, "behind: applied=3"));
  }

  @Test
  void shouldRefuseAHostileLengthWithoutAllocatingIt() {
    byte[] put = WireFormat.encode(new Request.Update(Write.of(Op.put(PATH, b("k"), b("v")))));
    // The message ends | value len u32 | "v" | else count u16 |: claim 2 GiB - 1 bytes of value.
    int at = put.length - 2 - 1 - 4;
    put[at] = 0x7F;
    put[at + 1] = (byte) 0xFF;
    put[at + 2] = (byte) 0xFF;
    put[at + 3] = (byte) 0xFF;
    assertThatThrownBy(() -> decode(put))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("length past the end of the message")
        .hasMessageContaining("length=2147483647");
  }

  @Test
  void shouldRefuseAnotherVersionAnUnknownKindAndTrailingBytes() {
    byte[] get = WireFormat.encode(new Request.Get(PATH, b("k")));
    byte[] otherVersion = get.clone();
    otherVersion[0] = 2;
    assertThatThrownBy(() -> decode(otherVersion))
        .hasMessageContaining("unsupported wire format version");
    byte[] unknownKind = get.clone();
    unknownKind[1] = 99;
    assertThatThrownBy(() -> decode(unknownKind))
        .hasMessageContaining("unknown request kind: kind=99");
    byte[] trailing = Arrays.copyOf(get, get.length + 1);
    assertThatThrownBy(() -> decode(trailing)).hasMessageContaining("trailing bytes");
    assertThatThrownBy(() -> decode(Arrays.copyOf(get, get.length - 1)))
        .isInstanceOf(WireFormatException.class);
  }

  private static Request decode(byte[] bytes) {
    return WireFormat.decodeRequest(ByteBuffer.wrap(bytes));
  }
}

package dev.mmkit.kv;

import dev.mmkit.kv.internal.storage.PageFile;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * ForwardingPageFile passes every call to another page file; a test overrides the calls it wants to
 * make go wrong (a failed write, a lost one, a size read at the wrong moment).
 */
class ForwardingPageFile implements PageFile {
  private final PageFile inner;

  ForwardingPageFile(PageFile inner) {
    this.inner = inner;
  }

  @Override
  public void write(ByteBuffer source, long position) throws IOException {
    inner.write(source, position);
  }

  @Override
  public int read(ByteBuffer target, long position) throws IOException {
    return inner.read(target, position);
  }

  @Override
  public void force(boolean metadata) throws IOException {
    inner.force(metadata);
  }

  @Override
  public long size() throws IOException {
    return inner.size();
  }

  @Override
  public void close() throws IOException {
    inner.close();
  }
}

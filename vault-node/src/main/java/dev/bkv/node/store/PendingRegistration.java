package dev.bkv.node.store;

/**
 * A registration committed to start ({@link Command.Begin}) and not yet completed: the key shares
 * the new record will have and the blinded element (SHA-256) they may be evaluated on. One per
 * user; a later {@code Begin} replaces it.
 *
 * @param index the log index of the {@code Begin}
 */
public record PendingRegistration(long index, byte[] element, KeyShares shares) {
  private static final int VERSION = 1;

  public PendingRegistration {
    if (index < 0 || element == null || element.length != 32 || shares == null
        || shares.isEmpty()) {
      throw new IllegalArgumentException("pending registration needs an index >= 0, a 32-byte "
          + "element and key shares");
    }
    element = element.clone();
  }

  @Override
  public byte[] element() {
    return element.clone();
  }

  public byte[] toBytes() {
    WireWriter w = new WireWriter().u8(VERSION).u64(index).bytes(element);
    shares.write(w);
    return w.toBytes();
  }

  public static PendingRegistration parse(byte[] data) throws MalformedMessageException {
    WireReader r = new WireReader("pending registration", data);
    r.version(VERSION);
    long index = r.nonNegative("index");
    byte[] element = r.bytes("element", 32, 32);
    KeyShares shares = KeyShares.read(r);
    r.end();
    if (shares.isEmpty()) {
      throw new MalformedMessageException("pending registration has no key shares");
    }
    return new PendingRegistration(index, element, shares);
  }
}

package dev.bkv.node.store;

/**
 * What a registration stores for a user: the OPAQUE registration record (opaque bytes at this
 * layer) and the sealed backup key, already wrapped by the HSM record key. Each is 1..{@value
 * UserRecord#MAX_BLOB} bytes.
 */
public record RecordContent(byte[] registrationRecord, byte[] sealedKey) {
  public RecordContent {
    check("registration record", registrationRecord);
    check("sealed key", sealedKey);
    registrationRecord = registrationRecord.clone();
    sealedKey = sealedKey.clone();
  }

  @Override
  public byte[] registrationRecord() {
    return registrationRecord.clone();
  }

  @Override
  public byte[] sealedKey() {
    return sealedKey.clone();
  }

  /** Writes the registration record, then the sealed key. */
  WireWriter writeTo(WireWriter w) {
    return w.bytes(registrationRecord).bytes(sealedKey);
  }

  /** Reads what {@link #writeTo} wrote. */
  static RecordContent read(WireReader r) throws MalformedMessageException {
    return new RecordContent(r.bytes("registration record", 1, UserRecord.MAX_BLOB),
        r.bytes("sealed key", 1, UserRecord.MAX_BLOB));
  }

  private static void check(String what, byte[] value) {
    if (value == null || value.length == 0 || value.length > UserRecord.MAX_BLOB) {
      throw new IllegalArgumentException(what + " is "
          + (value == null ? "null" : value.length + " bytes") + "; expected 1.."
          + UserRecord.MAX_BLOB);
    }
  }

}

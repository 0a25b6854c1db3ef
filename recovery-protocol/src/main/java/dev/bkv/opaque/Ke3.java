package dev.bkv.opaque;

import dev.bkv.opaque.internal.Bytes;
import dev.bkv.recovery.BadInputException;

/** RFC 9807 KE3: client_mac (32 bytes). */
public record Ke3(byte[] clientMac) {
  public static final int LENGTH = CipherSuite.MAC_LENGTH;

  public Ke3 {
    clientMac = Bytes.requireLength(clientMac, LENGTH, "client_mac");
  }

  @Override
  public byte[] clientMac() {
    return clientMac.clone();
  }

  public byte[] toBytes() {
    return clientMac.clone();
  }

  public static Ke3 parse(byte[] bytes) throws BadInputException {
    return new Ke3(Bytes.exact(bytes, LENGTH, "KE3"));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ke3 k && java.util.Arrays.equals(clientMac, k.clientMac);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(clientMac);
  }

  @Override
  public String toString() {
    return "Ke3[" + org.bouncycastle.util.encoders.Hex.toHexString(clientMac) + "]";
  }
}

package dev.bkv.node.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The closure receipts of a migration (DESIGN §11): each member of the earlier fleet that applied
 * a {@link Command.Close} signs, with its Raft credential, that the record of this user is
 * closed in favour of this successor with this many attempts used. The next fleet makes the
 * successor live only with the receipts of a majority of the earlier fleet's members, so no
 * minority of hosts can leave a user with two live records. Wire format: a u32 count, then per
 * receipt the member id and the DER signature as length-prefixed byte strings.
 */
public final class ClosureReceipts {
  /** Most bytes an encoded list may have. */
  public static final int MAX_BYTES = 8192;
  /** Most receipts in a list (the largest fleet). */
  public static final int MAX_RECEIPTS = 16;
  private static final String DOMAIN = "bkv closure receipt v1\n";

  /** One member's signature. */
  public record Receipt(String memberId, byte[] signature) {
    public Receipt {
      if (memberId == null || memberId.isEmpty() || memberId.length() > 64) {
        throw new IllegalArgumentException("receipt member id must be 1..64 characters");
      }
      if (signature == null || signature.length < 8 || signature.length > 80) {
        throw new IllegalArgumentException("receipt signature must be 8..80 bytes");
      }
      signature = signature.clone();
    }

    @Override
    public byte[] signature() {
      return signature.clone();
    }
  }

  /** Decides, on every replica alike, whether receipts prove a closure. */
  @FunctionalInterface
  public interface Check {
    /** Whether {@code receipts} prove that {@code user}'s record closed for this successor. */
    boolean proves(UserId user, byte[] successor, int attempts, List<Receipt> receipts);

    /** No earlier fleet configured: nothing is proven. */
    Check NONE = (user, successor, attempts, receipts) -> false;
  }

  private ClosureReceipts() {}

  /** What each member signs: the closing fleet, the user, the successor and the attempts used. */
  public static byte[] message(String fleetId, long epoch, UserId user, byte[] successor,
      int attempts) {
    return new WireWriter().bytes(DOMAIN.getBytes(StandardCharsets.US_ASCII))
        .bytes(fleetId.getBytes(StandardCharsets.UTF_8)).u64(epoch).bytes(user.bytes())
        .bytes(successor).u32(attempts).toBytes();
  }

  public static byte[] encode(List<Receipt> receipts) {
    if (receipts.size() > MAX_RECEIPTS) {
      throw new IllegalArgumentException(receipts.size() + " receipts; at most " + MAX_RECEIPTS);
    }
    WireWriter w = new WireWriter().u32(receipts.size());
    for (Receipt r : receipts) {
      w.bytes(r.memberId().getBytes(StandardCharsets.UTF_8)).bytes(r.signature());
    }
    return w.toBytes();
  }

  public static List<Receipt> decode(byte[] data) throws MalformedMessageException {
    WireReader r = new WireReader("closure receipts", data);
    int n = r.u32("receipt count", 0, MAX_RECEIPTS);
    List<Receipt> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String id = new String(r.bytes("receipt member id", 1, 64), StandardCharsets.UTF_8);
      byte[] sig = r.bytes("receipt signature", 8, 80);
      out.add(new Receipt(id, sig));
    }
    r.end();
    return out;
  }
}

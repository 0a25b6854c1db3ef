package dev.bkv.node.service;

import dev.bkv.ec.P256;
import dev.bkv.ec.Point;
import dev.bkv.ec.XOnlyPointRecovery;
import dev.bkv.evidence.ShareLayout;
import dev.bkv.node.store.KeyShares;
import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.HsmNotFoundException;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.PublicValue;
import dev.bkv.pkcs11.ShareWrapKey;
import dev.bkv.recovery.BadInputException;
import dev.bkv.recovery.InternalFaultException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * This member's part of the per-user OPRF keys (DESIGN §10): the group wrap keys of the share
 * sets it holds, and what it does with them — generate a record's share for a set, and evaluate
 * shares on a blinded element. Every share operation is one HSM call ({@link ShareWrapKey}).
 */
public final class ShareKeys {
  private final ShareLayout layout;
  private final String memberId;
  private final Map<String, ShareWrapKey> held;
  /** One share per held set, in no record: evaluated where a user has none (same HSM work). */
  private final Map<String, KeyShares.Share> throwaway =
      new java.util.concurrent.ConcurrentHashMap<>();

  ShareKeys(ShareLayout layout, String memberId, Map<String, ShareWrapKey> held) {
    this.layout = layout;
    this.memberId = memberId;
    this.held = Map.copyOf(held);
  }

  /**
   * The wrap keys {@code memberId} must hold in {@code layout}, found on the token by label.
   * Refuses, naming every missing label, when the token lacks any (a token provisioned before
   * the layout existed, or for another member).
   */
  public static ShareKeys open(Pkcs11Token token, ShareLayout layout, String memberId)
      throws InternalFaultException {
    Map<String, ShareWrapKey> held = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    try {
      for (ShareLayout.ShareSet set : layout.heldBy(memberId)) {
        String label = layout.label(set);
        try {
          held.put(set.name(), new ShareWrapKey(token.keys().findAes(label)));
        } catch (HsmNotFoundException e) {
          missing.add(label);
        }
      }
    } catch (HsmException e) {
      throw new InternalFaultException("loading the share wrap keys of member " + memberId
          + " failed: " + e.getMessage(), e);
    }
    if (!missing.isEmpty()) {
      throw new InternalFaultException("token of member " + memberId + " lacks the share wrap "
          + "keys " + missing + " (members " + layout.members() + "); provision the fleet "
          + "with this version's ceremony");
    }
    return new ShareKeys(layout, memberId, held);
  }

  public ShareLayout layout() {
    return layout;
  }

  public String memberId() {
    return memberId;
  }

  /** The names of the sets whose shares this member can generate and evaluate. */
  public Set<String> heldSets() {
    return held.keySet();
  }

  /** A fresh share for {@code set}, generated in this member's HSM and returned wrapped. */
  public KeyShares.Share generate(String set) throws InternalFaultException {
    try {
      ShareWrapKey.WrappedShare w = key(set).generate();
      return new KeyShares.Share(set, w.publicKey().point(), w.wrapped());
    } catch (HsmException e) {
      throw new InternalFaultException("generating a key share for set " + set + " failed: "
          + e.getMessage(), e);
    }
  }

  /**
   * {@code r·B} for the share's summand {@code r}: one HSM call gives x(r·B) and x(r·(B+G)),
   * resolved with the share's public point (DESIGN §3). {@code B = −G} is answered as −R.
   */
  public Point evaluate(KeyShares.Share share, Point blinded) throws InternalFaultException {
    Point pub;
    try {
      pub = P256.decodePoint(share.publicKey());
    } catch (BadInputException e) {
      throw new InternalFaultException("stored share " + share.set() + " has a bad public point: "
          + e.getMessage(), e);
    }
    Optional<Point> plusG = blinded.add(P256.generator());
    if (plusG.isEmpty()) {
      return pub.negate();
    }
    byte[][] x;
    try {
      // the public point goes along for tokens that unwrap an EC key only with it (NSS softokn)
      x = key(share.set()).evaluate(share.wrapped(), new PublicValue.EcP256(pub.toUncompressed()),
          blinded.toUncompressed(), plusG.get().toUncompressed());
    } catch (HsmException e) {
      throw new InternalFaultException("evaluating key share " + share.set() + " failed: "
          + e.getMessage(), e);
    }
    try {
      return XOnlyPointRecovery.resolve(pub, x[0], x[1]);
    } finally {
      java.util.Arrays.fill(x[0], (byte) 0);
      java.util.Arrays.fill(x[1], (byte) 0);
    }
  }

  /**
   * Evaluates this member's throwaway share of {@code set} on {@code b} and discards the result:
   * the HSM work of a real evaluation, for a user without a record, so that the time taken does
   * not tell whether the user exists.
   */
  public void evaluateThrowaway(String set, Point b) throws InternalFaultException {
    KeyShares.Share s = throwaway.get(set);
    if (s == null) {
      s = generate(set);
      KeyShares.Share before = throwaway.putIfAbsent(set, s);
      s = before != null ? before : s;
    }
    evaluate(s, b);
  }

  /** The sum of {@code r·B} over the given shares (all of which this member must hold). */
  public Point evaluateAll(Collection<KeyShares.Share> shares, Point blinded)
      throws InternalFaultException {
    Point sum = null;
    for (KeyShares.Share s : shares) {
      Point p = evaluate(s, blinded);
      sum = sum == null ? p : sum.add(p).orElse(null);
      if (sum == null) {
        throw new InternalFaultException("partial evaluations summed to the identity");
      }
    }
    if (sum == null) {
      throw new IllegalArgumentException("no shares to evaluate");
    }
    return sum;
  }

  private ShareWrapKey key(String set) throws InternalFaultException {
    ShareWrapKey k = held.get(set);
    if (k == null) {
      throw new InternalFaultException("member " + memberId + " does not hold the wrap key of "
          + "share set " + set + " (it holds " + held.keySet() + ")");
    }
    return k;
  }

  @Override
  public String toString() {
    return "ShareKeys[" + memberId + " holds " + held.keySet() + "]";
  }
}

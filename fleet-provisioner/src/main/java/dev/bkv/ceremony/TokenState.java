package dev.bkv.ceremony;

import dev.bkv.evidence.FleetKey;
import dev.bkv.evidence.ShareLayout;
import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.ObjectInfo;
import dev.bkv.pkcs11.Pkcs11Token;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where one token stands in a fleet's ceremony, read from its inventory.
 *
 * @param present         fleet keys whose secret half exists
 * @param extractable     fleet keys whose secret half is still extractable
 * @param shares          labels of the group wrap keys ({@code fleet/<id>/oprf-share/…}) present
 * @param extractableShares group wrap keys still extractable
 * @param expectedShares  labels of the group wrap keys this member holds in the share layout
 * @param fleetObjects    objects under {@code fleet/<space>/} (the fleet epoch's key space)
 * @param ceremonyObjects objects under {@code ceremony/<space>/} (trusted transport objects)
 */
public record TokenState(String token, Set<FleetKey> present, Set<FleetKey> extractable,
                         Set<String> shares, Set<String> extractableShares,
                         Set<String> expectedShares, int fleetObjects, int ceremonyObjects) {

  /**
   * The state of one fleet epoch's keys ({@code space}, see {@link FleetKey#space}) on a token;
   * {@code expectedShares}: labels of the group wrap keys the token's member should hold.
   */
  public static TokenState of(Pkcs11Token token, String space, Set<String> expectedShares)
      throws HsmException {
    List<ObjectInfo> inv = token.inventory();
    Set<FleetKey> present = EnumSet.noneOf(FleetKey.class);
    Set<FleetKey> extractable = EnumSet.noneOf(FleetKey.class);
    Set<String> shares = new TreeSet<>();
    Set<String> extractableShares = new TreeSet<>();
    int fleet = 0;
    int ceremony = 0;
    for (ObjectInfo o : inv) {
      fleet += o.label().startsWith(FleetKey.prefix(space)) ? 1 : 0;
      ceremony += o.label().startsWith(FleetKey.ceremonyPrefix(space)) ? 1 : 0;
      if (o.label().startsWith(ShareLayout.labelPrefix(space))) {
        shares.add(o.label());
        if (!Boolean.FALSE.equals(o.extractable())) {
          extractableShares.add(o.label());
        }
      }
      for (FleetKey k : FleetKey.values()) {
        if (o.label().equals(k.label(space)) && o.objectClass() == k.objectClass()) {
          present.add(k);
          if (!Boolean.FALSE.equals(o.extractable())) {
            extractable.add(k);
          }
        }
      }
    }
    return new TokenState(token.info().label(), present, extractable, shares, extractableShares,
        Set.copyOf(expectedShares), fleet, ceremony);
  }

  /** Labels of the group wrap keys {@code member} holds in {@code layout}. */
  public static Set<String> expectedShares(ShareLayout layout, String member) {
    Set<String> out = new TreeSet<>();
    layout.heldBy(member).forEach(s -> out.add(layout.label(s)));
    return out;
  }

  /**
   * All four fleet keys, exactly the expected group wrap keys, none extractable, no ceremony
   * objects.
   */
  public boolean complete() {
    return sealedEverywhere() && ceremonyObjects == 0;
  }

  /**
   * Past the seal: all four fleet keys, nothing extractable and no ceremony objects, whether or
   * not the group wrap keys are those of the expected layout.
   */
  public boolean sealed() {
    return present.size() == FleetKey.values().length && extractable.isEmpty()
        && extractableShares.isEmpty() && ceremonyObjects == 0;
  }

  /** All four fleet keys and the expected group wrap keys, none extractable; trusted ceremony objects may remain. */
  public boolean sealedEverywhere() {
    return present.size() == FleetKey.values().length && extractable.isEmpty()
        && shares.equals(expectedShares) && extractableShares.isEmpty();
  }

  public boolean empty() {
    return fleetObjects == 0 && ceremonyObjects == 0;
  }

  /** Destroys every object whose label starts with {@code prefix}; returns how many. */
  static int destroyByPrefix(Pkcs11Token token, String prefix) throws HsmException {
    Set<String> labels = new TreeSet<>();
    for (ObjectInfo o : token.inventory()) {
      if (o.label().startsWith(prefix)) {
        labels.add(o.label());
      }
    }
    int n = 0;
    for (String label : labels) {
      n += token.keys().destroyAll(label);
    }
    return n;
  }

  /** Destroys one fleet epoch's keys and ceremony objects on {@code token}; returns how many. */
  static int rollBack(Pkcs11Token token, String space) throws HsmException {
    return destroyByPrefix(token, FleetKey.prefix(space))
        + destroyByPrefix(token, FleetKey.ceremonyPrefix(space));
  }
}

package dev.bkv.ceremony;

import dev.bkv.evidence.FleetKey;
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
 * @param fleetObjects    objects under {@code fleet/<id>/}
 * @param ceremonyObjects objects under {@code ceremony/<id>/} (trusted transport objects)
 */
public record TokenState(String token, Set<FleetKey> present, Set<FleetKey> extractable,
                         int fleetObjects, int ceremonyObjects) {

  public static TokenState of(Pkcs11Token token, String fleetId) throws HsmException {
    List<ObjectInfo> inv = token.inventory();
    Set<FleetKey> present = EnumSet.noneOf(FleetKey.class);
    Set<FleetKey> extractable = EnumSet.noneOf(FleetKey.class);
    int fleet = 0;
    int ceremony = 0;
    for (ObjectInfo o : inv) {
      fleet += o.label().startsWith(FleetKey.prefix(fleetId)) ? 1 : 0;
      ceremony += o.label().startsWith(FleetKey.ceremonyPrefix(fleetId)) ? 1 : 0;
      for (FleetKey k : FleetKey.values()) {
        if (o.label().equals(k.label(fleetId)) && o.objectClass() == k.objectClass()) {
          present.add(k);
          if (!Boolean.FALSE.equals(o.extractable())) {
            extractable.add(k);
          }
        }
      }
    }
    return new TokenState(token.info().label(), present, extractable, fleet, ceremony);
  }

  /** All four fleet keys, none extractable, no ceremony objects. */
  public boolean complete() {
    return present.size() == FleetKey.values().length && extractable.isEmpty() && ceremonyObjects == 0;
  }

  /** All four fleet keys, none extractable; trusted ceremony objects may remain. */
  public boolean sealedEverywhere() {
    return present.size() == FleetKey.values().length && extractable.isEmpty();
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

  /** Destroys this fleet's keys and ceremony objects on {@code token}; returns how many. */
  static int rollBack(Pkcs11Token token, String fleetId) throws HsmException {
    return destroyByPrefix(token, FleetKey.prefix(fleetId))
        + destroyByPrefix(token, FleetKey.ceremonyPrefix(fleetId));
  }
}

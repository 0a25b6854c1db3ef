package dev.bkv.ceremony;

import dev.bkv.evidence.SoftwareVersion;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.testing.SoftHsmTokens;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Test fleets on fresh SoftHSM2 tokens. */
final class Fleets {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC);
  static final SoftwareVersion SOFTWARE = new SoftwareVersion("test-classes", SoftwareVersion.DEVELOPMENT);

  private Fleets() {}

  static List<Pkcs11Token> open(String prefix, int n) throws Exception {
    List<Pkcs11Token> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      out.add(Pkcs11Token.open(SoftHsmTokens.create(prefix + i)));
    }
    return out;
  }

  static Ceremony.Request request(String fleet, List<Pkcs11Token> members, Pkcs11Token operator,
                                  boolean restart) {
    return new Ceremony.Request(fleet, 1, members.get(0), members.subList(1, members.size()),
        operator, restart);
  }

  static Ceremony ceremony(FaultInjector faults) {
    return new Ceremony(CLOCK, s -> { }, faults, SOFTWARE);
  }
}

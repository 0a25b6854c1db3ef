package dev.bkv.ceremony;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.evidence.EvidenceVerifier;
import dev.bkv.evidence.FleetKey;
import dev.bkv.evidence.ShareLayout;
import dev.bkv.pkcs11.ShareWrapKey;
import java.util.HashMap;
import java.util.Map;
import dev.bkv.pkcs11.ObjectInfo;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.testing.SoftHsmTokens;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Five members; an independent PKCS#11 client (OpenSC's pkcs11-tool) sees the same end state. */
class FiveMemberCeremonyTest {
  @Test
  void fiveMembersEndIdenticalAndPkcs11ToolAgrees() throws Exception {
    List<SoftHsmTokens.TestToken> made = new ArrayList<>();
    List<Pkcs11Token> members = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      SoftHsmTokens.TestToken t = SoftHsmTokens.createToken("five" + i);
      made.add(t);
      members.add(Pkcs11Token.open(t.config()));
    }
    Pkcs11Token operator = Pkcs11Token.open(SoftHsmTokens.create("fiveop"));
    try {
      Ceremony.Result r = Fleets.ceremony(FaultInjector.NONE).run(Fleets.request("five", members, operator, false));
      assertTrue(EvidenceVerifier.verify(r.evidence()).valid());
      Set<String> points = new HashSet<>();
      for (int i = 0; i < 5; i++) {
        Pkcs11Token m = members.get(i);
        points.add(java.util.HexFormat.of().formatHex(
            m.keys().findEcP256(FleetKey.OPRF.label("five")).publicKey().point()));
        List<ObjectInfo> fleet = m.inventory().stream().filter(o -> o.label().startsWith("fleet/five/")).toList();
        assertEquals(6 + 6, fleet.size(), "4 fleet keys, 2 public halves, 6 of the 10 group wrap keys");
        assertTrue(fleet.stream().allMatch(o -> !Boolean.TRUE.equals(o.extractable())));
        List<Block> seen = pkcs11Tool(made.get(i));
        Set<String> bkvLabels = new TreeSet<>(m.inventory().stream().map(o -> o.objectClass() + " " + o.label()).toList());
        Set<String> toolLabels = new TreeSet<>(seen.stream().map(b -> b.cls() + " " + b.label()).toList());
        assertEquals(bkvLabels, toolLabels, "pkcs11-tool and bkv list the same objects on " + m.description());
        for (Block b : seen) {
          if (b.label().startsWith("fleet/five/") && !b.cls().equals("PUBLIC_KEY")) {
            assertTrue(b.access().contains("sensitive"), b.toString());
            assertFalse((", " + b.access()).contains(", extractable"), b.toString());
          }
        }
      }
      assertEquals(1, points.size());
      assertExactShareHoldings(members);
    } finally {
      members.forEach(Pkcs11Token::close);
      operator.close();
    }
  }

  /** 10 sets of two members; each member holds exactly the 6 it is not in, same key per set. */
  static void assertExactShareHoldings(List<Pkcs11Token> members) throws Exception {
    List<String> ids = new ArrayList<>();
    for (Pkcs11Token m : members) {
      ids.add(new String(m.keys().findEcP256(FleetKey.MEMBER_IDENTITY).id(), StandardCharsets.UTF_8));
    }
    ShareLayout layout = new ShareLayout("five", ids);
    assertEquals(10, layout.sets().size());
    Map<String, String> checkOfSet = new HashMap<>();
    for (int i = 0; i < members.size(); i++) {
      Set<String> held = new TreeSet<>();
      for (ObjectInfo o : members.get(i).inventory()) {
        if (o.label().startsWith(ShareLayout.labelPrefix("five"))) {
          held.add(o.label());
          assertEquals(Boolean.FALSE, o.extractable(), o.label());
          assertEquals(Boolean.TRUE, o.sensitive(), o.label());
        }
      }
      Set<String> expected = new TreeSet<>();
      layout.heldBy(ids.get(i)).forEach(s -> expected.add(layout.label(s)));
      assertEquals(6, expected.size());
      assertEquals(expected, held, "member " + ids.get(i));
      for (String label : held) {
        String check = new ShareWrapKey(members.get(i).keys().findAes(label)).checkValue();
        String first = checkOfSet.putIfAbsent(label, check);
        assertTrue(first == null || first.equals(check), label + " differs on member " + ids.get(i));
      }
    }
    assertEquals(10, checkOfSet.size());
    assertEquals(10, new HashSet<>(checkOfSet.values()).size(), "every set has its own key");
  }

  record Block(String cls, String label, String access) {}

  /** {@code pkcs11-tool --list-objects} as (class, label, access) blocks. */
  static List<Block> pkcs11Tool(SoftHsmTokens.TestToken t) throws Exception {
    Process p = new ProcessBuilder(SoftHsmTokens.findOnPath("pkcs11-tool").toString(), "--module",
        SoftHsmTokens.module().toString(), "--token-label", t.label(), "--login", "--pin", t.userPin(),
        "--list-objects").redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    List<Block> blocks = new ArrayList<>();
    String cls = null;
    String label = "";
    String access = "";
    for (String line : (out + "\nEND Object;").split("\n")) {
      if (line.contains(" Object;")) {
        if (cls != null) {
          blocks.add(new Block(cls, label, access));
        }
        cls = line.startsWith("Private Key") ? "PRIVATE_KEY" : line.startsWith("Public Key") ? "PUBLIC_KEY"
            : line.startsWith("Secret Key") ? "SECRET_KEY" : line.startsWith("END") ? null : "OTHER";
        label = "";
        access = "";
      } else if (line.strip().startsWith("label:")) {
        label = line.substring(line.indexOf(':') + 1).strip();
      } else if (line.strip().startsWith("Access:")) {
        access = line.substring(line.indexOf(':') + 1).strip();
      }
    }
    assertFalse(blocks.isEmpty(), out);
    return blocks;
  }
}

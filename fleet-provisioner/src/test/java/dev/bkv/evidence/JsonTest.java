package dev.bkv.evidence;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bkv.pkcs11.TokenDescription;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The canonical form: sorted at every level, round-trips byte for byte. */
class JsonTest {
  @Test
  void attestationTreesAreSortedAndRoundTrip() throws Exception {
    ObjectNode att = JsonNodeFactory.instance.objectNode().put("format", "yubihsm2").put("certificates", "x");
    FleetKeyValue v = new FleetKeyValue("fleet/a/oprf", "EC_P256", null, "ab", "sha256-point");
    MemberStatement st = new MemberStatement(MemberStatement.SCHEMA, "a", 1, "m", "member",
        new TokenDescription("l", "m", "mo", "s", "1", "2"), "04", "aa", List.of(v), List.of(), List.of(), att, List.of());
    String canonical = new String(Json.canonical(st), StandardCharsets.UTF_8);
    assertTrue(canonical.startsWith("{\"attestation\":{\"certificates\":\"x\",\"format\":\"yubihsm2\"},\"checks\":[]"),
        canonical);
    MemberStatement back = Json.parse(Json.pretty(st), MemberStatement.class, "test");
    assertArrayEquals(Json.canonical(st), Json.canonical(back));
  }

  @Test
  void unknownPropertiesAndWrongTypesAreRejectedNamingTheInput() {
    MalformedEvidenceException e = assertThrows(MalformedEvidenceException.class,
        () -> Json.parse("{\"keyid\":\"a\",\"sig\":\"b\",\"extra\":1}".getBytes(StandardCharsets.UTF_8),
            Envelope.Signature.class, "signature file"));
    assertTrue(e.getMessage().startsWith("signature file is not a valid Signature"), e.getMessage());
  }
}

package dev.bkv.node.testing;

import dev.bkv.node.raft.CommandEnvelope;
import dev.bkv.node.raft.RaftTlsFiles;
import dev.bkv.node.trust.IdentityKey;
import dev.bkv.node.trust.MemberCredential;
import dev.bkv.node.trust.MemberCredentialFiles;
import dev.bkv.node.trust.MemberRoster;
import dev.bkv.node.trust.RosterEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.ratis.protocol.RaftGroupId;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Raft credentials for test fleets without HSM identity keys: each member gets a software
 * identity key that certifies its Raft TLS key, and {@code roster.json} pins them all. The
 * production path signs with the token's {@code member/identity} key ({@code bkv node
 * member-cert}); the certificates and roster are the same otherwise.
 */
public final class TestRaftTrust {
  private final Path dir;
  private final Map<String, KeyPair> identities;

  private TestRaftTrust(Path dir, Map<String, KeyPair> identities) {
    this.dir = dir;
    this.identities = identities;
  }

  /** Credentials for {@code ids} and their roster, in {@code dir}. */
  public static TestRaftTrust create(Path dir, List<String> ids) throws Exception {
    SecureRandom rng = new SecureRandom();
    Map<String, KeyPair> identities = new java.util.LinkedHashMap<>();
    List<RosterEntry> entries = new ArrayList<>();
    for (String id : ids) {
      KeyPair identity = p256(rng);
      identities.put(id, identity);
      X509Certificate cert = MemberCredentialFiles.issue(dir, id,
          new JcaContentSignerBuilder("SHA256withECDSA").build(identity.getPrivate()),
          Duration.ofDays(1), rng, Clock.systemUTC());
      entries.add(new RosterEntry(id, IdentityKey.of(identity.getPublic()), cert));
    }
    Files.writeString(dir.resolve("roster.json"), MemberRoster.of(entries).toJson());
    return new TestRaftTrust(dir, identities);
  }

  public static KeyPair p256(SecureRandom rng) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), rng);
    return g.generateKeyPair();
  }

  public Path roster() {
    return dir.resolve("roster.json");
  }

  /** A member's identity key pair (software, tests only). */
  public KeyPair identity(String id) {
    return identities.get(id);
  }

  /** The roster and {@code id}'s credential. */
  public RaftTlsFiles files(String id) {
    return new RaftTlsFiles(roster(), MemberCredentialFiles.certFile(dir, id),
        MemberCredentialFiles.keyFile(dir, id));
  }

  /** {@code command} in an envelope signed with member {@code id}'s Raft TLS key. */
  public byte[] signed(String id, RaftGroupId group, byte[] command) throws Exception {
    MemberCredential c = MemberCredential.load(files(id).cert(), files(id).key());
    return new CommandEnvelope(id, c.sign(CommandEnvelope.signedMessage(group, id, command)),
        command).toBytes();
  }

  /** The {@code node.raft.*} config keys that give member {@code id} its credential. */
  public Map<String, String> properties(String id) {
    RaftTlsFiles f = files(id);
    return Map.of("node.raft.roster", f.roster().toString(), "node.raft.tls.cert",
        f.cert().toString(), "node.raft.tls.key", f.key().toString());
  }
}

package dev.bkv.node.raft;

import dev.bkv.node.store.MalformedMessageException;
import dev.bkv.node.store.WireReader;
import dev.bkv.node.store.WireWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.apache.ratis.protocol.RaftGroupId;

/**
 * A command as a member submits it to Raft: signed by the member's Raft TLS key, so the leader
 * can refuse anything that did not come from a fleet member ({@link CommandAuthenticator}). Only
 * the inner command reaches the log.
 *
 * <p>Wire format: {@code version (u8 = 0x81) ‖ member id (u32 len ‖ 1..64 B) ‖ signature
 * (u32 len ‖ 8..80 B, DER ECDSA) ‖ command (u32 len ‖ 1..MAX_COMMAND B)}; no trailing bytes.
 * The signature is ECDSA P-256/SHA-256 over {@link #signedMessage}: the domain {@value
 * #DOMAIN}, the Raft group id, the member id and the command bytes, each length-prefixed.
 *
 * @param memberId the member that signed
 * @param signature DER-encoded ECDSA signature
 * @param command the inner command bytes ({@code dev.bkv.node.store.Command} wire format)
 */
public record CommandEnvelope(String memberId, byte[] signature, byte[] command) {
  public static final int VERSION = 0x81;
  public static final String DOMAIN = "bkv/raft/signed-command/v1";
  static final int MAX_COMMAND = 1 << 20;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  public CommandEnvelope {
    if (memberId == null || !ID.matcher(memberId).matches()) {
      throw new IllegalArgumentException("envelope member id is '" + memberId + "'");
    }
    if (signature.length < 8 || signature.length > 80) {
      throw new IllegalArgumentException("envelope signature is " + signature.length
          + " bytes; expected 8..80");
    }
    if (command.length < 1 || command.length > MAX_COMMAND) {
      throw new IllegalArgumentException("envelope command is " + command.length
          + " bytes; expected 1.." + MAX_COMMAND);
    }
    signature = signature.clone();
    command = command.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public byte[] command() {
    return command.clone();
  }

  public byte[] toBytes() {
    return new WireWriter().u8(VERSION).bytes(memberId.getBytes(StandardCharsets.US_ASCII))
        .bytes(signature).bytes(command).toBytes();
  }

  public static CommandEnvelope parse(byte[] data) throws MalformedMessageException {
    WireReader r = new WireReader("signed command", data);
    r.version(VERSION);
    String id = new String(r.bytes("member id", 1, 64), StandardCharsets.US_ASCII);
    if (!ID.matcher(id).matches()) {
      throw new MalformedMessageException("signed command member id is '" + id
          + "'; expected 1..64 of A-Z a-z 0-9 _ -");
    }
    byte[] sig = r.bytes("signature", 8, 80);
    byte[] cmd = r.bytes("command", 1, MAX_COMMAND);
    r.end();
    return new CommandEnvelope(id, sig, cmd);
  }

  /** The bytes a member signs for {@code command} in {@code group}. */
  public static byte[] signedMessage(RaftGroupId group, String memberId, byte[] command) {
    ByteBuffer uuid = ByteBuffer.allocate(16);
    uuid.putLong(group.getUuid().getMostSignificantBits())
        .putLong(group.getUuid().getLeastSignificantBits());
    return new WireWriter().bytes(DOMAIN.getBytes(StandardCharsets.US_ASCII))
        .bytes(uuid.array()).bytes(memberId.getBytes(StandardCharsets.US_ASCII))
        .bytes(command).toBytes();
  }
}

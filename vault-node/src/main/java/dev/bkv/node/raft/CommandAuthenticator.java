package dev.bkv.node.raft;

import dev.bkv.node.store.MalformedMessageException;
import dev.bkv.node.trust.MemberCredential;
import dev.bkv.node.trust.MemberRoster;
import dev.bkv.node.trust.RosterEntry;
import java.security.GeneralSecurityException;
import org.apache.ratis.protocol.RaftGroupId;

/**
 * Decides, on the leader, whether a submitted message may become a log entry, and what the
 * entry holds. With a roster, a message must be a {@link CommandEnvelope} signed by a member's
 * pinned Raft certificate key; the entry holds the inner command only. Without one (the
 * explicit {@code node.raft.plaintext} mode), the message is the command.
 */
public interface CommandAuthenticator {
  /** Returns the command bytes to log, or throws with the reason the message is refused. */
  byte[] open(RaftGroupId group, byte[] message) throws CommandRefusedException;

  /** Accepts bare commands: only for members run with {@code node.raft.plaintext = true}. */
  CommandAuthenticator UNSIGNED = (group, message) -> message;

  /** Accepts only commands signed by a member of {@code roster}. */
  static CommandAuthenticator members(MemberRoster roster) {
    return (group, message) -> {
      CommandEnvelope env;
      try {
        env = CommandEnvelope.parse(message);
      } catch (MalformedMessageException e) {
        throw new CommandRefusedException("not a member-signed command ("
            + e.getMessage() + ")");
      }
      RosterEntry signer = roster.entry(env.memberId()).orElseThrow(() ->
          new CommandRefusedException("command signed by '" + env.memberId()
              + "', which is not in the member roster " + roster.ids()));
      boolean ok;
      try {
        ok = MemberCredential.verify(signer.certificate().getPublicKey(),
            CommandEnvelope.signedMessage(group, env.memberId(), env.command()),
            env.signature());
      } catch (GeneralSecurityException e) {
        ok = false; // a malformed DER signature
      }
      if (!ok) {
        throw new CommandRefusedException("the signature of member '"
            + env.memberId() + "' on a command for group " + group.getUuid()
            + " does not verify under its Raft certificate");
      }
      return env.command();
    };
  }
}

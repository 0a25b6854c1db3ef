package dev.bkv.ceremony;

import dev.bkv.evidence.Envelope;
import dev.bkv.evidence.EvidenceAssembler;
import dev.bkv.evidence.EvidencePayload;
import dev.bkv.evidence.EvidenceVerificationException;
import dev.bkv.evidence.FleetKey;
import dev.bkv.evidence.LiveCheck;
import dev.bkv.evidence.MemberReadback;
import dev.bkv.evidence.MemberSection;
import dev.bkv.evidence.MemberStatement;
import dev.bkv.evidence.MemberStatements;
import dev.bkv.evidence.OperatorKey;
import dev.bkv.evidence.ShareLayout;
import dev.bkv.evidence.SoftwareVersion;
import dev.bkv.pkcs11.EcPrivateKey;
import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.check.Role;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * The ceremony split across sites or processes, each step touching one token:
 * <ol>
 *   <li>genesis: {@link #exportKeys} generates the fleet keys and the group wrap keys of the
 *       layout over itself and every member descriptor, wraps for each member what it holds,
 *       destroys the group wrap keys it must not hold, seals, cleans up, and reads itself back;</li>
 *   <li>each member: {@link #importKeys} unwraps and reads itself back;</li>
 *   <li>operator: {@link #prepareEvidence} combines the read-backs into an unsigned envelope;</li>
 *   <li>each member and the operator: {@link #sign} re-reads its own token, compares it with its
 *       section, and adds its DSSE signature.</li>
 * </ol>
 */
public final class SplitCeremony {
  private SplitCeremony() {}

  /** What the genesis produces: one wrapped-keys file per member and its own read-back. */
  public record Export(List<WrappedKeys> wrapped, MemberReadback genesis) {}

  /**
   * Runs the genesis side. An unfinished earlier export on this token is rolled back first; a
   * sealed fleet cannot be exported again (use {@code restart} to destroy it and start over).
   */
  public static Export exportKeys(Pkcs11Token token, String fleetId, long epoch,
                                  List<MemberDescriptor> members, boolean restart,
                                  Consumer<String> progress) throws GeneralSecurityException {
    Transcript t = new Transcript(progress);
    Fallbacks.require(token, Role.GENESIS, t);
    MemberDescriptor self = MemberKeys.ensureMember(token, null);
    for (MemberDescriptor d : members) {
      d.verified();
      if (d.identityKey().equals(self.identityKey())) {
        throw new CeremonyException("member descriptor " + d.memberId()
            + " is the genesis token itself; list only the other members");
      }
    }
    List<MemberDescriptor> everyone = new ArrayList<>(List.of(self));
    everyone.addAll(members);
    ShareLayout layout = Ceremony.layout(fleetId, epoch, everyone);
    TokenState state = TokenState.of(token, FleetKey.space(fleetId, epoch), TokenState.expectedShares(layout, self.memberId()));
    if (state.sealed() && !restart) {
      throw new CeremonyException("fleet " + fleetId + " is already sealed on " + state.token()
          + "; its keys cannot be exported again. Re-run with --restart to destroy them and start over");
    }
    if (!state.empty()) {
      int n = TokenState.rollBack(token, FleetKey.space(fleetId, epoch));
      t.add("rollback", state.token(), "destroyed " + n + " objects of an earlier attempt");
    }
    Genesis genesis = new Genesis(token, fleetId, epoch, layout, t);
    List<WrappedKeys> out = new ArrayList<>();
    try {
      genesis.generateFleetKeys();
      for (MemberDescriptor d : members) {
        out.add(genesis.wrapFor(d));
      }
      genesis.seal();
      genesis.destroyCeremonyObjects();
    } catch (GeneralSecurityException | RuntimeException e) {
      int n = TokenState.rollBack(token, FleetKey.space(fleetId, epoch));
      throw new CeremonyException("export for fleet " + fleetId + " failed: " + e.getMessage()
          + "; rolled back (" + n + " objects destroyed), nothing was written. Run it again", e);
    }
    return new Export(out, readback(token, fleetId, epoch, "genesis", t));
  }

  /** Runs a member's side: checks the genesis signature, unwraps, reads back. */
  public static MemberReadback importKeys(Pkcs11Token token, WrappedKeys keys, String genesisKey,
                                          Consumer<String> progress) throws GeneralSecurityException {
    Transcript t = new Transcript(progress);
    keys.verified(genesisKey);
    Fallbacks.require(token, Role.MEMBER, t);
    MemberImport.importKeys(token, keys, t);
    return readback(token, keys.fleetId(), keys.epoch(), "member", t);
  }

  /** Reads a token back into a signed section plus the steps it ran. */
  public static MemberReadback readback(Pkcs11Token token, String fleetId, long epoch, String role,
                                        Transcript t) throws HsmException {
    MemberSection s = MemberStatements.readAndSign(token, fleetId, epoch, role);
    t.add("readback", token.info().label(), "read back every object; statement signed by the identity key");
    return new MemberReadback(s, t.entries());
  }

  /** The operator's step: builds the payload (checking every rule) and leaves it unsigned. */
  public static Envelope prepareEvidence(Pkcs11Token operator, String fleetId, long epoch,
                                         List<MemberReadback> readbacks, Instant time,
                                         SoftwareVersion software) throws GeneralSecurityException {
    EcPrivateKey key = MemberKeys.ensureOperator(operator);
    OperatorKey op = new OperatorKey(FleetKey.OPERATOR_COUNTERSIGN, EvidenceAssembler.publicHex(key),
        operator.info().description());
    EvidencePayload p = EvidenceAssembler.assemble(fleetId, epoch, time, software, op, readbacks);
    return Envelope.unsigned(p.toBytes());
  }

  /**
   * Adds this token's signature: as the member whose identity key it holds (after checking its
   * section against the token as it is now) or as the operator.
   *
   * @throws EvidenceVerificationException if the token is neither, or differs from its section
   */
  public static Envelope sign(Envelope env, Pkcs11Token token) throws GeneralSecurityException {
    EvidencePayload p = EvidencePayload.parse(env.payloadBytes());
    if (token.keys().exists(FleetKey.MEMBER_IDENTITY)) {
      EcPrivateKey identity = token.keys().findEcP256(FleetKey.MEMBER_IDENTITY);
      String hex = HexFormat.of().formatHex(identity.publicKey().point());
      for (MemberSection s : p.members()) {
        MemberStatement m = s.statement();
        if (m.identityKey().equals(hex)) {
          List<String> diff = LiveCheck.differences(m,
              MemberStatements.read(token, p.fleetId(), p.epoch(), m.role()));
          if (!diff.isEmpty()) {
            throw new EvidenceVerificationException("refusing to sign: " + diff.get(0));
          }
          return EvidenceAssembler.sign(env, identity);
        }
      }
    }
    if (token.keys().exists(FleetKey.OPERATOR_COUNTERSIGN)) {
      EcPrivateKey op = token.keys().findEcP256(FleetKey.OPERATOR_COUNTERSIGN);
      if (EvidenceAssembler.publicHex(op).equals(p.operator().publicKey())) {
        return EvidenceAssembler.sign(env, op);
      }
    }
    throw new EvidenceVerificationException("token " + token.description()
        + " holds neither a member identity key nor the operator key named in the evidence");
  }
}

package dev.bkv.ceremony;

import dev.bkv.evidence.Envelope;
import dev.bkv.evidence.EvidenceAssembler;
import dev.bkv.evidence.EvidencePayload;
import dev.bkv.evidence.EvidenceVerifier;
import dev.bkv.evidence.FleetKey;
import dev.bkv.evidence.MemberSection;
import dev.bkv.evidence.MemberStatements;
import dev.bkv.evidence.OperatorKey;
import dev.bkv.evidence.ShareLayout;
import dev.bkv.evidence.SoftwareVersion;
import dev.bkv.evidence.TranscriptEntry;
import dev.bkv.pkcs11.EcPrivateKey;
import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.check.Role;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The provisioning ceremony with every token open in this process (DESIGN.md §4): member keys,
 * fleet keys and the group wrap keys of the OPRF key shares (one per set of the
 * {@link ShareLayout} over all members) on the genesis, trusted transfer to each member, seal,
 * cleanup, read-back and signed
 * evidence. A failure before the seal rolls back (destroys this fleet's keys everywhere); a run
 * that finds leftovers of a killed run rolls them back first; a run on a finished fleet only reads
 * back and signs new evidence.
 */
public final class Ceremony {
  /** Steps after which {@link FaultInjector} is called. */
  public enum Step { KEYGEN, TRANSFER, SEAL, CLEANUP }

  /**
   * @param members member tokens besides the genesis (the genesis is always a member)
   * @param restart destroy a sealed but incomplete fleet of this id and start again
   */
  public record Request(String fleetId, long epoch, Pkcs11Token genesis, List<Pkcs11Token> members,
                        Pkcs11Token operator, boolean restart) {
    public Request {
      FleetKey.requireFleetId(fleetId);
      if (epoch < 0) {
        throw new IllegalArgumentException("epoch " + epoch + " is negative");
      }
      Objects.requireNonNull(genesis, "genesis");
      Objects.requireNonNull(operator, "operator");
      members = List.copyOf(members);
    }

    /** The key space of this fleet epoch ({@link FleetKey#space}). */
    public String space() {
      return FleetKey.space(fleetId, epoch);
    }
  }

  /** The signed evidence and what was done; {@code reused} when the fleet was already complete. */
  public record Result(Envelope evidence, List<TranscriptEntry> transcript, boolean reused) {}

  private final Clock clock;
  private final Consumer<String> progress;
  private final FaultInjector faults;
  private final SoftwareVersion software;

  public Ceremony(Clock clock, Consumer<String> progress, FaultInjector faults, SoftwareVersion software) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.progress = progress;
    this.faults = faults == null ? FaultInjector.NONE : faults;
    this.software = Objects.requireNonNull(software, "software");
  }

  public Result run(Request r) throws GeneralSecurityException {
    Transcript t = new Transcript(progress);
    List<Pkcs11Token> all = distinct(r.genesis(), r.members());
    for (Pkcs11Token token : all) {
      Fallbacks.require(token, token == r.genesis() ? Role.GENESIS : Role.MEMBER, t);
    }
    Fallbacks.require(r.operator(), Role.OPERATOR, t);
    List<MemberDescriptor> descriptors = new ArrayList<>();
    for (Pkcs11Token token : all) {
      descriptors.add(MemberKeys.ensureMember(token, null));
    }
    EcPrivateKey operatorKey = MemberKeys.ensureOperator(r.operator());
    ShareLayout layout = layout(r.fleetId(), r.epoch(), descriptors);
    boolean reused = EarlierRun.prepare(r, all, layout, descriptors, t);
    if (!reused) {
      transfer(r, all, layout, descriptors, t);
    }
    return new Result(evidence(r, all, operatorKey, t), t.entries(), reused);
  }

  /** The share layout over every member (genesis included), by the ids of their identity keys. */
  static ShareLayout layout(String fleetId, long epoch, List<MemberDescriptor> members)
      throws CeremonyException {
    try {
      return new ShareLayout(fleetId, epoch, members.stream().map(MemberDescriptor::memberId).toList());
    } catch (IllegalArgumentException e) {
      throw new CeremonyException("the members cannot form a share layout: " + e.getMessage(), e);
    }
  }

  private void transfer(Request r, List<Pkcs11Token> all, ShareLayout layout,
                        List<MemberDescriptor> descriptors, Transcript t) throws GeneralSecurityException {
    Step at = Step.KEYGEN;
    try {
      Genesis genesis = new Genesis(r.genesis(), r.fleetId(), r.epoch(), layout, t);
      genesis.generateFleetKeys();
      faults.after(Step.KEYGEN, "");
      at = Step.TRANSFER;
      for (int i = 1; i < all.size(); i++) {
        WrappedKeys keys = genesis.wrapFor(descriptors.get(i)).verified(genesis.identityKey());
        MemberImport.importKeys(all.get(i), keys, t);
        faults.after(Step.TRANSFER, descriptors.get(i).memberId());
      }
      at = Step.SEAL;
      genesis.seal();
      faults.after(Step.SEAL, "");
      at = Step.CLEANUP;
      genesis.destroyCeremonyObjects();
      faults.after(Step.CLEANUP, "");
    } catch (GeneralSecurityException | RuntimeException e) {
      throw EarlierRun.rollBackAfter(at, e, r, all, t);
    }
  }

  private Envelope evidence(Request r, List<Pkcs11Token> all, EcPrivateKey operatorKey, Transcript t)
      throws GeneralSecurityException {
    List<MemberSection> sections = new ArrayList<>();
    for (Pkcs11Token token : all) {
      String role = token == r.genesis() ? "genesis" : "member";
      sections.add(MemberStatements.readAndSign(token, r.fleetId(), r.epoch(), role));
      t.add("readback", token.info().label(), "read back every object; statement signed by the identity key");
    }
    OperatorKey op = new OperatorKey(FleetKey.OPERATOR_COUNTERSIGN, EvidenceAssembler.publicHex(operatorKey),
        r.operator().info().description());
    EvidencePayload payload = EvidenceAssembler.assemble(r.fleetId(), r.epoch(), clock.instant(),
        software, op, sections, t.entries());
    Envelope env = Envelope.unsigned(payload.toBytes());
    for (Pkcs11Token token : all) {
      env = EvidenceAssembler.sign(env, token.keys().findEcP256(FleetKey.MEMBER_IDENTITY));
    }
    env = EvidenceAssembler.sign(env, operatorKey);
    EvidenceVerifier.verify(env).requireValid();
    return env;
  }

  /** Genesis first, then the members, each token once (by serial). */
  static List<Pkcs11Token> distinct(Pkcs11Token genesis, List<Pkcs11Token> members) throws HsmException {
    List<Pkcs11Token> out = new ArrayList<>(List.of(genesis));
    Set<String> serials = new HashSet<>(Set.of(genesis.info().serial()));
    for (Pkcs11Token m : members) {
      if (serials.add(m.info().serial())) {
        out.add(m);
      }
    }
    return out;
  }
}

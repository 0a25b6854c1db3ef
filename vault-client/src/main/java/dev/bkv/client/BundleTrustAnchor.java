package dev.bkv.client;

import dev.bkv.bundle.BundleException;
import dev.bkv.bundle.BundleVerifier;
import dev.bkv.bundle.ClientState;
import dev.bkv.bundle.ConsistencySource;
import dev.bkv.bundle.CosignedBundle;
import dev.bkv.bundle.MalformedBundleException;
import dev.bkv.bundle.ValidationBundle;
import dev.bkv.bundle.VerifiedBundle;
import dev.bkv.ec.P256;
import dev.bkv.ec.Point;
import dev.bkv.recovery.BadInputException;
import dev.bkv.transparency.VerifierKey;
import dev.bkv.transparency.WitnessPolicy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Bundle mode (DESIGN §5): the app pins the cosigner's and the operator's verifier keys, and
 * trusts the fleet whose AKE key a validation bundle names once {@link BundleVerifier} has
 * accepted that bundle: both signatures, the inclusion proof in a cosigner checkpoint, the
 * validity window, and no rollback or equivocation against the app's last accepted bundle.
 *
 * <p>Contract: an instance exists only for a bundle that passed every rule; {@link #verify}
 * accepts exactly that bundle's AKE key, and only while the bundle is within its validity window
 * (a long-lived client must accept a newer bundle before this one expires). Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * BundleTrustAnchor anchor = BundleTrustAnchor.builder(cosignerKey, operatorKey)
 *     .stateFile(appDir.resolve("bundle-state.json"))   // rollback protection
 *     .log(cosignerLogDir)                              // consistency proofs across epochs
 *     .witnesses(WitnessPolicy.of(witnessKeys, 2))      // optional: 2 of n witnesses cosigned
 *     .accept(Files.readAllBytes(bundleFile));          // BundleException on any failed rule
 * VaultClient client = VaultClient.builder().trustAnchor(anchor)...build();
 * }</pre>
 */
public final class BundleTrustAnchor implements TrustAnchor {

  private final VerifiedBundle verified;
  private final Point akeKey;
  private final Clock clock;
  private final Duration skew;

  private BundleTrustAnchor(VerifiedBundle verified, Point akeKey, Clock clock, Duration skew) {
    this.verified = verified;
    this.akeKey = akeKey;
    this.clock = clock;
    this.skew = skew;
  }

  /** Starts an anchor pinned to the cosigner's and the operator's verifier keys. */
  public static Builder builder(VerifierKey cosigner, VerifierKey operator) {
    return new Builder(cosigner, operator);
  }

  /** How a bundle is checked and where the last accepted bundle is remembered. */
  public static final class Builder {
    private final VerifierKey cosigner;
    private final VerifierKey operator;
    private Clock clock = Clock.systemUTC();
    private Duration skew = Duration.ofMinutes(5);
    private Path stateFile;
    private ClientState lastSeen;
    private boolean stateChosen;
    private ConsistencySource proofs;
    private WitnessPolicy witnesses = WitnessPolicy.NONE;

    private Builder(VerifierKey cosigner, VerifierKey operator) {
      this.cosigner = Objects.requireNonNull(cosigner, "cosigner");
      this.operator = Objects.requireNonNull(operator, "operator");
    }

    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c, "clock");
      return this;
    }

    /** Clock skew allowed around the validity window (default 5 minutes). */
    public Builder skew(Duration d) {
      if (d.isNegative()) {
        throw new IllegalArgumentException("skew is " + d + "; expected >= 0");
      }
      this.skew = d;
      return this;
    }

    /**
     * Rollback protection kept in a file ({@link ClientState} JSON, absent on first use): read
     * before the check, replaced atomically only after the bundle passed every rule.
     */
    public Builder stateFile(Path file) {
      this.stateFile = Objects.requireNonNull(file, "stateFile");
      this.lastSeen = null;
      this.stateChosen = true;
      return this;
    }

    /**
     * Rollback protection kept by the app itself: the state it stored after the last accepted
     * bundle, or null on first use. The app stores {@link BundleTrustAnchor#state()} afterwards.
     */
    public Builder lastSeen(ClientState state) {
      this.lastSeen = state;
      this.stateFile = null;
      this.stateChosen = true;
      return this;
    }

    /**
     * Witnesses whose cosignatures the bundle's checkpoint must carry ("k of these n"; default
     * {@link WitnessPolicy#NONE}): a bundle whose checkpoint has fewer valid cosignatures is
     * refused with MISSING_COSIGNATURES, so the log cannot show this app a view that the
     * witnesses did not check for consistency.
     */
    public Builder witnesses(WitnessPolicy policy) {
      this.witnesses = Objects.requireNonNull(policy, "witnesses");
      return this;
    }

    /** Where consistency proofs between cosigner checkpoints come from. */
    public Builder consistency(ConsistencySource source) {
      this.proofs = source;
      return this;
    }

    /** Consistency proofs from a copy of the cosigner's log (tlog-tiles directory). */
    public Builder log(Path dir) {
      return consistency(ConsistencySource.fromLog(dir, cosigner));
    }

    /**
     * Verifies the cosigned bundle ({@code BUNDLE.cosigned}, JSON) with {@link BundleVerifier}
     * and, with a state file, stores the new state.
     *
     * @throws BundleException naming the failed rule ({@link BundleException#reason()}: e.g.
     *     EXPIRED, ROLLBACK, BAD_COSIGNER_SIGNATURE); an {@code EquivocationException} carries
     *     both signed notes as proof
     * @throws IllegalStateException if neither {@link #stateFile} nor {@link #lastSeen} was
     *     chosen: without the last accepted bundle, a rollback cannot be detected
     */
    public BundleTrustAnchor accept(byte[] cosignedBundleJson) throws BundleException {
      if (!stateChosen) {
        throw new IllegalStateException("choose stateFile(...) or lastSeen(...): without the "
            + "last accepted bundle a rolled-back bundle cannot be detected");
      }
      CosignedBundle file = CosignedBundle.parse(cosignedBundleJson);
      ClientState before = stateFile != null ? ClientState.read(stateFile) : lastSeen;
      VerifiedBundle v = new BundleVerifier(cosigner, operator, clock, skew, witnesses)
          .verify(file, before, proofs);
      Point ake = akePoint(v.bundle());
      if (stateFile != null) {
        v.state().write(stateFile);
      }
      return new BundleTrustAnchor(v, ake, clock, skew);
    }
  }

  private static Point akePoint(ValidationBundle b) throws MalformedBundleException {
    try {
      return P256.decodePoint(HexFormat.of().parseHex(b.akeKey()));
    } catch (BadInputException | IllegalArgumentException e) {
      throw new MalformedBundleException("AKE key of bundle epoch " + b.epoch()
          + " is not a P-256 point: " + e.getMessage(), e);
    }
  }

  /** The accepted bundle: fleet id, epoch, validity window, AKE key, members. */
  public ValidationBundle bundle() {
    return verified.bundle();
  }

  /**
   * During a rollover (DESIGN §11): the previous epoch's fleet key, vouched for by this accepted
   * bundle's {@code prev} hash. {@code previousBundleText} is the previous epoch's bundle text
   * (e.g. from the cosigner's log or the app's earlier download); it must hash to {@code prev}.
   * The anchor it returns pins that key for {@link VaultClient.Builder#previousFleet}; the
   * previous bundle's validity window no longer matters, since the current one vouches for it.
   */
  public TrustAnchor previousEpoch(byte[] previousBundleText) throws BundleException {
    ValidationBundle current = verified.bundle();
    if (current.prev() == null) {
      throw new MalformedBundleException("the accepted bundle of fleet " + current.fleetId()
          + " is epoch 1: there is no previous epoch");
    }
    String text = new String(previousBundleText, java.nio.charset.StandardCharsets.UTF_8);
    if (!ValidationBundle.hashOf(text).equals(current.prev())) {
      throw new MalformedBundleException("the previous bundle's hash "
          + ValidationBundle.hashOf(text).toHex() + " is not the prev " + current.prev().toHex()
          + " of the accepted epoch " + current.epoch() + " bundle");
    }
    ValidationBundle prev = ValidationBundle.parse(text);
    if (!prev.fleetId().equals(current.fleetId()) || prev.epoch() != current.epoch() - 1) {
      throw new MalformedBundleException("the previous bundle is fleet " + prev.fleetId()
          + " epoch " + prev.epoch() + "; expected fleet " + current.fleetId() + " epoch "
          + (current.epoch() - 1));
    }
    try {
      return new PinnedFleetKey(P256.decodePoint(HexFormat.of().parseHex(prev.akeKey())));
    } catch (BadInputException e) {
      throw new MalformedBundleException("the previous bundle's AKE key: " + e.getMessage());
    }
  }

  /** The state to keep for the next acceptance (already written when a state file is used). */
  public ClientState state() {
    return verified.state();
  }

  @Override
  public Point fleetKey() throws UntrustedFleetException {
    verify(akeKey);
    return akeKey;
  }

  @Override
  public void verify(Point serverPublicKey) throws UntrustedFleetException {
    ValidationBundle b = verified.bundle();
    Instant now = clock.instant();
    if (now.isAfter(b.notAfter().plus(skew)) || now.isBefore(b.notBefore().minus(skew))) {
      throw new UntrustedFleetException("the validation bundle of fleet " + b.fleetId()
          + " epoch " + b.epoch() + " is valid " + b.notBefore() + " .. " + b.notAfter()
          + "; now is " + now + " (skew " + skew + "): accept a current bundle", null);
    }
    if (!akeKey.equals(serverPublicKey)) {
      throw new UntrustedFleetException("the server's fleet key "
          + HexFormat.of().formatHex(serverPublicKey.toCompressed()) + " is not the AKE key "
          + HexFormat.of().formatHex(akeKey.toCompressed()) + " that the validation bundle of"
          + " fleet " + b.fleetId() + " epoch " + b.epoch() + " names", null);
    }
  }
}

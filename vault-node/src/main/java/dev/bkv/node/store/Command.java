package dev.bkv.node.store;


/**
 * A replicated mutation of the record store. Wire format: a version byte ({@value #VERSION}),
 * a tag byte, then the fields of that command in order; byte strings carry a u32 length, integers
 * are big-endian u32/u64. Times come from the command (the submitting member's clock), never from
 * the applying replica, so every replica computes the same state.
 */
public sealed interface Command {
  int VERSION = 1;

  UserId userId();

  long timeMillis();

  byte[] toBytes();

  /**
   * Create a record; refused with EXISTS if the user has a live record, unless that record was
   * written by this same registration id (a retried request: answered OK, nothing changes).
   * Clears a lockout. Tag {@code 0x01} without a registration id, {@code 0x06} with one, so logs
   * written before registration ids existed still parse.
   */
  record Register(UserId userId, long timeMillis, long epoch, int attemptLimit,
      RecordContent content, byte[] registrationId, long beginIndex, byte[] resetKey)
      implements Command {
    static final int TAG = 0x01;
    static final int TAG_WITH_ID = 0x06;
    static final int TAG_WITH_BEGIN = 0x09;

    public Register {
      Commands.checkNew(userId, timeMillis, epoch, attemptLimit, content);
      UserRecord.checkRegistrationId(registrationId);
      Commands.checkBegin(beginIndex);
      resetKey = Commands.checkResetKey(resetKey, beginIndex);
      registrationId = registrationId.clone();
    }

    /** A registration completing the {@link Begin} at {@code beginIndex}. */
    public Register(UserId userId, long timeMillis, long epoch, int attemptLimit,
        byte[] registrationRecord, byte[] sealedKey, byte[] registrationId, long beginIndex,
        byte[] resetKey) {
      this(userId, timeMillis, epoch, attemptLimit,
          new RecordContent(registrationRecord, sealedKey), registrationId, beginIndex, resetKey);
    }

    /** A registration without key shares (records made before {@link Begin} existed). */
    public Register(UserId userId, long timeMillis, long epoch, int attemptLimit,
        byte[] registrationRecord, byte[] sealedKey, byte[] registrationId) {
      this(userId, timeMillis, epoch, attemptLimit, registrationRecord, sealedKey,
          registrationId, Commands.NO_BEGIN, new byte[0]);
    }

    /** A registration completing the {@link Begin} at {@code beginIndex}, without a reset key. */
    public Register(UserId userId, long timeMillis, long epoch, int attemptLimit,
        byte[] registrationRecord, byte[] sealedKey, byte[] registrationId, long beginIndex) {
      this(userId, timeMillis, epoch, attemptLimit, registrationRecord, sealedKey,
          registrationId, beginIndex, new byte[0]);
    }

    @Override
    public byte[] resetKey() {
      return resetKey.clone();
    }

    @Override
    public byte[] registrationId() {
      return registrationId.clone();
    }

    @Override
    public byte[] toBytes() {
      if (beginIndex != Commands.NO_BEGIN) {
        return content.writeTo(Commands.head(TAG_WITH_BEGIN, userId, timeMillis).u64(epoch)
            .u32(attemptLimit)).bytes(registrationId).u64(beginIndex).bytes(resetKey).toBytes();
      }
      WireWriter w = content.writeTo(Commands.head(registrationId.length == 0 ? TAG : TAG_WITH_ID,
          userId, timeMillis).u64(epoch).u32(attemptLimit));
      if (registrationId.length != 0) {
        w.bytes(registrationId);
      }
      return w.toBytes();
    }
  }

  /**
   * Password change: overwrite the record, only if it is still the version (generation) that a
   * completed login was verified against. Resets the attempts to zero.
   */
  record Replace(UserId userId, long timeMillis, long expectedGeneration, long epoch,
      int attemptLimit, RecordContent content, long beginIndex, byte[] resetKey)
      implements Command {
    static final int TAG = 0x02;
    static final int TAG_WITH_BEGIN = 0x0A;

    public Replace {
      Commands.checkNew(userId, timeMillis, epoch, attemptLimit, content);
      Commands.checkNonNegative("expected generation", expectedGeneration);
      Commands.checkBegin(beginIndex);
      resetKey = Commands.checkResetKey(resetKey, beginIndex);
    }

    /** A password change completing the {@link Begin} at {@code beginIndex}. */
    public Replace(UserId userId, long timeMillis, long expectedGeneration, long epoch,
        int attemptLimit, byte[] registrationRecord, byte[] sealedKey, long beginIndex,
        byte[] resetKey) {
      this(userId, timeMillis, expectedGeneration, epoch, attemptLimit,
          new RecordContent(registrationRecord, sealedKey), beginIndex, resetKey);
    }

    /** A password change without key shares (records made before {@link Begin} existed). */
    public Replace(UserId userId, long timeMillis, long expectedGeneration, long epoch,
        int attemptLimit, byte[] registrationRecord, byte[] sealedKey) {
      this(userId, timeMillis, expectedGeneration, epoch, attemptLimit, registrationRecord,
          sealedKey, Commands.NO_BEGIN, new byte[0]);
    }

    /** A password change completing the {@link Begin} at {@code beginIndex}, no reset key. */
    public Replace(UserId userId, long timeMillis, long expectedGeneration, long epoch,
        int attemptLimit, byte[] registrationRecord, byte[] sealedKey, long beginIndex) {
      this(userId, timeMillis, expectedGeneration, epoch, attemptLimit, registrationRecord,
          sealedKey, beginIndex, new byte[0]);
    }

    @Override
    public byte[] resetKey() {
      return resetKey.clone();
    }

    @Override
    public byte[] toBytes() {
      WireWriter w = content.writeTo(Commands.head(beginIndex == Commands.NO_BEGIN ? TAG
          : TAG_WITH_BEGIN, userId, timeMillis).u64(expectedGeneration).u64(epoch)
          .u32(attemptLimit));
      if (beginIndex != Commands.NO_BEGIN) {
        w.u64(beginIndex).bytes(resetKey);
      }
      return w.toBytes();
    }
  }

  /**
   * Count one recover attempt before the HSM evaluates anything; past the limit, destroy. {@code
   * element} is SHA-256 of the blinded element the attempt may be evaluated on (members evaluate
   * key shares only on it), or empty for attempts logged before it existed.
   */
  record Attempt(UserId userId, long timeMillis, byte[] element) implements Command {
    static final int TAG = 0x03;
    static final int TAG_WITH_ELEMENT = 0x07;

    public Attempt {
      Commands.checkHead(userId, timeMillis);
      element = Commands.checkElement(element, true);
    }

    public Attempt(UserId userId, long timeMillis) {
      this(userId, timeMillis, new byte[0]);
    }

    @Override
    public byte[] element() {
      return element.clone();
    }

    @Override
    public byte[] toBytes() {
      if (element.length == 0) {
        return Commands.head(TAG, userId, timeMillis).toBytes();
      }
      return Commands.head(TAG_WITH_ELEMENT, userId, timeMillis).bytes(element).toBytes();
    }
  }

  /**
   * Start a registration (or password change): fixes the new record's key shares and the blinded
   * element they may be evaluated on (SHA-256). Refused ({@code REUSED}) if any wrapped share
   * was ever committed before; otherwise it becomes the user's pending registration, which the
   * {@link Register} or {@link Replace} naming this command's index completes.
   */
  record Begin(UserId userId, long timeMillis, byte[] element, KeyShares shares)
      implements Command {
    static final int TAG = 0x08;

    public Begin {
      Commands.checkHead(userId, timeMillis);
      element = Commands.checkElement(element, false);
      if (shares == null || shares.isEmpty()) {
        throw new IllegalArgumentException("a registration begins with at least one key share");
      }
    }

    @Override
    public byte[] element() {
      return element.clone();
    }

    @Override
    public byte[] toBytes() {
      WireWriter w = Commands.head(TAG, userId, timeMillis).bytes(element);
      shares.write(w);
      return w.toBytes();
    }
  }

  /**
   * After a successful login against {@code expectedGeneration}: attempts back to zero. A record
   * with key shares takes it only with {@code signature}, its reset key's signature over (user,
   * generation, {@code attemptIndex}) for its latest attempt (DESIGN §10); {@code attemptIndex}
   * -1 and an empty signature (tag {@code 0x04}) are for records made before.
   */
  record Reset(UserId userId, long timeMillis, long expectedGeneration, long attemptIndex,
      byte[] signature) implements Command {
    static final int TAG = 0x04;
    static final int TAG_WITH_PROOF = 0x0B;

    public Reset {
      Commands.checkHead(userId, timeMillis);
      Commands.checkNonNegative("expected generation", expectedGeneration);
      if (attemptIndex < -1 || signature == null || signature.length > 80
          || (attemptIndex == -1) != (signature.length == 0)) {
        throw new IllegalArgumentException("reset proof: attempt index " + attemptIndex
            + " and a " + (signature == null ? "null" : signature.length + "-byte")
            + " signature; expected both (index >= 0, 1..80 bytes) or neither");
      }
      signature = signature.clone();
    }

    public Reset(UserId userId, long timeMillis, long expectedGeneration) {
      this(userId, timeMillis, expectedGeneration, -1, new byte[0]);
    }

    @Override
    public byte[] signature() {
      return signature.clone();
    }

    @Override
    public byte[] toBytes() {
      if (attemptIndex == -1) {
        return Commands.head(TAG, userId, timeMillis).u64(expectedGeneration).toBytes();
      }
      return Commands.head(TAG_WITH_PROOF, userId, timeMillis).u64(expectedGeneration)
          .u64(attemptIndex).bytes(signature).toBytes();
    }
  }

  /** After a successful login against {@code expectedGeneration}: erase the user entirely. */
  record Delete(UserId userId, long timeMillis, long expectedGeneration) implements Command {
    static final int TAG = 0x05;

    public Delete {
      Commands.checkHead(userId, timeMillis);
      Commands.checkNonNegative("expected generation", expectedGeneration);
    }

    @Override
    public byte[] toBytes() {
      return Commands.head(TAG, userId, timeMillis).u64(expectedGeneration).toBytes();
    }
  }

  /**
   * A registration on the fleet a user is migrating to (DESIGN §11): stored as {@link
   * UserState.Staged}, which answers no login, until an {@link Activate} shows that the record on
   * the earlier fleet is closed. {@code successor} is the digest the client computed over the
   * registration ({@code MigrationDigest}); the closed record names it.
   */
  record Stage(Register register, byte[] successor) implements Command {
    static final int TAG = 0x0C;

    public Stage {
      if (register == null) {
        throw new IllegalArgumentException("staged registration must not be null");
      }
      successor = Commands.checkDigest("successor", successor);
    }

    @Override
    public UserId userId() {
      return register.userId();
    }

    @Override
    public long timeMillis() {
      return register.timeMillis();
    }

    @Override
    public byte[] successor() {
      return successor.clone();
    }

    @Override
    public byte[] toBytes() {
      return Commands.head(TAG, userId(), timeMillis()).bytes(successor)
          .bytes(register.toBytes()).toBytes();
    }
  }

  /**
   * After a successful login against {@code expectedGeneration}, on the earlier fleet of a
   * migration: the record stops answering logins and becomes {@link UserState.Closed}, naming
   * the staged registration on the next fleet that may take its place, with its attempts.
   */
  record Close(UserId userId, long timeMillis, long expectedGeneration, byte[] successor)
      implements Command {
    static final int TAG = 0x0D;

    public Close {
      Commands.checkHead(userId, timeMillis);
      Commands.checkNonNegative("expected generation", expectedGeneration);
      successor = Commands.checkDigest("successor", successor);
    }

    @Override
    public byte[] successor() {
      return successor.clone();
    }

    @Override
    public byte[] toBytes() {
      return Commands.head(TAG, userId, timeMillis).u64(expectedGeneration).bytes(successor)
          .toBytes();
    }
  }

  /**
   * Makes a staged registration live, carrying the attempts its closed predecessor had used:
   * {@code receipts} ({@link ClosureReceipts}) must hold the signatures of a majority of the
   * earlier fleet's members over the closure of exactly this successor with these attempts.
   */
  record Activate(UserId userId, long timeMillis, byte[] successor, int attempts,
      byte[] receipts) implements Command {
    static final int TAG = 0x0E;

    public Activate {
      Commands.checkHead(userId, timeMillis);
      successor = Commands.checkDigest("successor", successor);
      if (attempts < 0 || attempts > UserRecord.MAX_LIMIT) {
        throw new IllegalArgumentException("carried attempts " + attempts + "; expected 0.."
            + UserRecord.MAX_LIMIT);
      }
      if (receipts == null || receipts.length > ClosureReceipts.MAX_BYTES) {
        throw new IllegalArgumentException("closure receipts are missing or over "
            + ClosureReceipts.MAX_BYTES + " bytes");
      }
      receipts = receipts.clone();
    }

    @Override
    public byte[] successor() {
      return successor.clone();
    }

    @Override
    public byte[] receipts() {
      return receipts.clone();
    }

    @Override
    public byte[] toBytes() {
      return Commands.head(TAG, userId, timeMillis).bytes(successor).u32(attempts)
          .bytes(receipts).toBytes();
    }
  }

  /** Strictly parses a command; any deviation from the format is a typed error. */
  static Command parse(byte[] data) throws MalformedMessageException {
    if (data == null) {
      throw new MalformedMessageException("command is null");
    }
    WireReader r = new WireReader("command", data);
    r.version(VERSION);
    int tag = r.u8("tag");
    UserId user = new UserId(r.bytes("user id", 1, UserId.MAX_LENGTH));
    long time = r.nonNegative("time");
    Command c = switch (tag) {
      case Register.TAG, Register.TAG_WITH_ID, Register.TAG_WITH_BEGIN -> register(tag, user,
          time, r);
      case Replace.TAG, Replace.TAG_WITH_BEGIN -> new Replace(user, time,
          r.nonNegative("expected generation"), r.nonNegative("epoch"),
          r.u32("attempt limit", 1, UserRecord.MAX_LIMIT), RecordContent.read(r),
          tag == Replace.TAG ? Commands.NO_BEGIN : r.nonNegative("begin index"),
          tag == Replace.TAG ? new byte[0] : resetKey(r));
      case Attempt.TAG -> new Attempt(user, time);
      case Attempt.TAG_WITH_ELEMENT -> new Attempt(user, time,
          r.bytes("element", Commands.ELEMENT_LENGTH, Commands.ELEMENT_LENGTH));
      case Begin.TAG -> begin(user, time, r);
      case Reset.TAG -> new Reset(user, time, r.nonNegative("expected generation"));
      case Reset.TAG_WITH_PROOF -> new Reset(user, time, r.nonNegative("expected generation"),
          r.nonNegative("attempt index"), r.bytes("reset signature", 1, 80));
      case Delete.TAG -> new Delete(user, time, r.nonNegative("expected generation"));
      case Stage.TAG -> stage(user, time, r);
      case Close.TAG -> new Close(user, time, r.nonNegative("expected generation"),
          r.bytes("successor", Commands.DIGEST_LENGTH, Commands.DIGEST_LENGTH));
      case Activate.TAG -> new Activate(user, time,
          r.bytes("successor", Commands.DIGEST_LENGTH, Commands.DIGEST_LENGTH),
          r.u32("carried attempts", 0, UserRecord.MAX_LIMIT),
          r.bytes("closure receipts", 0, ClosureReceipts.MAX_BYTES));
      default -> throw new MalformedMessageException("command tag is 0x"
          + Integer.toHexString(tag) + "; expected 0x01..0x0e");
    };
    r.end();
    return c;
  }

  private static Stage stage(UserId user, long time, WireReader r)
      throws MalformedMessageException {
    byte[] successor = r.bytes("successor", Commands.DIGEST_LENGTH, Commands.DIGEST_LENGTH);
    Command inner = parse(r.bytes("staged registration", 1, 4 * UserRecord.MAX_BLOB));
    if (!(inner instanceof Register reg) || !reg.userId().equals(user)
        || reg.timeMillis() != time) {
      throw new MalformedMessageException("a staged registration must hold a register command "
          + "for the same user and time");
    }
    return new Stage(reg, successor);
  }

  private static Register register(int tag, UserId user, long time, WireReader r)
      throws MalformedMessageException {
    long epoch = r.nonNegative("epoch");
    int limit = r.u32("attempt limit", 1, UserRecord.MAX_LIMIT);
    RecordContent content = RecordContent.read(r);
    if (tag == Register.TAG_WITH_BEGIN) {
      return new Register(user, time, epoch, limit, content, registrationId(r),
          r.nonNegative("begin index"), resetKey(r));
    }
    byte[] id = tag == Register.TAG ? new byte[0] : r.bytes("registration id",
        UserRecord.REGISTRATION_ID_LENGTH, UserRecord.REGISTRATION_ID_LENGTH);
    return new Register(user, time, epoch, limit, content, id, Commands.NO_BEGIN, new byte[0]);
  }

  private static byte[] registrationId(WireReader r) throws MalformedMessageException {
    byte[] id = r.bytes("registration id", 0, UserRecord.REGISTRATION_ID_LENGTH);
    if (id.length != 0 && id.length != UserRecord.REGISTRATION_ID_LENGTH) {
      throw new MalformedMessageException("registration id is " + id.length + " bytes; expected 0 or "
          + UserRecord.REGISTRATION_ID_LENGTH);
    }
    return id;
  }

  private static byte[] resetKey(WireReader r) throws MalformedMessageException {
    byte[] key = r.bytes("reset key", 0, KeyState.RESET_KEY_LENGTH);
    try {
      return KeyState.checkResetKey(key);
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException("command " + e.getMessage());
    }
  }

  private static Begin begin(UserId user, long time, WireReader r)
      throws MalformedMessageException {
    byte[] element = r.bytes("element", Commands.ELEMENT_LENGTH, Commands.ELEMENT_LENGTH);
    KeyShares shares = KeyShares.read(r);
    if (shares.isEmpty()) {
      throw new MalformedMessageException("begin carries no key shares; expected at least one");
    }
    return new Begin(user, time, element, shares);
  }
}

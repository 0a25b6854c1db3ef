package dev.bkv.pkcs11.internal;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKS_RO_USER_FUNCTIONS;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKS_RW_SO_FUNCTIONS;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKS_RW_USER_FUNCTIONS;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKU_SO;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKU_USER;

import dev.bkv.pkcs11.Ckr;
import dev.bkv.pkcs11.HsmConfigException;
import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.HsmNotFoundException;
import dev.bkv.pkcs11.HsmObserver;
import dev.bkv.pkcs11.Pkcs11Config;
import dev.bkv.pkcs11.PinSource;
import dev.bkv.pkcs11.SessionPoolUse;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.PKCS11Module;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.Slot;

/**
 * One opened token: the slot, a pool of logged-in read-write sessions, and recovery. Every
 * operation runs through {@link #call}: it borrows a session, runs, and returns it. If the
 * session or token was lost, the pool is rebuilt (re-finding the slot and logging in again) and
 * the operation retried once; if a cached object handle went stale, handles are re-resolved and
 * the operation retried once.
 */
public final class TokenCore implements AutoCloseable {
  private final Pkcs11Config config;
  private final PKCS11Module module;
  private final String description;
  private final ConcurrentLinkedQueue<Pooled> idle = new ConcurrentLinkedQueue<>();
  private final AtomicLong sessionGeneration = new AtomicLong(1);
  private final AtomicLong handleEpoch = new AtomicLong(1);
  private final AtomicInteger inUse = new AtomicInteger();
  private volatile HsmObserver observer = HsmObserver.NONE;
  private final ReentrantReadWriteLock roleLock = new ReentrantReadWriteLock();
  private final Object holderLock = new Object();
  private Pooled holder;
  private volatile Slot slot;
  private volatile boolean closed;
  private String tokenId;

  private record Pooled(Session session, long generation) {}

  private TokenCore(Pkcs11Config config, PKCS11Module module, String description) {
    this.config = config;
    this.module = module;
    this.description = description;
  }

  /** Loads the module (once per JVM), finds the token, logs in as user. */
  public static TokenCore open(Pkcs11Config config) throws HsmException {
    String description = config.token() + " on " + config.module();
    String what = "opening " + description;
    PKCS11Module module;
    try {
      module = ModuleRegistry.get(config.module(), config.initArgs());
    } catch (HsmConfigException e) {
      throw new HsmConfigException(what, e.getMessage(), e);
    }
    TokenCore core = new TokenCore(config, module, description);
    Slots.Found found = Slots.find(module, config.token(), what);
    core.slot = found.slot();
    core.tokenId = config.module().toAbsolutePath() + "|" + found.serial();
    Session s = core.openSession(what);
    try {
      Login.login(s, CKU_USER, config.userPin(), Pkcs11Config.USER_PIN, what, core.tokenId);
    } catch (HsmException e) {
      closeQuietly(s);
      throw e;
    }
    core.holder = new Pooled(s, core.sessionGeneration.get());
    return core;
  }

  /** E.g. {@code token 'member-1' on /usr/lib/softhsm/libsofthsm2.so}. */
  public String description() {
    return description;
  }

  public Pkcs11Config config() {
    return config;
  }

  public PKCS11Module module() {
    return module;
  }

  public Slot slot() {
    return slot;
  }

  /** Changes whenever cached object handles may have become invalid. */
  public long handleEpoch() {
    return handleEpoch.get();
  }

  /**
   * Runs {@code work} on a pooled session; see the class comment for the retry rules. A session
   * on which anything failed is closed rather than pooled, since a failed call can leave an
   * operation active on it.
   */
  public <T> T call(String what, SessionCall<T> work) throws HsmException {
    return observed(what, () -> callUnobserved(what, work));
  }

  private <T> T callUnobserved(String what, SessionCall<T> work) throws HsmException {
    var lock = roleLock.readLock();
    lock.lock();
    try {
      for (int attempt = 1; ; attempt++) {
        Pooled p = borrow(what);
        T result;
        inUse.incrementAndGet();
        Involved.reset();
        try {
          result = work.apply(p.session());
        } catch (PKCS11Exception e) {
          long code = e.getErrorCode();
          boolean lost = attempt == 1 && (Errors.isSessionLoss(code)
              || (Errors.isStaleHandle(code) && !loggedIn(p.session())));
          closeQuietly(p.session());
          if (lost) {
            recover(what, p.generation());
            continue;
          }
          if (attempt == 1 && Errors.isStaleHandle(code)) {
            handleEpoch.incrementAndGet();
            continue;
          }
          throw Errors.map(what, e);
        } catch (HsmNotFoundException e) {
          // private objects are invisible when the login was lost: that is a loss, not absence
          boolean lost = attempt == 1 && !loggedIn(p.session());
          closeQuietly(p.session());
          if (lost) {
            recover(what, p.generation());
            continue;
          }
          throw e;
        } catch (HsmException | RuntimeException e) {
          closeQuietly(p.session());
          throw e;
        } finally {
          inUse.decrementAndGet();
        }
        release(p);
        return result;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs {@code work} on the holder session: the one long-lived session that logged in (keeping
   * the token logged in while pooled sessions come and go) and that creates session objects
   * (session-only keys, per-process copies of hot keys), which live as long as the session that
   * created them. It is never handed to other work and never closed on errors.
   */
  public <T> T callOnHolder(String what, SessionCall<T> work) throws HsmException {
    return observed(what, () -> callOnHolderUnobserved(what, work));
  }

  private <T> T callOnHolderUnobserved(String what, SessionCall<T> work) throws HsmException {
    var lock = roleLock.readLock();
    lock.lock();
    try {
      synchronized (holderLock) {
        for (int attempt = 1; ; attempt++) {
          if (holder == null || holder.generation() != sessionGeneration.get()) {
            recoverLocked(what, sessionGeneration.get());
          }
          long gen = holder.generation();
          Involved.reset();
          try {
            return work.apply(holder.session());
          } catch (PKCS11Exception e) {
            if (attempt == 1 && Errors.isSessionLoss(e.getErrorCode())) {
              recover(what, gen);
              continue;
            }
            throw Errors.map(what, e);
          }
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Where each operation's kind, time and result are reported from now on. */
  public void observe(HsmObserver observer) {
    this.observer = observer == null ? HsmObserver.NONE : observer;
  }

  /** Sessions borrowed by running operations and sessions idle in the pool, right now. */
  public SessionPoolUse sessionPoolUse() {
    return new SessionPoolUse(inUse.get(), idle.size());
  }

  private interface Observed<T> {
    T run() throws HsmException;
  }

  private <T> T observed(String what, Observed<T> op) throws HsmException {
    long start = System.nanoTime();
    String outcome = HsmObserver.ADAPTER_ERROR;
    try {
      T result = op.run();
      outcome = HsmObserver.OK;
      return result;
    } catch (HsmNotFoundException e) {
      outcome = e.ckr().map(c -> c.name()).orElse(HsmObserver.NOT_FOUND);
      throw e;
    } catch (HsmException e) {
      outcome = e.ckr().map(c -> c.name()).orElse(HsmObserver.ADAPTER_ERROR);
      throw e;
    } finally {
      try {
        observer.completed(HsmObserver.kind(what), System.nanoTime() - start, outcome);
      } catch (RuntimeException ignored) {
        // an observer must not break an HSM operation
      }
    }
  }

  /** Runs object-creating work: pooled for token objects, on the holder for session objects. */
  public <T> T create(String what, boolean tokenObject, SessionCall<T> work) throws HsmException {
    return tokenObject ? call(what, work) : callOnHolder(what, work);
  }

  /** {@code C_CopyObject} of a token key into a session object on the holder session. */
  public long copyToSession(long tokenHandle) throws PKCS11Exception, HsmException {
    synchronized (holderLock) {
      if (holder == null || holder.generation() != sessionGeneration.get()) {
        recoverLocked("copying a key into a session object", sessionGeneration.get());
      }
      Involved.reset();
      return holder.session().copyObject(tokenHandle, Involved.template(Templates.sessionCopy()));
    }
  }

  /** Destroys a session copy made by {@link #copyToSession}; errors are ignored. */
  public void destroySessionCopy(long handle) {
    synchronized (holderLock) {
      if (holder != null) {
        try {
          holder.session().destroyObject(handle);
        } catch (PKCS11Exception ignored) {
          // gone with its session already
        }
      }
    }
  }

  /**
   * Runs {@code work} as the security officer: waits for running operations, logs the user out,
   * logs the SO in, runs, and logs the user back in, even if {@code work} fails.
   */
  public <T> T asSecurityOfficer(String what, SessionCall<T> work) throws HsmException {
    PinSource so = config.soPin().orElseThrow(() -> new HsmConfigException(what,
        "no SO PIN configured (" + Pkcs11Config.SO_PIN + ")"));
    var lock = roleLock.writeLock();
    lock.lock();
    try {
      Pooled p = borrow(what);
      try {
        Login.logout(p.session(), what);
        try {
          Login.login(p.session(), CKU_SO, so, Pkcs11Config.SO_PIN, what, tokenId);
        } catch (HsmException e) {
          Login.login(p.session(), CKU_USER, config.userPin(), Pkcs11Config.USER_PIN, what, tokenId);
          throw e;
        }
        Involved.reset();
        try {
          return work.apply(p.session());
        } catch (PKCS11Exception e) {
          throw Errors.map(what, e);
        } finally {
          Login.logout(p.session(), what);
          Login.login(p.session(), CKU_USER, config.userPin(), Pkcs11Config.USER_PIN, what, tokenId);
          handleEpoch.incrementAndGet();
        }
      } finally {
        release(p);
      }
    } finally {
      lock.unlock();
    }
  }

  private Pooled borrow(String what) throws HsmException {
    if (closed) {
      throw new HsmException(what, description + " is closed");
    }
    long gen = sessionGeneration.get();
    Pooled p;
    while ((p = idle.poll()) != null) {
      if (p.generation() == gen) {
        return p;
      }
      closeQuietly(p.session());
    }
    return new Pooled(openSession(what), gen);
  }

  private void release(Pooled p) {
    if (closed || p.generation() != sessionGeneration.get()) {
      closeQuietly(p.session());
    } else {
      idle.offer(p);
    }
  }

  private Session openSession(String what) throws HsmException {
    try {
      return slot.getToken().openSession(true);
    } catch (PKCS11Exception e) {
      throw new HsmException(what + " (opening a session)", Ckr.of(e.getErrorCode()), e);
    }
  }

  /** Rebuilds the pool after a loss seen on a session of generation {@code seen}. */
  private void recover(String what, long seen) throws HsmException {
    synchronized (holderLock) {
      recoverLocked(what, seen);
    }
  }

  private void recoverLocked(String what, long seen) throws HsmException {
    if (sessionGeneration.get() != seen) {
      return; // another thread already recovered
    }
    Pooled p;
    while ((p = idle.poll()) != null) {
      closeQuietly(p.session());
    }
    if (holder != null) {
      closeQuietly(holder.session());
      holder = null;
    }
    String step = what + " (reconnecting to " + description + ")";
    slot = Slots.find(module, config.token(), step).slot();
    Session s = openSession(step);
    try {
      Login.login(s, CKU_USER, config.userPin(), Pkcs11Config.USER_PIN, step, tokenId);
    } catch (HsmException e) {
      closeQuietly(s);
      throw e;
    }
    long next = sessionGeneration.incrementAndGet();
    handleEpoch.incrementAndGet();
    holder = new Pooled(s, next);
  }

  /** Closes this token's pooled sessions. The module stays loaded for other tokens. */
  @Override
  public void close() {
    closed = true;
    synchronized (holderLock) {
      if (holder != null) {
        closeQuietly(holder.session());
        holder = null;
      }
    }
    Pooled p;
    while ((p = idle.poll()) != null) {
      closeQuietly(p.session());
    }
  }

  /** Whether {@code s} is alive and in a user (or SO) session state. */
  private static boolean loggedIn(Session s) {
    try {
      long state = s.getSessionInfo().getState();
      return state == CKS_RO_USER_FUNCTIONS || state == CKS_RW_USER_FUNCTIONS
          || state == CKS_RW_SO_FUNCTIONS;
    } catch (PKCS11Exception e) {
      return false;
    }
  }

  private static void closeQuietly(Session s) {
    try {
      s.closeSession();
    } catch (PKCS11Exception ignored) {
      // already gone
    }
  }
}

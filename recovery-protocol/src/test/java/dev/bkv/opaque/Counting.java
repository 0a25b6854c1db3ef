package dev.bkv.opaque;

import dev.bkv.ec.XOnlyEcdh;
import java.util.concurrent.atomic.AtomicInteger;

/** Counting decorators around the function objects handed to {@link HsmServerKeys}. */
public final class Counting {
  private Counting() {}

  public static final class Ecdh implements XOnlyEcdh {
    private final XOnlyEcdh inner;
    public final AtomicInteger calls = new AtomicInteger();

    public Ecdh(XOnlyEcdh inner) {
      this.inner = inner;
    }

    @Override
    public byte[] x(dev.bkv.ec.Point peer) throws dev.bkv.recovery.InternalFaultException {
      calls.incrementAndGet();
      return inner.x(peer);
    }
  }

  public static final class Hmac implements KeyedHmac {
    private final KeyedHmac inner;
    public final AtomicInteger calls = new AtomicInteger();

    public Hmac(KeyedHmac inner) {
      this.inner = inner;
    }

    @Override
    public byte[] hmac(byte[] data) throws dev.bkv.recovery.InternalFaultException {
      calls.incrementAndGet();
      return inner.hmac(data);
    }
  }
}

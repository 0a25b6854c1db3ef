package dev.bkv.opaque.internal;

import dev.bkv.ec.Point;
import dev.bkv.ec.Scalar;
import dev.bkv.hash.Hkdf;
import dev.bkv.opaque.Ksf;
import dev.bkv.oprf.Oprf;
import dev.bkv.recovery.BadInputException;
import dev.bkv.recovery.InternalFaultException;
import java.util.Arrays;

/** randomized_password = Extract("", oprf_output || Stretch(oprf_output)) (RFC 9807 §5.2.3). */
public final class ClientOprf {
  private ClientOprf() {}

  public static byte[] randomizedPassword(Ksf ksf, byte[] password, Scalar blind,
      Point evaluatedElement) throws BadInputException, InternalFaultException {
    byte[] oprfOutput = Oprf.finalizeOutput(password, blind, evaluatedElement);
    byte[] stretched = ksf.stretch(oprfOutput);
    byte[] ikm = Bytes.concat(oprfOutput, stretched);
    byte[] rwd = Hkdf.extract(new byte[0], ikm);
    Arrays.fill(oprfOutput, (byte) 0);
    Arrays.fill(stretched, (byte) 0);
    Arrays.fill(ikm, (byte) 0);
    return rwd;
  }
}

package dev.bkv.pkcs11.internal;

import iaik.pkcs.pkcs11.wrapper.CK_C_INITIALIZE_ARGS;
import iaik.pkcs.pkcs11.wrapper.PKCS11Exception;
import iaik.pkcs.pkcs11.wrapper.PKCS11Implementation;
import java.io.IOException;

/**
 * The wrapper's native binding with {@code pReserved} of {@code C_Initialize}'s
 * {@code CK_C_INITIALIZE_ARGS} set to a string (the wrapper passes a Java string there as a
 * NUL-terminated C string). NSS softokn reads its library parameters from that field
 * ({@code configdir='sql:/path' certPrefix='' keyPrefix='' secmod='' flags=...}); other modules
 * document their own use or require it to be NULL.
 */
final class InitArgsImplementation extends PKCS11Implementation {
  private final String reserved;

  InitArgsImplementation(String library, String reserved) throws IOException {
    super(library);
    this.reserved = reserved;
  }

  @Override
  public void C_Initialize(Object args, boolean useUtf8) throws PKCS11Exception {
    if (args instanceof CK_C_INITIALIZE_ARGS a) {
      a.pReserved = reserved;
    }
    super.C_Initialize(args, useUtf8);
  }
}

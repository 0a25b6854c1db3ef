package dev.bkv.cli;

import dev.bkv.pkcs11.HsmAuthenticationException;
import dev.bkv.pkcs11.HsmConfigException;
import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.HsmNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;

/** Maps the typed errors of bkv's modules to the CLI's documented exit codes. */
final class ErrorMapping {
  private ErrorMapping() {}

  static int exitCode(Throwable e) {
    if (e instanceof CliException c) {
      return c.exitCode();
    }
    if (e instanceof HsmConfigException) {
      return ExitCodes.BAD_INPUT;
    }
    if (e instanceof HsmNotFoundException) {
      return ExitCodes.NOT_FOUND;
    }
    if (e instanceof HsmAuthenticationException) {
      return ExitCodes.AUTHENTICATION;
    }
    if (e instanceof HsmException) {
      return ExitCodes.HSM;
    }
    if (e instanceof IOException || e instanceof UncheckedIOException) {
      return ExitCodes.BAD_INPUT;
    }
    if (e instanceof GeneralSecurityException) {
      return ExitCodes.CHECK_FAILED;
    }
    return ExitCodes.INTERNAL;
  }
}

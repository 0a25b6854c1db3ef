package dev.bkv.cli.client;

import dev.bkv.cli.ErrorMapping;
import dev.bkv.cli.JsonOutput;
import dev.bkv.client.LockedException;
import dev.bkv.client.RejectedException;
import dev.bkv.client.UnavailableException;
import dev.bkv.client.UntrustedFleetException;
import dev.bkv.client.VaultClientException;
import dev.bkv.client.WrongPasswordException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * With {@code --json}, a client error is also printed as JSON on standard output, so scripts
 * can read the attempts left or the fleet's reason: {@code result} ({@code wrong-password},
 * {@code locked}, {@code unavailable}, {@code untrusted-fleet} or {@code rejected} with its
 * {@code reason} and gRPC {@code code}), {@code exitCode} and {@code message}. The exit code
 * and the line on stderr are {@link ErrorMapping}'s.
 */
final class Outcomes {
  private Outcomes() {}

  /** Prints {@code e}'s outcome as JSON when {@code json}; returns {@code e} to be thrown. */
  static VaultClientException report(VaultClientException e, boolean json, PrintWriter out) {
    if (!json) {
      return e;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    if (e instanceof WrongPasswordException w) {
      m.put("result", "wrong-password");
      m.put("attemptsLeft", w.attemptsLeft());
    } else if (e instanceof LockedException) {
      m.put("result", "locked");
    } else if (e instanceof UnavailableException) {
      m.put("result", "unavailable");
    } else if (e instanceof UntrustedFleetException) {
      m.put("result", "untrusted-fleet");
    } else if (e instanceof RejectedException r) {
      m.put("result", "rejected");
      m.put("reason", r.reason().name());
      m.put("code", r.code());
    }
    m.put("exitCode", ErrorMapping.exitCode(e));
    m.put("message", ErrorMapping.line(e));
    out.println(JsonOutput.write(m));
    out.flush();
    return e;
  }
}

package dev.bkv.cli.client;

import dev.bkv.cli.CliException;
import dev.bkv.cli.ErrorLine;
import dev.bkv.cli.ExitCodes;
import dev.bkv.cli.Json;
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
 * Client errors as exit codes and one line each: wrong password → 6 (with the attempts left),
 * locked → 5, unavailable or rate-limited → 7, untrusted fleet → 1, refused input → 3, no valid
 * tenant token → 6. With {@code --json} the
 * outcome is also printed as JSON on standard output, so scripts can read the attempts left.
 */
final class Outcomes {
  private Outcomes() {}

  static CliException fail(VaultClientException e, boolean json, PrintWriter out) {
    Map<String, Object> m = new LinkedHashMap<>();
    int code;
    if (e instanceof WrongPasswordException w) {
      m.put("result", "wrong-password");
      m.put("attemptsLeft", w.attemptsLeft());
      code = ExitCodes.AUTHENTICATION;
    } else if (e instanceof LockedException) {
      m.put("result", "locked");
      code = ExitCodes.NOT_FOUND;
    } else if (e instanceof UnavailableException) {
      m.put("result", "unavailable");
      code = ExitCodes.UNAVAILABLE;
    } else if (e instanceof UntrustedFleetException) {
      m.put("result", "untrusted-fleet");
      code = ExitCodes.CHECK_FAILED;
    } else {
      RejectedException r = (RejectedException) e;
      m.put("result", "rejected");
      m.put("code", r.code());
      code = switch (r.code()) {
        case "INVALID_ARGUMENT", "ALREADY_EXISTS" -> ExitCodes.BAD_INPUT;
        // No valid tenant token for the user (or a login binding that did not verify).
        case "UNAUTHENTICATED", "PERMISSION_DENIED" -> ExitCodes.AUTHENTICATION;
        // The user's rate limit: try again later, like an unreachable fleet.
        case "RESOURCE_EXHAUSTED" -> ExitCodes.UNAVAILABLE;
        default -> ExitCodes.INTERNAL;
      };
    }
    String line = ErrorLine.of(e);
    m.put("message", line);
    if (json) {
      out.println(Json.write(m));
      out.flush();
    }
    return new CliException(code, line, e);
  }
}

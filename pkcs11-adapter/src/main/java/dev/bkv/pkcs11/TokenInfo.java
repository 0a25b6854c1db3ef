package dev.bkv.pkcs11;

import java.util.Set;

/**
 * What a token says about itself ({@code C_GetTokenInfo}), for evidence and diagnostics: the
 * strings of its {@link #description()} (see there), its flags and its slot.
 *
 * @param flags           the named token flags
 * @param rawFlags        the flags word as returned
 * @param slotId          the slot the token sits in (may change across restarts)
 */
public record TokenInfo(String label, String manufacturer, String model, String serial,
                        String hardwareVersion, String firmwareVersion, Set<TokenFlag> flags,
                        long rawFlags, long slotId) {
  public TokenInfo {
    // the strings must make a valid description (none null)
    new TokenDescription(label, manufacturer, model, serial, hardwareVersion, firmwareVersion);
    flags = Set.copyOf(flags);
  }

  /** The strings, as evidence records them. */
  public TokenDescription description() {
    return new TokenDescription(label, manufacturer, model, serial, hardwareVersion,
        firmwareVersion);
  }
}

package dev.bkv.pkcs11.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@code bkv token check} found on one token, and what follows for each role.
 *
 * @param token    the token's description (label, module)
 * @param findings one per capability, in {@link Capability} order
 */
public record CheckReport(String token, List<Finding> findings) {
  public CheckReport {
    Objects.requireNonNull(token, "token");
    findings = List.copyOf(findings);
  }

  /** The finding for {@code c}. */
  public Finding finding(Capability c) {
    return findings.stream().filter(f -> f.capability() == c).findFirst()
        .orElse(Finding.skipped(c, "not probed"));
  }

  /** This report with {@code f} added, or in place of the finding for the same capability. */
  public CheckReport with(Finding f) {
    List<Finding> out = new ArrayList<>();
    for (Finding g : findings) {
      if (g.capability() != f.capability()) {
        out.add(g);
      }
    }
    out.add(f);
    out.sort(java.util.Comparator.comparing(Finding::capability));
    return new CheckReport(token, out);
  }

  /** The capabilities {@code role} needs that this token lacks (empty: the role can be hosted). */
  public List<Finding> missingFor(Role role) {
    List<Finding> out = new ArrayList<>();
    for (Finding f : findings) {
      if (f.capability().neededBy(role) && (f.status() == Status.MISSING || f.status() == Status.SKIPPED)) {
        out.add(f);
      }
    }
    return out;
  }

  /** Whether {@code role} can be hosted (with the fallbacks the findings name). */
  public boolean canHost(Role role) {
    return missingFor(role).isEmpty();
  }

  /**
   * The one-line refusal for {@code role}, naming every missing piece, or empty when the role
   * can be hosted, e.g. {@code token 'x' on … cannot host a member: ECDH x-only (…)}.
   */
  public Optional<String> refusal(Role role) {
    List<Finding> missing = missingFor(role);
    if (missing.isEmpty()) {
      return Optional.empty();
    }
    List<String> parts = new ArrayList<>();
    for (Finding f : missing) {
      parts.add(f.capability().title() + " (" + f.detail() + ")");
    }
    String article = role == Role.OPERATOR ? "an " : "a ";
    return Optional.of(token + " cannot host " + article + role.id() + ": missing "
        + String.join("; ", parts));
  }

  /** The table printed by {@code bkv token check}. */
  public String table() {
    StringBuilder sb = new StringBuilder();
    int w = 0;
    for (Finding f : findings) {
      w = Math.max(w, f.capability().title().length());
    }
    sb.append(String.format("%-" + w + "s  %-8s  %s%n", "capability", "result", "detail / fallback bkv uses"));
    for (Finding f : findings) {
      String text = f.detail() + (f.fallback().isEmpty() ? "" : " -> " + f.fallback());
      sb.append(String.format("%-" + w + "s  %-8s  %s%n", f.capability().title(), f.status(), text));
    }
    return sb.toString();
  }

  /** A JSON-friendly view: token, findings, and per role whether it can be hosted and why not. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("token", token);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Finding f : findings) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("capability", f.capability().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
      r.put("title", f.capability().title());
      r.put("status", f.status().name());
      r.put("detail", f.detail());
      if (!f.fallback().isEmpty()) {
        r.put("fallback", f.fallback());
      }
      rows.add(r);
    }
    m.put("findings", rows);
    Map<String, Object> roles = new LinkedHashMap<>();
    for (Role role : Role.values()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("hostable", canHost(role));
      refusal(role).ifPresent(x -> r.put("refusal", x));
      roles.put(role.id(), r);
    }
    m.put("roles", roles);
    return m;
  }
}

package dev.bkv.cli.log.site;

import static dev.bkv.cli.log.site.Html.code;
import static dev.bkv.cli.log.site.Html.esc;
import static dev.bkv.cli.log.site.Html.link;

import dev.bkv.bundle.BundleMember;
import dev.bkv.bundle.EpochReport;
import dev.bkv.bundle.RetirementReport;
import dev.bkv.crypto.Sha256;
import dev.bkv.evidence.Envelope;
import dev.bkv.evidence.FleetKeyValue;
import dev.bkv.evidence.MemberSection;
import dev.bkv.evidence.MemberStatement;
import dev.bkv.retirement.RetirementReadback;
import dev.bkv.transparency.NoteSignature;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One epoch's page: bundle, members and their tokens, fleet keys, signatures, retirement. */
final class EpochPage {
  private EpochPage() {}

  static String render(EpochFiles f, String origin, List<String> commands) {
    EpochReport e = f.report();
    Html h = new Html("Epoch " + e.epoch() + " of fleet " + e.fleetId() + " - " + origin);
    h.raw("<nav>" + link("index.html", "All epochs of " + origin) + "</nav>\n");
    h.h(1, "Fleet " + e.fleetId() + ", epoch " + e.epoch());
    List<String[]> facts = new ArrayList<>();
    facts.add(new String[] {"Status", Html.status(e.ok()) + (e.retired() == null ? ""
        : " <span class=\"retired\">retired " + esc(e.retired()) + "</span>")});
    facts.add(new String[] {"Valid", esc(e.notBefore() + " .. " + e.notAfter())});
    facts.add(new String[] {"Bundle hash", code(e.bundleHash())});
    if (f.bundle() != null) {
      facts.add(new String[] {"Previous bundle", f.bundle().prev() == null ? "none (first epoch)"
          : code(f.bundle().prev().toHex())});
      facts.add(new String[] {"Evidence payload hash", code(f.bundle().evidence().toHex())});
    }
    facts.add(new String[] {"AKE key (clients pin it)", code(e.akeKey())});
    if (f.payload() != null) {
      facts.add(new String[] {"Provisioned", esc(f.payload().time() + " with "
          + f.payload().software().artifact() + " (SHA-256 "
          + f.payload().software().sha256() + ")")});
    }
    h.dl(facts);

    h.h(2, e.epoch() == 1 ? "What epoch 1 started with" : "What changed since epoch " + (e.epoch() - 1));
    h.ul(e.changes());

    h.h(2, "Members");
    members(h, f);
    h.h(2, "Fleet keys");
    fleetKeys(h, f);
    h.h(2, "Signatures");
    signatures(h, f);
    h.h(2, "Retirement");
    retirement(h, f);

    h.h(2, "What was verified");
    h.ul(e.checks());
    if (!e.problems().isEmpty() || !f.unreadable().isEmpty()) {
      h.h(2, "Problems");
      List<String> all = new ArrayList<>(e.problems());
      all.addAll(f.unreadable());
      h.ul(all);
    }
    h.h(2, "Verify it yourself, offline");
    h.p("From the directory holding this site (the files are published beside the pages):");
    h.pre(commands);
    return h.end();
  }

  private static void members(Html h, EpochFiles f) {
    Map<String, MemberStatement> byId = new LinkedHashMap<>();
    if (f.payload() != null) {
      for (MemberSection s : f.payload().members()) {
        byId.put(s.statement().memberId(), s.statement());
      }
    }
    List<List<String>> rows = new ArrayList<>();
    List<BundleMember> listed = f.bundle() == null ? List.of() : f.bundle().members();
    for (BundleMember m : listed) {
      MemberStatement st = byId.get(m.id());
      rows.add(List.of(esc(m.id()), code(fingerprint(m.identityKey())),
          st == null ? "(evidence not published)" : esc(st.token().manufacturer() + " / "
              + st.token().model()),
          st == null ? "" : code(st.token().serial()), st == null ? "" : esc(st.role())));
    }
    h.table(List.of("Member", "Identity key (SHA-256 of the point)", "Token manufacturer / model",
        "Token serial", "Role"), rows);
  }

  private static void fleetKeys(Html h, EpochFiles f) {
    if (f.payload() == null || f.payload().members().isEmpty()) {
      h.p("The evidence of this epoch is not published here; the bundle names the AKE key only.");
      return;
    }
    List<List<String>> rows = new ArrayList<>();
    for (FleetKeyValue k : f.payload().members().get(0).statement().fleetKeys()) {
      rows.add(List.of(esc(k.label()), esc(k.keyType()), code(k.fingerprint())));
    }
    h.table(List.of("Label", "Type", "Fingerprint"), rows);
    h.p("Every member's read-back in the evidence lists the same fingerprints (checked by"
        + " bkv evidence verify).");
  }

  private static void signatures(Html h, EpochFiles f) {
    List<List<String>> rows = new ArrayList<>();
    for (NoteSignature s : f.noteSigs()) {
      rows.add(List.of("bundle note", esc(s.name()), code(String.format("%08x", s.keyId())),
          code(s.base64())));
    }
    if (f.evidence() != null) {
      Map<String, String> who = new LinkedHashMap<>();
      who.put(Sha256.hex(HexFormat.of().parseHex(f.payload().operator().publicKey())),
          "operator (" + f.payload().operator().label() + ")");
      for (MemberSection s : f.payload().members()) {
        who.put(Sha256.hex(HexFormat.of().parseHex(s.statement().identityKey())),
            "member " + s.statement().memberId());
      }
      for (Envelope.Signature s : f.evidence().signatures()) {
        rows.add(List.of("evidence (DSSE)", esc(who.getOrDefault(s.keyid(), "unknown key")),
            code(s.keyid().substring(0, 16)), code(s.sig())));
      }
    }
    h.table(List.of("On", "Signer", "Key id", "Signature"), rows);
  }

  private static void retirement(Html h, EpochFiles f) {
    RetirementReport r = f.retirement();
    if (r == null) {
      h.p("Not retired: the members still hold this epoch's keys.");
      return;
    }
    h.dl(List.of(
        new String[] {"Retired", "<span class=\"retired\">" + esc(r.time()) + "</span> (log leaf "
            + r.leaf() + ") " + Html.status(r.ok())},
        new String[] {"Records left at retirement", esc(Long.toString(r.records()))},
        new String[] {"Statement hash", code(r.statementHash())}));
    List<List<String>> rows = new ArrayList<>();
    for (RetirementReadback rb : f.readbacks()) {
      rows.add(List.of(esc(rb.memberId()), esc(rb.time()),
          esc(rb.destroyed().size() + " objects under " + rb.prefix()),
          esc(rb.left().isEmpty() ? "none" : rb.left().size() + " objects"),
          esc(rb.otherEpochKeys().isEmpty() ? "none" : String.join(", ", rb.otherEpochKeys()))));
    }
    if (!rows.isEmpty()) {
      h.table(List.of("Member", "Read back", "Destroyed", "Left of this epoch",
          "Keys of other epochs still on the token"), rows);
    }
    h.ul(r.checks());
  }

  /** SHA-256 (hex, first 16 bytes) of a hex P-256 point: a short name for a key. */
  static String fingerprint(String pointHex) {
    try {
      return Sha256.hex(HexFormat.of().parseHex(pointHex)).substring(0, 32);
    } catch (IllegalArgumentException e) {
      return pointHex;
    }
  }
}

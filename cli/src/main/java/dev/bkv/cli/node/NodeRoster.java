package dev.bkv.cli.node;

import dev.bkv.cli.CliException;
import dev.bkv.cli.ExitCodes;
import dev.bkv.cli.JsonOutput;
import dev.bkv.evidence.Envelope;
import dev.bkv.evidence.EvidenceVerifier;
import dev.bkv.evidence.MalformedEvidenceException;
import dev.bkv.evidence.MemberSection;
import dev.bkv.node.trust.IdentityKey;
import dev.bkv.node.trust.MemberCertificates;
import dev.bkv.node.trust.MemberRoster;
import dev.bkv.node.trust.RosterEntry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bkv node roster}: the member roster every member pins ({@code node.raft.roster}). */
@Command(name = "roster", description = {
    "Write the member roster (node.raft.roster): each member's identity key and Raft",
    "certificate. Identity keys come from deployment evidence (verified offline first) or from",
    "--member ID=HEX; each certificate must be signed by its member's identity key, and every",
    "member must have exactly one certificate."})
public final class NodeRoster implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  static final class Source {
    @Option(names = "--evidence", paramLabel = "FILE",
        description = "Deployment evidence (evidence.dsse.json) naming the members' identity keys.")
    Path evidence;

    @Option(names = "--member", paramLabel = "ID=HEX",
        description = "A member's identity key (SEC1 hex), instead of --evidence; repeatable.")
    Map<String, String> members;
  }

  @Option(names = "--cert", required = true, arity = "1..*", paramLabel = "FILE",
      description = "Members' Raft certificates (<id>-raft.pem from `bkv node member-cert`).")
  List<Path> certs;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Roster file.")
  Path out;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Map<String, IdentityKey> keys = identityKeys();
    Map<String, X509Certificate> byId = new LinkedHashMap<>();
    for (Path f : certs) {
      String id;
      X509Certificate c;
      try {
        c = MemberCertificates.fromPem(read(f), "certificate " + f);
        id = MemberCertificates.memberId(c);
      } catch (CertificateException e) {
        throw new CliException(ExitCodes.BAD_INPUT, f + ": " + e.getMessage(), e);
      }
      if (byId.put(id, c) != null) {
        throw new CliException(ExitCodes.BAD_INPUT, "two certificates name member '" + id + "'");
      }
    }
    if (!keys.keySet().equals(byId.keySet())) {
      throw new CliException(ExitCodes.BAD_INPUT, "identity keys are given for members "
          + new TreeSet<>(keys.keySet()) + " but certificates for " + new TreeSet<>(
              byId.keySet()));
    }
    List<RosterEntry> entries = new ArrayList<>();
    for (Map.Entry<String, X509Certificate> e : byId.entrySet()) {
      try {
        entries.add(new RosterEntry(e.getKey(), keys.get(e.getKey()), e.getValue()));
      } catch (IllegalArgumentException ex) {
        throw new CliException(ExitCodes.AUTHENTICATION, ex.getMessage(), ex);
      }
    }
    MemberRoster roster = MemberRoster.of(entries);
    Files.writeString(out, roster.toJson());
    PrintWriter w = spec.commandLine().getOut();
    if (json) {
      Map<String, String> m = new LinkedHashMap<>();
      entries.forEach(x -> m.put(x.memberId(), x.identityKey().hex()));
      w.println(JsonOutput.write(Map.of("roster", out.toString(), "members", m)));
    } else {
      for (RosterEntry x : entries) {
        w.printf("member %s: identity key %s, certificate valid until %s%n", x.memberId(),
            x.identityKey().hex(), x.certificate().getNotAfter().toInstant());
      }
      w.printf("roster written to %s%n", out);
    }
    return ExitCodes.OK;
  }

  private Map<String, IdentityKey> identityKeys() throws CliException {
    Map<String, IdentityKey> keys = new LinkedHashMap<>();
    try {
      if (source.evidence != null) {
        var report = EvidenceVerifier.verify(Envelope.read(source.evidence)).requireValid();
        for (MemberSection s : report.payload().members()) {
          keys.put(s.statement().memberId(), IdentityKey.ofHex(s.statement().identityKey()));
        }
      } else {
        for (Map.Entry<String, String> e : source.members.entrySet()) {
          keys.put(e.getKey(), IdentityKey.ofHex(e.getValue()));
        }
      }
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.BAD_INPUT, e.getMessage(), e);
    } catch (MalformedEvidenceException | IOException e) {
      throw new CliException(ExitCodes.BAD_INPUT, "evidence " + source.evidence + ": "
          + e.getMessage(), e);
    } catch (java.security.GeneralSecurityException e) {
      throw new CliException(ExitCodes.CHECK_FAILED, "evidence " + source.evidence + ": "
          + e.getMessage(), e);
    }
    return keys;
  }

  private static String read(Path f) throws CliException {
    try {
      return Files.readString(f);
    } catch (IOException e) {
      throw new CliException(ExitCodes.BAD_INPUT, "cannot read " + f + ": " + e.getMessage(), e);
    }
  }
}

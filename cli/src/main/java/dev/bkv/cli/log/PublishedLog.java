package dev.bkv.cli.log;

import dev.bkv.bundle.BundleException;
import dev.bkv.bundle.LogAuditor;
import dev.bkv.cli.CliException;
import dev.bkv.cli.bundle.BundleCli;
import dev.bkv.retirement.PublishedRetirements;
import dev.bkv.transparency.VerifierKey;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The published log an auditor reads: its directory, the cosigner's key, the evidence. */
public final class PublishedLog {
  @Option(names = "--log", required = true, paramLabel = "DIR", description = "The log directory.")
  Path log;

  @Option(names = "--cosigner-key", required = true, paramLabel = "VKEY",
      description = "The cosigner's verifier key (or a file holding it).")
  String cosignerKey;

  @Option(names = "--evidence-dir", paramLabel = "DIR",
      description = "Published evidence: DIR/<epoch>/evidence.dsse.json.")
  Path evidenceDir;

  /** The cosigner's key (a log key, never a witness key). */
  VerifierKey key() throws CliException {
    return BundleCli.logKey("--cosigner-key", cosignerKey);
  }

  /** The audit of every entry, bundles and retirements, under {@code key}. */
  LogAuditor.Report audit(VerifierKey key) throws BundleException {
    return LogAuditor.audit(log, key, evidenceDir, PublishedRetirements.in(log, evidenceDir));
  }
}

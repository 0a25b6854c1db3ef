package dev.bkv.retirement;

import dev.bkv.bundle.BundleException;
import dev.bkv.bundle.BundleRejectedException;
import dev.bkv.bundle.RetirementCheck;
import dev.bkv.evidence.Envelope;
import dev.bkv.evidence.MalformedEvidenceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The auditor's statement check: the retirement file the cosigner published beside its log
 * ({@code retirements/<epoch>.json}), with the operator key taken from the epoch's evidence
 * ({@code <evidence dir>/<epoch>/evidence.dsse.json}) when it is published too.
 */
public final class PublishedRetirements {
  private PublishedRetirements() {}

  public static RetirementCheck in(Path logDir, Path evidenceDir) {
    return (entry, retired) -> {
      Path file = logDir.resolve("retirements").resolve(entry.epoch() + ".json");
      if (!Files.exists(file)) {
        throw new BundleRejectedException(BundleException.Reason.RETIREMENT_INVALID,
            "retirement statement " + file + " is not published");
      }
      Path ev = evidenceDir == null ? null
          : evidenceDir.resolve(Long.toString(entry.epoch())).resolve("evidence.dsse.json");
      try {
        Envelope evidence = ev != null && Files.exists(ev) ? Envelope.read(ev) : null;
        return RetirementVerifier.check(RetirementFile.read(file), evidence).check(entry, retired);
      } catch (IOException | MalformedEvidenceException e) {
        throw new BundleRejectedException(BundleException.Reason.RETIREMENT_INVALID,
            "retirement statement " + file + ": " + e.getMessage(), e);
      }
    };
  }
}

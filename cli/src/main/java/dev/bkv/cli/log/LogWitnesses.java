package dev.bkv.cli.log;

import dev.bkv.cli.CliException;
import dev.bkv.cli.ExitCodes;
import dev.bkv.transparency.Checkpoint;
import dev.bkv.transparency.TransparencyException;
import dev.bkv.transparency.VerifierKey;
import dev.bkv.transparency.WitnessPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The witness step of {@code bkv log verify}: the cosignatures on the log's checkpoint file, the
 * one the audit just verified (same root), counted against the policy.
 */
final class LogWitnesses {

  private LogWitnesses() {}

  static WitnessPolicy.Count count(Path log, VerifierKey cosigner, String auditedRoot,
      WitnessPolicy policy) throws CliException {
    byte[] note;
    try {
      note = Files.readAllBytes(log.resolve("checkpoint"));
    } catch (IOException e) {
      throw new CliException(ExitCodes.BAD_INPUT, "cannot read the checkpoint of log " + log
          + ": " + e);
    }
    try {
      Checkpoint c = Checkpoint.open(note, cosigner.name(), List.of(cosigner.verifier()));
      if (!c.root().toBase64().equals(auditedRoot)) {
        throw new CliException(ExitCodes.RETRY, "the checkpoint of log " + log + " changed"
            + " while it was audited (now size " + c.size() + "); run the command again");
      }
      return policy.count(note);
    } catch (TransparencyException e) {
      throw new CliException(ExitCodes.CHECK_FAILED, "checkpoint of log " + log + ": "
          + e.getMessage(), e);
    }
  }
}

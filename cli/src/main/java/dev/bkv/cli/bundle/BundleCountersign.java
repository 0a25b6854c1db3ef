package dev.bkv.cli.bundle;

import dev.bkv.bundle.CosignedBundle;
import dev.bkv.bundle.Countersignature;
import dev.bkv.bundle.HsmNoteSigner;
import dev.bkv.bundle.MalformedBundleException;
import dev.bkv.cli.CliException;
import dev.bkv.cli.ExitCodes;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.transparency.NoteSignature;
import dev.bkv.transparency.SignedNotes;
import dev.bkv.transparency.TransparencyException;
import dev.bkv.transparency.VerifierKey;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bkv bundle countersign}: the operator's HSM signs the cosigner's signature bytes. */
@Command(name = "countersign", description = {
    "Check the cosigner's signature on the bundle under the pinned cosigner key, then sign"
        + " \"bkv bundle countersignature v1\\n\" || cosigner key ID || cosigner signature with"
        + " the operator's P-256 key in its HSM, and store the countersignature in the file."})
public final class BundleCountersign implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin OperatorKeyOptions key;

  @Parameters(paramLabel = "FILE", description = "BUNDLE.cosigned from bkv cosigner sign.")
  Path file;

  @Option(names = "--cosigner-key", required = true, paramLabel = "VKEY",
      description = "The cosigner's verifier key (or a file holding it).")
  String cosignerKey;

  @Option(names = "--out", paramLabel = "FILE", description = "Default: rewrite FILE in place.")
  Path out;

  @Override
  public Integer call() throws Exception {
    VerifierKey cosigner = BundleCli.verifierKey("--cosigner-key", cosignerKey);
    CosignedBundle bundle = CosignedBundle.parse(BundleCli.read("cosigned bundle", file));
    NoteSignature cosig;
    try {
      cosig = SignedNotes.open(bundle.parsedNote().toBytes(), List.of(cosigner.verifier()))
          .signatureBy(cosigner.name(), cosigner.keyId());
    } catch (TransparencyException e) {
      throw new CliException(ExitCodes.AUTHENTICATION, "refusing to countersign: the bundle's"
          + " cosigner signature does not verify under " + cosigner.encode() + ": "
          + e.getMessage(), e);
    }
    NoteSignature counter;
    String vkey;
    try (Pkcs11Token t = key.open()) {
      HsmNoteSigner signer = key.signer(t);
      counter = Countersignature.sign(cosig, signer);
      vkey = signer.verifierKey().encode();
    } catch (TransparencyException e) {
      throw new MalformedBundleException("operator key: " + e.getMessage(), e);
    }
    Path target = out == null ? file : out;
    BundleCli.write(target, bundle.withCountersignature(counter).toJson());
    spec.commandLine().getOut().printf("countersigned %s with %s%n", target, vkey);
    return ExitCodes.OK;
  }
}

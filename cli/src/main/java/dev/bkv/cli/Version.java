package dev.bkv.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the version recorded in the jar manifest. */
final class Version implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Bkv.class.getPackage().getImplementationVersion();
    return new String[] {"bkv " + (v == null ? "(development build)" : v)};
  }
}

package dev.bkv.cli;

import picocli.CommandLine.Option;

/** The {@code --json} option: print what a script would parse as JSON. */
public final class JsonOption {
  @Option(names = "--json", description = "Print JSON.")
  boolean enabled;

  public boolean enabled() {
    return enabled;
  }
}

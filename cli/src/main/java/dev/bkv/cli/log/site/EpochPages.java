package dev.bkv.cli.log.site;

/** File names of the site's pages. */
final class EpochPages {
  private EpochPages() {}

  static String name(long epoch) {
    return "epoch-" + epoch + ".html";
  }
}

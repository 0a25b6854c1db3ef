package dev.bkv.node.service;

import dev.bkv.node.raft.ConfigException;
import dev.bkv.node.raft.PredecessorFleet;
import dev.bkv.node.store.ClosureReceipts;
import dev.bkv.node.trust.MemberRoster;
import dev.bkv.node.trust.RosterException;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * The earlier fleet epoch a member accepts migrations from (DESIGN §11): {@code
 * node.migration.from.fleet-id}, {@code node.migration.from.epoch} and {@code
 * node.migration.from.roster} (that fleet's member roster file), all three or none. Every member
 * of a fleet must be given the same, since each replica checks closure receipts with it.
 */
public final class MigrationConfig {
  static final List<String> KEYS = List.of("node.migration.from.fleet-id",
      "node.migration.from.epoch", "node.migration.from.roster");

  private MigrationConfig() {}

  /** The check for closure receipts: {@link ClosureReceipts.Check#NONE} when none is set. */
  public static ClosureReceipts.Check parse(Properties p) throws ConfigException {
    String fleet = p.getProperty(KEYS.get(0));
    String epoch = p.getProperty(KEYS.get(1));
    String roster = p.getProperty(KEYS.get(2));
    if (fleet == null && epoch == null && roster == null) {
      return ClosureReceipts.Check.NONE;
    }
    if (fleet == null || epoch == null || roster == null) {
      throw new ConfigException("node.migration.from.* needs all of " + KEYS
          + " (the earlier fleet's id, epoch and member roster), or none");
    }
    long e;
    try {
      e = Long.parseLong(epoch.trim());
    } catch (NumberFormatException x) {
      throw new ConfigException("node.migration.from.epoch is '" + epoch
          + "'; expected a number");
    }
    if (e < 1) {
      throw new ConfigException("node.migration.from.epoch is " + e + "; expected >= 1");
    }
    try {
      return new PredecessorFleet(fleet.trim(), e, MemberRoster.load(Path.of(roster.trim())));
    } catch (RosterException x) {
      throw new ConfigException("node.migration.from.roster: " + x.getMessage(), x);
    }
  }
}

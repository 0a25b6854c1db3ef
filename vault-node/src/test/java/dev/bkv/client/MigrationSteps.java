package dev.bkv.client;

/** Reaches into a migrating client's steps, to stop a move where a crash would (tests only). */
public final class MigrationSteps {
  private MigrationSteps() {}

  /**
   * Recovers {@code user} from {@code client}'s previous fleet, stages the record on its current
   * fleet and closes it on the previous one, then stops as a client that crashed before the
   * activation would. Returns the key and whether the close was sent.
   */
  public static RecoveredKey closeWithoutActivating(VaultClient client, byte[] user,
      byte[] password) throws VaultClientException {
    FleetMigration.Closing c = new FleetMigration(client.previous(), client, user)
        .recoverAndClose(password);
    if (!c.closed()) {
      throw new IllegalStateException("the close was not sent");
    }
    return c.key();
  }
}

package dev.bkv.ceremony;

import dev.bkv.evidence.FleetKey;
import dev.bkv.evidence.ShareLayout;
import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.Pkcs11Token;
import java.util.ArrayList;
import java.util.List;

/**
 * What the ceremony does about an earlier run: nothing (fresh tokens), read-back only (finished
 * fleet), roll back (a run that stopped before the genesis keys were sealed and cleaned up), or
 * refuse (sealed on the genesis but missing on a member: only {@code --restart} may destroy it).
 */
final class EarlierRun {
  private EarlierRun() {}

  /**
   * Returns true if the fleet is already complete on every token: the fleet keys and exactly
   * the group wrap keys each member holds in {@code layout}.
   *
   * @param members the descriptors of {@code all}, in the same order
   */
  static boolean prepare(Ceremony.Request r, List<Pkcs11Token> all, ShareLayout layout,
                         List<MemberDescriptor> members, Transcript t)
      throws HsmException, CeremonyException {
    List<TokenState> states = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      states.add(TokenState.of(all.get(i), r.space(),
          TokenState.expectedShares(layout, members.get(i).memberId())));
    }
    if (states.stream().allMatch(TokenState::empty)) {
      return false;
    }
    if (states.stream().allMatch(TokenState::complete)) {
      t.add("check", states.get(0).token(), "fleet " + r.fleetId()
          + " is already provisioned and sealed on all " + all.size() + " tokens; reading back only");
      return true;
    }
    TokenState genesis = states.get(0);
    if (states.stream().allMatch(TokenState::sealedEverywhere)) {
      int n = TokenState.destroyByPrefix(all.get(0), FleetKey.ceremonyPrefix(r.space()));
      t.add("cleanup", genesis.token(), "an earlier run stopped after sealing; destroyed the " + n
          + " trusted ceremony objects it left; reading back only");
      return true;
    }
    if (genesis.empty() && !r.restart()) {
      throw new CeremonyException("other tokens hold keys of fleet " + r.fleetId() + " but the genesis "
          + genesis.token() + " has none, so they are not from an unfinished run of this ceremony."
          + " Check the --genesis token; re-run with --restart to destroy every '"
          + FleetKey.prefix(r.space()) + "' key on the listed tokens, or use a new fleet id");
    }
    boolean beforeSeal = !genesis.sealed();
    if (!beforeSeal && !r.restart()) {
      List<String> missing = new ArrayList<>();
      for (TokenState s : states) {
        if (!s.complete()) {
          missing.add(s.token());
        }
      }
      throw new CeremonyException("fleet " + r.fleetId() + " is sealed on the genesis "
          + genesis.token() + " but incomplete on " + missing + "; sealed keys cannot be sent again."
          + " Re-run with --restart to destroy every '" + FleetKey.prefix(r.space())
          + "' key on the listed tokens and start over, or use a new fleet id");
    }
    t.add("rollback", genesis.token(), beforeSeal
        ? "found an unfinished ceremony (genesis keys unsealed or trusted objects left); rolling back"
        : "restart requested; destroying the sealed but incomplete fleet");
    for (Pkcs11Token token : genesisLast(all)) {
      int n = TokenState.rollBack(token, r.space());
      t.add("rollback", token.info().label(), "destroyed " + n + " objects of fleet " + r.fleetId());
    }
    return false;
  }

  /** Rolls back after a failure at {@code step}; the exception says what was left and what to do. */
  static CeremonyException rollBackAfter(Ceremony.Step step, Exception cause, Ceremony.Request r,
                                         List<Pkcs11Token> all, Transcript t) {
    List<String> failed = new ArrayList<>();
    for (Pkcs11Token token : genesisLast(all)) {
      try {
        int n = TokenState.rollBack(token, r.space());
        t.add("rollback", token.info().label(), "destroyed " + n + " objects after the failure");
      } catch (HsmException | RuntimeException e) {
        failed.add(token.description() + " (" + e.getMessage() + ")");
      }
    }
    String why = "ceremony for fleet " + r.fleetId() + " failed during " + step.name().toLowerCase()
        + ": " + cause.getMessage();
    if (failed.isEmpty()) {
      return new CeremonyException(why + "; rolled back: no key of fleet " + r.fleetId()
          + " remains on any token. Fix the cause and run the same command again", cause);
    }
    return new CeremonyException(why + "; rollback FAILED on " + String.join(", ", failed)
        + ": objects of fleet " + r.fleetId() + " may remain there (on the genesis they stay extractable"
        + " only under a trusted key). Run the same command again once the tokens are reachable: it"
        + " rolls back before starting", cause);
  }

  /**
   * Members first, the genesis last: a run killed while rolling back still leaves the genesis
   * keys, which is how the next run knows the leftovers are its own.
   */
  private static List<Pkcs11Token> genesisLast(List<Pkcs11Token> all) {
    List<Pkcs11Token> out = new ArrayList<>(all.subList(1, all.size()));
    out.add(all.get(0));
    return out;
  }
}

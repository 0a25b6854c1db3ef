package dev.bkv.evidence;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Which member HSMs can open which part of a per-user OPRF key (DESIGN §10): replicated secret
 * sharing with threshold {@code t} = a majority of the {@code n} members. A user's key is the
 * sum of one summand per {@link ShareSet} — every set {@code A} of {@code t−1} members — and the
 * summand of {@code A} is wrapped under the group wrap key {@code W_A}, which the ceremony puts
 * on every member <em>not</em> in {@code A}. So any {@code t} members can open every summand and
 * any {@code t−1} miss the one of their own set.
 *
 * <p>n=1: one set (empty), held by the member. n=3: 3 sets of one member, 2 held per member.
 * n=5: 10 sets of two members, 6 held per member.
 *
 * @param fleetId the fleet whose keys these are
 * @param epoch   the fleet epoch (labels are in its key space, {@link FleetKey#space})
 * @param members the member ids, sorted and distinct
 */
public record ShareLayout(String fleetId, long epoch, List<String> members) {
  /** The most members a layout supports (C(9,4) = 126 sets). */
  public static final int MAX_MEMBERS = 9;
  private static final String SET_SEPARATOR = "+";

  /** One set {@code A} of {@code t−1} members; its name joins the sorted ids with {@code +}. */
  public record ShareSet(List<String> excluded) {
    public ShareSet {
      excluded = List.copyOf(excluded);
    }

    /** {@code -} for the empty set, else the excluded member ids joined with {@code +}. */
    public String name() {
      return excluded.isEmpty() ? "-" : String.join(SET_SEPARATOR, excluded);
    }

    /** Whether {@code member}'s HSM holds this set's wrap key (it is not in the set). */
    public boolean heldBy(String member) {
      return !excluded.contains(member);
    }
  }

  /** The layout of epoch 1. */
  public ShareLayout(String fleetId, List<String> members) {
    this(fleetId, 1, members);
  }

  public ShareLayout {
    FleetKey.space(fleetId, epoch);
    Objects.requireNonNull(members, "members");
    TreeSet<String> sorted = new TreeSet<>();
    for (String m : members) {
      if (m == null || m.isEmpty() || m.contains(SET_SEPARATOR) || m.contains("/")
          || m.equals("-")) {
        throw new IllegalArgumentException("member id '" + m + "' cannot name a share set; "
            + "expected a non-empty id without '+' or '/'");
      }
      if (!sorted.add(m)) {
        throw new IllegalArgumentException("member id '" + m + "' is listed twice");
      }
    }
    if (sorted.isEmpty() || sorted.size() > MAX_MEMBERS) {
      throw new IllegalArgumentException("a share layout has " + sorted.size()
          + " members; expected 1.." + MAX_MEMBERS);
    }
    members = List.copyOf(sorted);
  }

  /** Members needed to open every summand: a majority. */
  public int threshold() {
    return members.size() / 2 + 1;
  }

  /** Every set of {@code t−1} members, in lexicographic order of the sorted ids. */
  public List<ShareSet> sets() {
    List<ShareSet> out = new ArrayList<>();
    choose(0, threshold() - 1, new ArrayList<>(), out);
    return Collections.unmodifiableList(out);
  }

  /** The sets whose wrap key {@code member} holds. */
  public List<ShareSet> heldBy(String member) {
    requireMember(member);
    return sets().stream().filter(s -> s.heldBy(member)).toList();
  }

  /** The set named {@code name}, or an exception naming what was expected. */
  public ShareSet set(String name) {
    for (ShareSet s : sets()) {
      if (s.name().equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("'" + name + "' is not a share set of fleet " + fleetId
        + " (members " + members + ")");
  }

  /** Label of the wrap key of {@code set}: {@code fleet/<space>/oprf-share/<set name>}. */
  public String label(ShareSet set) {
    return labelPrefix() + set.name();
  }

  /** {@code fleet/<space>/oprf-share/} of this layout's fleet epoch. */
  public String labelPrefix() {
    return labelPrefix(FleetKey.space(fleetId, epoch));
  }

  /** {@code fleet/<space>/oprf-share/}: every group wrap key of that key space starts so. */
  public static String labelPrefix(String space) {
    return FleetKey.prefix(space) + "oprf-share/";
  }

  private void requireMember(String member) {
    if (!members.contains(member)) {
      throw new IllegalArgumentException("'" + member + "' is not a member of fleet " + fleetId
          + " (members " + members + ")");
    }
  }

  private void choose(int from, int k, List<String> chosen, List<ShareSet> out) {
    if (chosen.size() == k) {
      out.add(new ShareSet(chosen));
      return;
    }
    for (int i = from; i < members.size(); i++) {
      chosen.add(members.get(i));
      choose(i + 1, k, chosen, out);
      chosen.remove(chosen.size() - 1);
    }
  }
}

package dev.bkv.evidence;

import dev.bkv.pkcs11.KeyUsage;
import dev.bkv.pkcs11.ObjectClass;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The end-state rules for the group wrap keys {@code W_A} of the OPRF key shares (DESIGN §10),
 * checked on the members' read-back statements. The layout is computed from the member ids in
 * the evidence; each problem names the member, the set and the rule it breaks.
 */
final class ShareKeyRules {
  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

  private ShareKeyRules() {}

  /** The layout of these members, or empty (with a problem) if their ids cannot form one. */
  static Optional<ShareLayout> layout(String fleetId, long epoch, List<MemberStatement> members,
                                      List<String> problems) {
    try {
      return Optional.of(new ShareLayout(fleetId, epoch, members.stream().map(MemberStatement::memberId).toList()));
    } catch (IllegalArgumentException e) {
      problems.add("the members cannot form a share layout: " + e.getMessage());
      return Optional.empty();
    }
  }

  /** Adds every broken rule to {@code problems}. */
  static void check(ShareLayout layout, List<MemberStatement> members, List<String> problems) {
    String prefix = layout.labelPrefix();
    Map<String, Map<String, ShareKeyValue>> bySet = new HashMap<>();
    for (MemberStatement m : members) {
      listed(layout, m, prefix, bySet, problems);
    }
    Map<String, String> setOfCheck = new HashMap<>();
    for (ShareLayout.ShareSet set : layout.sets()) {
      Map<String, ShareKeyValue> holders = bySet.getOrDefault(set.name(), Map.of());
      String label = layout.label(set);
      String refMember = null;
      String ref = null;
      for (String member : layout.members()) {
        ShareKeyValue v = holders.get(member);
        String where = "member " + member + ", set " + set.name() + ": ";
        if (set.heldBy(member) && v == null) {
          problems.add(where + "does not hold the group wrap key '" + label
              + "' (rule: every member outside a set holds its wrap key)");
        } else if (!set.heldBy(member) && v != null) {
          problems.add(where + "holds the group wrap key '" + label + "' but is in the set"
              + " (rule: no member of a set holds its wrap key; the genesis destroys its copies)");
        }
        if (v == null) {
          continue;
        }
        if (ref == null) {
          ref = v.checkValue();
          refMember = member;
        } else if (!ref.equals(v.checkValue())) {
          problems.add(where + "check value " + v.checkValue() + " differs from member " + refMember
              + "'s " + ref + " (rule: every holder of a set's wrap key holds the same key)");
        }
      }
      if (ref != null) {
        String other = setOfCheck.putIfAbsent(ref, set.name());
        if (other != null) {
          problems.add("member " + refMember + ", set " + set.name() + ": check value " + ref
              + " equals that of set " + other + " (rule: every set has its own wrap key)");
        }
      }
    }
  }

  /** Checks a member's listed share keys against its inventory and records them by set. */
  private static void listed(ShareLayout layout, MemberStatement m, String prefix,
                             Map<String, Map<String, ShareKeyValue>> bySet, List<String> problems) {
    Set<String> labels = new HashSet<>();
    for (ShareKeyValue v : m.shareKeys()) {
      String where = "member " + m.memberId() + ", set " + v.set() + ": ";
      if (!labels.add(v.label())) {
        problems.add(where + "'" + v.label() + "' is listed twice (rule: one wrap key per set)");
        continue;
      }
      if (!v.label().equals(prefix + v.set())) {
        problems.add(where + "label is '" + v.label() + "'; expected '" + prefix + v.set() + "'");
      }
      if (!ShareKeyValue.CHECK.equals(v.check()) || !HEX64.matcher(v.checkValue()).matches()) {
        problems.add(where + "check value '" + v.checkValue() + "' (" + v.check() + ") is not a "
            + ShareKeyValue.CHECK + " value of 64 hex digits");
      }
      try {
        layout.set(v.set());
      } catch (IllegalArgumentException e) {
        problems.add(where + "is not a share set of members " + layout.members()
            + " (rule: wrap keys exist only for the layout's sets)");
        continue;
      }
      List<InventoryEntry> objects = m.inventory().stream()
          .filter(e -> e.label().equals(v.label())).toList();
      if (objects.size() != 1 || !objects.get(0).objectClass().equals(ObjectClass.SECRET_KEY.name())
          || !"AES".equals(objects.get(0).keyType())) {
        problems.add(where + "the inventory has " + objects.size() + " objects labelled '" + v.label()
            + "'; expected exactly one AES secret key (rule: each listed wrap key is on the token)");
      } else if (!objects.get(0).usages().containsAll(List.of(KeyUsage.WRAP.name(), KeyUsage.UNWRAP.name()))) {
        problems.add(where + "'" + v.label() + "' has usages " + objects.get(0).usages()
            + "; expected WRAP and UNWRAP");
      }
      bySet.computeIfAbsent(v.set(), k -> new LinkedHashMap<>()).put(m.memberId(), v);
    }
    for (InventoryEntry e : m.inventory()) {
      if (e.label().startsWith(prefix) && !labels.contains(e.label())) {
        problems.add("member " + m.memberId() + ": " + e.describe() + " is not listed in shareKeys"
            + " (rule: every object under '" + prefix + "' is a listed, checked wrap key)");
      }
    }
  }
}

package dev.bkv.node.trust;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The fleet's members as every member pins them ({@code node.raft.roster}): for each member id,
 * its identity key and its Raft TLS certificate. Only these certificates are accepted on the
 * Raft transport, and only these members' signatures on commands.
 *
 * <p>File format (JSON):
 * <pre>{"schema": "bkv/member-roster/v1", "members": [
 *   {"id": "m1", "identity-key": "02…", "certificate": "-----BEGIN CERTIFICATE-----…"}, …]}</pre>
 *
 * @param members entries by member id, in file order
 */
public record MemberRoster(Map<String, RosterEntry> members) {
  public static final String SCHEMA = "bkv/member-roster/v1";
  private static final ObjectMapper JSON = new ObjectMapper();

  public MemberRoster {
    members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
    if (members.isEmpty()) {
      throw new IllegalArgumentException("member roster lists no members");
    }
    members.forEach((id, e) -> {
      if (!id.equals(e.memberId())) {
        throw new IllegalArgumentException("roster key '" + id + "' holds member '"
            + e.memberId() + "'");
      }
    });
  }

  /** A roster of {@code entries}; an id listed twice is an error. */
  public static MemberRoster of(Collection<RosterEntry> entries) {
    Map<String, RosterEntry> m = new LinkedHashMap<>();
    for (RosterEntry e : entries) {
      if (m.put(e.memberId(), e) != null) {
        throw new IllegalArgumentException("member roster lists member '" + e.memberId()
            + "' twice");
      }
    }
    return new MemberRoster(m);
  }

  public Set<String> ids() {
    return members.keySet();
  }

  public Optional<RosterEntry> entry(String memberId) {
    return Optional.ofNullable(members.get(memberId));
  }

  /** Reads and checks a roster file: every certificate names its id and verifies. */
  public static MemberRoster load(Path file) throws RosterException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new RosterException("cannot read member roster " + file + ": " + e.getMessage(), e);
    }
    try {
      return parse(text);
    } catch (RosterException e) {
      throw new RosterException("member roster " + file + ": " + e.getMessage(), e);
    }
  }

  public static MemberRoster parse(String json) throws RosterException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new RosterException("not JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject() || !SCHEMA.equals(root.path("schema").asText())) {
      throw new RosterException("schema is '" + (root == null ? null
          : root.path("schema").asText(null)) + "'; expected '" + SCHEMA + "'");
    }
    JsonNode list = root.get("members");
    if (list == null || !list.isArray()) {
      throw new RosterException("has no \"members\" array");
    }
    List<RosterEntry> entries = new ArrayList<>();
    for (JsonNode m : list) {
      String id = text(m, "id", "?");
      try {
        entries.add(new RosterEntry(id, IdentityKey.ofHex(text(m, "identity-key", id)),
            Pem.certificate(text(m, "certificate", id), "certificate of '" + id + "'")));
      } catch (IOException | IllegalArgumentException e) {
        throw new RosterException(e.getMessage(), e);
      }
    }
    try {
      return of(entries);
    } catch (IllegalArgumentException e) {
      throw new RosterException(e.getMessage(), e);
    }
  }

  private static String text(JsonNode m, String field, String id) throws RosterException {
    JsonNode v = m.get(field);
    if (v == null || !v.isTextual()) {
      throw new RosterException("entry '" + id + "' has no \"" + field + "\" string");
    }
    return v.asText();
  }

  public String toJson() {
    ObjectNode root = JSON.createObjectNode().put("schema", SCHEMA);
    ArrayNode list = root.putArray("members");
    for (RosterEntry e : members.values()) {
      try {
        list.addObject().put("id", e.memberId()).put("identity-key", e.identityKey().hex())
            .put("certificate", Pem.toPem(e.certificate()));
      } catch (IOException ex) {
        throw new IllegalStateException("cannot encode the certificate of " + e.memberId(), ex);
      }
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException(ex);
    }
  }

}

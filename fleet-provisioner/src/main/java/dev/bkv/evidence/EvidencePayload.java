package dev.bkv.evidence;

import java.util.List;
import java.util.Objects;

/**
 * The signed content of {@code evidence.dsse.json} (schema {@value #SCHEMA}). Serialized with
 * sorted properties, so the same inputs give the same bytes.
 */
public record EvidencePayload(String schema, String fleetId, long epoch, String time,
                              SoftwareVersion software, OperatorKey operator,
                              List<TranscriptEntry> transcript, List<MemberSection> members) {
  public static final String SCHEMA = "bkv.dev/deployment-evidence/v2";

  public EvidencePayload {
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(fleetId, "fleetId");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(software, "software");
    Objects.requireNonNull(operator, "operator");
    transcript = List.copyOf(Objects.requireNonNull(transcript, "transcript"));
    members = List.copyOf(Objects.requireNonNull(members, "members"));
  }

  /** The payload bytes as signed. */
  public byte[] toBytes() {
    return Json.pretty(this);
  }

  public static EvidencePayload parse(byte[] bytes) throws MalformedEvidenceException {
    return Json.parse(bytes, EvidencePayload.class, "evidence payload");
  }
}

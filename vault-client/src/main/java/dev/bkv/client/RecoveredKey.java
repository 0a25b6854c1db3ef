package dev.bkv.client;

import dev.bkv.recovery.SecretBytes;
import java.util.List;

/** A successful recovery: the backup key and the record's recent audit trail. */
public record RecoveredKey(SecretBytes backupKey, List<AuditEvent> audit) {
  public RecoveredKey {
    audit = List.copyOf(audit);
  }
}

package dev.bkv.node.raft;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a member's Raft trust material lives: the pinned member roster ({@code
 * node.raft.roster}) and the member's own credential ({@code node.raft.tls.cert}, {@code
 * node.raft.tls.key}); see {@link dev.bkv.node.trust.MemberTrust}.
 *
 * @param roster the member roster file (JSON)
 * @param cert this member's Raft TLS certificate (PEM), signed by its identity key
 * @param key this member's Raft TLS private key (PEM PKCS#8)
 */
public record RaftTlsFiles(Path roster, Path cert, Path key) {
  public RaftTlsFiles {
    Objects.requireNonNull(roster, "roster");
    Objects.requireNonNull(cert, "cert");
    Objects.requireNonNull(key, "key");
  }
}

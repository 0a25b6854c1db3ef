package dev.bkv.node.raft.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;

/**
 * Durable notes, in {@code <data-dir>/rejoin/<group-uuid>}, of the groups this member joined
 * without storage and has not caught up in yet. A note is written (and synced) before the group
 * is created, and removed only once the member has caught up, so a member restarted in between
 * is still kept from voting; a note lost with the disk goes with the group's storage, which
 * brings it back.
 */
public final class RejoinMarkers {
  private final Path dir;

  public RejoinMarkers(Path dataDir) {
    this.dir = dataDir.resolve("rejoin");
  }

  /**
   * Notes every group of {@code groups} whose storage is missing under {@code raftDir}, and
   * returns every noted group (these and those noted before).
   */
  public Set<RaftGroupId> markMissing(Path raftDir, List<RaftGroup> groups) throws IOException {
    Set<RaftGroupId> out = new HashSet<>();
    for (RaftGroup g : groups) {
      String uuid = g.getGroupId().getUuid().toString();
      if (!Files.exists(raftDir.resolve(uuid))) {
        write(uuid);
      }
      if (Files.exists(dir.resolve(uuid))) {
        out.add(g.getGroupId());
      }
    }
    return out;
  }

  /** Removes the note for {@code group}: the member has caught up there. */
  public void clear(RaftGroupId group) throws IOException {
    Files.deleteIfExists(dir.resolve(group.getUuid().toString()));
    sync(dir);
  }

  private void write(String uuid) throws IOException {
    Files.createDirectories(dir);
    Path f = dir.resolve(uuid);
    try (FileChannel c = FileChannel.open(f, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      c.write(java.nio.ByteBuffer.wrap(("rejoining group " + uuid + " without storage\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
      c.force(true);
    }
    sync(dir);
  }

  private static void sync(Path directory) throws IOException {
    try (FileChannel c = FileChannel.open(directory, StandardOpenOption.READ)) {
      c.force(true);
    }
  }
}

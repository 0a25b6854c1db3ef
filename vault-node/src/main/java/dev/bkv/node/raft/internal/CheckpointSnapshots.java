package dev.bkv.node.raft.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;
import org.apache.ratis.util.FileUtils;
import org.apache.ratis.util.MD5FileUtil;
import org.apache.ratis.io.MD5Hash;

/**
 * Snapshots as RocksDB checkpoints. Inside a group's state machine directory:
 * {@code db/} is the live database, {@code snapshots/snapshot.<term>_<index>/} holds complete
 * checkpoints with an {@code .md5} file beside every file, {@code work/} holds checkpoints being
 * written. A snapshot directory appears only by an atomic rename once all its checksums are
 * written; a follower installing a snapshot gets the same layout (Ratis writes the {@code .md5}
 * files as it verifies each received file), so {@link #restoreInto} works the same for both.
 */
public final class CheckpointSnapshots implements StateMachineStorage {
  private static final Pattern NAME = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");
  private static final int DEFAULT_RETAINED = 1;

  /** Writes a checkpoint of the live database into a directory that does not exist yet. */
  public interface CheckpointWriter {
    void write(Path target) throws IOException;
  }

  private Path smDir;
  private Path snapshots;
  private Path work;
  private volatile FileListSnapshotInfo latest;

  @Override
  public void init(RaftStorage storage) throws IOException {
    smDir = storage.getStorageDir().getStateMachineDir().toPath();
    snapshots = smDir.resolve("snapshots");
    work = smDir.resolve("work");
    Files.createDirectories(snapshots);
    FileUtils.deleteFully(work.toFile());
    Files.createDirectories(work);
    latest = scan();
  }

  public Path liveDbDir() {
    return smDir.resolve("db");
  }

  @Override
  public FileListSnapshotInfo getLatestSnapshot() {
    return latest;
  }

  /** Re-reads the snapshot directory (after Ratis installed one from the leader). */
  public FileListSnapshotInfo reload() throws IOException {
    latest = scan();
    return latest;
  }

  /** Takes a checkpoint labelled {@code ti}, unless the latest snapshot already is at it. */
  public FileListSnapshotInfo take(TermIndex ti, CheckpointWriter writer) throws IOException {
    FileListSnapshotInfo current = latest;
    if (current != null && current.getIndex() >= ti.getIndex()) {
      return current;
    }
    String name = "snapshot." + ti.getTerm() + "_" + ti.getIndex();
    Path tmp = work.resolve(name);
    FileUtils.deleteFully(tmp.toFile());
    writer.write(tmp);
    try (Stream<Path> files = Files.list(tmp)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        checksum(f, current);
      }
    }
    Files.move(tmp, snapshots.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    latest = scan();
    return latest;
  }

  /**
   * Writes {@code f}'s checksum file. An SST file hard-linked from the previous snapshot (the
   * same inode: RocksDB never rewrites an SST) reuses that snapshot's checksum, so the cost of a
   * snapshot grows with the data written since the last one, not with the database size.
   */
  private static void checksum(Path f, FileListSnapshotInfo previous) throws IOException {
    if (previous != null && f.getFileName().toString().endsWith(".sst")) {
      for (FileInfo info : previous.getFiles()) {
        Path old = info.getPath();
        if (old.getFileName().equals(f.getFileName()) && Files.exists(old)
            && Files.isSameFile(old, f)) {
          MD5FileUtil.saveMD5File(f.toFile(), info.getFileDigest());
          return;
        }
      }
    }
    MD5FileUtil.computeAndSaveMd5ForFile(f.toFile());
  }

  /**
   * Verifies every file of the latest snapshot against its checksum and makes {@code dbDir} a
   * copy of it (SST files are hard-linked: RocksDB never changes them).
   */
  public void restoreInto(Path dbDir) throws IOException {
    FileListSnapshotInfo s = latest;
    if (s == null) {
      throw new IOException("no snapshot to restore into " + dbDir);
    }
    Path tmp = work.resolve("restore");
    FileUtils.deleteFully(tmp.toFile());
    Files.createDirectories(tmp);
    for (FileInfo info : s.getFiles()) {
      File f = info.getPath().toFile();
      MD5FileUtil.verifySavedMD5(f, MD5FileUtil.computeMd5ForFile(f));
      Path target = tmp.resolve(f.getName());
      if (f.getName().endsWith(".sst")) {
        Files.createLink(target, f.toPath());
      } else {
        Files.copy(f.toPath(), target);
      }
    }
    FileUtils.deleteFully(dbDir.toFile());
    Files.move(tmp, dbDir, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public void format() {
    // Nothing to format: directories are created by init.
  }

  @Override
  public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) throws IOException {
    int keep = policy == null || policy.getNumSnapshotsRetained() <= 0
        ? DEFAULT_RETAINED : policy.getNumSnapshotsRetained();
    List<Path> all = complete();
    for (int i = 0; i < all.size() - keep; i++) {
      FileUtils.deleteFully(all.get(i).toFile());
    }
  }

  @Override
  public File getSnapshotDir() {
    return snapshots.toFile();
  }

  /** Complete snapshot directories, oldest first. */
  private List<Path> complete() throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(snapshots)) {
      for (Path d : dirs.filter(Files::isDirectory).toList()) {
        if (NAME.matcher(d.getFileName().toString()).matches() && info(d).isPresent()) {
          out.add(d);
        }
      }
    }
    out.sort(Comparator.comparingLong(d -> termIndex(d).getIndex()));
    return out;
  }

  private FileListSnapshotInfo scan() throws IOException {
    List<Path> all = complete();
    return all.isEmpty() ? null : info(all.get(all.size() - 1)).orElseThrow();
  }

  /** The snapshot in {@code dir}, if every data file has a saved checksum. */
  private static Optional<FileListSnapshotInfo> info(Path dir) throws IOException {
    List<FileInfo> files = new ArrayList<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path f : list.filter(Files::isRegularFile).sorted().toList()) {
        String n = f.getFileName().toString();
        if (n.endsWith(".md5") || n.endsWith(".tmp")) {
          continue;
        }
        MD5Hash md5 = MD5FileUtil.readStoredMd5ForFile(f.toFile());
        if (md5 == null) {
          return Optional.empty();
        }
        files.add(new FileInfo(f.toAbsolutePath(), md5));
      }
    }
    if (files.stream().noneMatch(f -> f.getPath().getFileName().toString().equals("CURRENT"))) {
      return Optional.empty();
    }
    return Optional.of(new FileListSnapshotInfo(files, termIndex(dir)));
  }

  private static TermIndex termIndex(Path dir) {
    Matcher m = NAME.matcher(dir.getFileName().toString());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a snapshot directory: " + dir);
    }
    return TermIndex.valueOf(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
  }
}

package dev.bkv.node.raft.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.node.store.Command;
import dev.bkv.node.store.RecordStore;
import dev.bkv.node.store.StoreException;
import dev.bkv.node.store.UserId;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;
import org.apache.ratis.util.MD5FileUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointSnapshotsTest {
  private static final UserId DAN = new UserId("dan".getBytes(StandardCharsets.UTF_8));

  @TempDir Path dir;
  private CheckpointSnapshots snapshots;
  private RecordStore store;
  private long index;

  @BeforeEach
  void open() throws Exception {
    snapshots = new CheckpointSnapshots();
    snapshots.init(new TestRaftStorage(dir.toFile()));
    store = RecordStore.open(snapshots.liveDbDir(), 8);
    store.apply(new Command.Register(DAN, 1, 1, 100, new byte[] {1}, new byte[] {2}, new byte[0]), 1, ++index);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private FileListSnapshotInfo take() throws IOException {
    return snapshots.take(TermIndex.valueOf(1, index), target -> {
      try {
        store.checkpoint(target);
      } catch (StoreException e) {
        throw new IOException(e);
      }
    });
  }

  private void write(int n) throws StoreException {
    for (int i = 0; i < n; i++) {
      store.apply(new Command.Attempt(DAN, 2), 1, ++index);
    }
  }

  @Test
  void everyFileHasAChecksumThatMatchesItsContent() throws Exception {
    assertNull(snapshots.getLatestSnapshot());
    FileListSnapshotInfo s = take();
    assertEquals(TermIndex.valueOf(1, 1), s.getTermIndex());
    assertTrue(s.getFiles().stream().anyMatch(f -> name(f).equals("CURRENT")));
    for (FileInfo f : s.getFiles()) {
      assertTrue(f.getPath().isAbsolute());
      assertEquals(MD5FileUtil.computeMd5ForFile(f.getPath().toFile()), f.getFileDigest());
      assertEquals(f.getFileDigest(), MD5FileUtil.readStoredMd5ForFile(f.getPath().toFile()));
    }
    assertSame(s, take(), "no new entries, no new snapshot");
    assertEquals(List.of(), list(dir.resolve("sm").resolve("work")), "work area left clean");
  }

  @Test
  void unchangedSstFilesReuseThePreviousChecksum() throws Exception {
    write(5);
    FileListSnapshotInfo first = take();
    FileInfo sst = first.getFiles().stream().filter(f -> name(f).endsWith(".sst")).findFirst()
        .orElseThrow();
    // Mark the stored checksum so that reuse (rather than recomputation) is visible.
    MD5Hash marker = new MD5Hash("00112233445566778899aabbccddeeff");
    MD5FileUtil.saveMD5File(sst.getPath().toFile(), marker);
    snapshots.reload();
    write(5);
    FileListSnapshotInfo second = take();
    FileInfo same = second.getFiles().stream().filter(f -> name(f).equals(name(sst)))
        .findFirst().orElseThrow();
    assertEquals(marker, MD5FileUtil.readStoredMd5ForFile(same.getPath().toFile()));
    FileInfo fresh = second.getFiles().stream().filter(f -> name(f).endsWith(".sst")
        && !name(f).equals(name(sst))).findFirst().orElseThrow();
    assertEquals(MD5FileUtil.computeMd5ForFile(fresh.getPath().toFile()), fresh.getFileDigest());
  }

  @Test
  void aDirectoryWithoutAllChecksumsIsNotASnapshot() throws Exception {
    FileListSnapshotInfo s = take();
    write(1);
    FileListSnapshotInfo newer = take();
    Files.delete(MD5FileUtil.getDigestFileForFile(newer.getFiles().get(0).getPath().toFile())
        .toPath());
    assertEquals(s.getTermIndex(), snapshots.reload().getTermIndex());
  }

  @Test
  void cleanupKeepsTheNewestSnapshots() throws Exception {
    for (int i = 0; i < 4; i++) {
      write(1);
      take();
    }
    snapshots.cleanupOldSnapshots(new SnapshotRetentionPolicy() {
      @Override
      public int getNumSnapshotsRetained() {
        return 2;
      }
    });
    assertEquals(List.of("snapshot.1_4", "snapshot.1_5"),
        list(dir.resolve("sm").resolve("snapshots")));
  }

  @Test
  void restoreVerifiesChecksumsAndRebuildsTheDatabase() throws Exception {
    write(3);
    take();
    write(2);
    store.close();
    Path restored = dir.resolve("restored");
    snapshots.restoreInto(restored);
    try (RecordStore copy = RecordStore.open(restored, 8)) {
      assertEquals(4, copy.applied().index());
    }
    File manifest = snapshots.getLatestSnapshot().getFiles().stream()
        .filter(f -> name(f).startsWith("MANIFEST")).findFirst().orElseThrow().getPath().toFile();
    Files.write(manifest.toPath(), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
    IOException e = assertThrows(IOException.class, () -> snapshots.restoreInto(restored));
    assertTrue(e.getMessage().contains("did not match stored MD5"), e.getMessage());
    store = RecordStore.open(snapshots.liveDbDir(), 8);
  }

  private static String name(FileInfo f) {
    return f.getPath().getFileName().toString();
  }

  private static List<String> list(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}

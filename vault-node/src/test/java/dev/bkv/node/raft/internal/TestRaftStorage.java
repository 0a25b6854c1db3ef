package dev.bkv.node.raft.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import org.apache.ratis.server.RaftServerConfigKeys.Log.CorruptionPolicy;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.server.storage.RaftStorageDirectory;
import org.apache.ratis.server.storage.RaftStorageMetadataFile;

/** A Raft storage rooted at a test directory; only the directory layout is real. */
public final class TestRaftStorage implements RaftStorage {
  private final RaftStorageDirectory dir;

  public TestRaftStorage(File root) throws IOException {
    Files.createDirectories(root.toPath());
    this.dir = new RaftStorageDirectory() {
      @Override
      public File getRoot() {
        return root;
      }

      @Override
      public boolean isHealthy() {
        return true;
      }
    };
  }

  @Override
  public void initialize() {}

  @Override
  public RaftStorageDirectory getStorageDir() {
    return dir;
  }

  @Override
  public RaftStorageMetadataFile getMetadataFile() {
    throw new UnsupportedOperationException("not needed by the state machine");
  }

  @Override
  public CorruptionPolicy getLogCorruptionPolicy() {
    return CorruptionPolicy.EXCEPTION;
  }

  @Override
  public void close() {}
}

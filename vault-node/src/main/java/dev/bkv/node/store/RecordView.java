package dev.bkv.node.store;

import java.util.Optional;

/** Read access to one replica's applied records (what peers decide key share requests on). */
public interface RecordView {
  UserState get(UserId user) throws StoreException;

  Optional<PendingRegistration> pending(UserId user) throws StoreException;
}

package dev.bkv.node.api;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/** Collects what a gRPC service method answered to one unary call made in-process. */
final class UnaryAnswer<T> implements StreamObserver<T> {
  T value;
  Status status;

  @Override
  public void onNext(T v) {
    value = v;
  }

  @Override
  public void onError(Throwable t) {
    status = Status.fromThrowable(t);
  }

  @Override
  public void onCompleted() {}
}

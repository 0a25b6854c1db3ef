package dev.bkv.pkcs11;

/** A token (by label or serial) or a key (by label) does not exist. */
public final class HsmNotFoundException extends HsmException {
  private static final long serialVersionUID = 1L;

  public HsmNotFoundException(String operation, String problem) {
    super(operation, problem);
  }
}

package dev.bkv.pkcs11;

/** The PKCS#11 configuration is unusable: bad key, missing module file, unreadable PIN source. */
public final class HsmConfigException extends HsmException {
  private static final long serialVersionUID = 1L;

  public HsmConfigException(String operation, String problem) {
    super(operation, problem);
  }

  public HsmConfigException(String operation, String problem, Throwable cause) {
    super(operation, problem, cause);
  }
}

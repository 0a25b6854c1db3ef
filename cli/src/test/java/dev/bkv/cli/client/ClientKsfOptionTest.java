package dev.bkv.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bkv.cli.CliException;
import dev.bkv.cli.ExitCodes;
import dev.bkv.opaque.Argon2idKsf;
import dev.bkv.opaque.Ksf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code bkv client --ksf}: opaque-ke's default, explicit Argon2id parameters, identity. */
class ClientKsfOptionTest {
  @Test
  void namedAndExplicitParameters() throws CliException {
    assertEquals(Argon2idKsf.opaqueKeDefault(), ClientOptions.ksf("argon2id"));
    assertEquals(Argon2idKsf.of(65536, 3, 4), ClientOptions.ksf("argon2id:65536,3,4"));
    assertSame(Ksf.IDENTITY, ClientOptions.ksf("identity"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"argon2", "argon2id:", "argon2id:65536,3", "argon2id:a,b,c",
      "argon2id:7,1,1", "argon2id:65536,0,4"})
  void badSpecsAreUsageErrors(String spec) {
    assertEquals(ExitCodes.USAGE, assertThrows(CliException.class,
        () -> ClientOptions.ksf(spec)).exitCode());
  }
}

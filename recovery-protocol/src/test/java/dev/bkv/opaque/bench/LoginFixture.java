package dev.bkv.opaque.bench;

import dev.bkv.opaque.CipherSuite;
import dev.bkv.opaque.ClientLogin;
import dev.bkv.opaque.ClientRegistration;
import dev.bkv.opaque.Identities;
import dev.bkv.opaque.Ke1;
import dev.bkv.opaque.Ke3;
import dev.bkv.opaque.Ksf;
import dev.bkv.opaque.RegistrationRecord;
import dev.bkv.opaque.ServerKeys;
import dev.bkv.opaque.ServerLogin;
import dev.bkv.opaque.ServerRegistration;
import java.security.SecureRandom;

/** A registered user and one recorded login (KE1, nonces, KE3), for the login benchmarks. */
final class LoginFixture {
  static final CipherSuite SUITE = new CipherSuite(new byte[0], Ksf.IDENTITY);
  static final byte[] CRED = "bench-user".getBytes();
  static final byte[] PASSWORD = "correct horse battery staple".getBytes();

  final SecureRandom rng = new SecureRandom();
  final RegistrationRecord record;
  final Ke1 ke1;
  final ServerLogin.Nonces nonces;
  final Ke3 ke3;

  LoginFixture(ServerKeys keys) throws Exception {
    ClientRegistration reg = ClientRegistration.start(SUITE, PASSWORD, rng);
    ServerRegistration sreg = new ServerRegistration(keys, CRED);
    record = reg.finish(sreg.start(reg.request()), Identities.NONE, rng).record();
    ClientLogin client = ClientLogin.start(SUITE, PASSWORD, rng);
    ke1 = client.ke1();
    nonces = ServerLogin.Nonces.random(rng);
    ServerLogin server = ServerLogin.start(SUITE, keys, CRED, record, ke1, Identities.NONE,
        nonces);
    ke3 = client.finish(server.ke2(), Identities.NONE).ke3();
  }

  /** KE1 → KE2 with fresh server randomness. */
  Object ke2(ServerKeys keys) throws Exception {
    return ServerLogin.start(SUITE, keys, CRED, record, ke1, Identities.NONE, rng).ke2();
  }

  /** KE1 → KE2 with the recorded nonces, then verification of the recorded KE3. */
  Object ke2AndVerifyKe3(ServerKeys keys) throws Exception {
    return ServerLogin.start(SUITE, keys, CRED, record, ke1, Identities.NONE, nonces)
        .finish(ke3);
  }
}

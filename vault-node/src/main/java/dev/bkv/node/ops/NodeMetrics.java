package dev.bkv.node.ops;

import dev.bkv.node.service.ServiceEvent;
import dev.bkv.pkcs11.HsmObserver;
import dev.bkv.pkcs11.Pkcs11Token;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One member's operator metrics in a Micrometer registry, scraped in the Prometheus text format.
 * Counters for the vault service's {@link ServiceEvent}s, HSM operation timings by kind and
 * {@code CKR_*} result, session pool use, and Raft gauges ({@link RaftGauges}). No metric name
 * or label ever holds a user id, password, PIN or key: labels are fixed words, shard numbers,
 * member ids and {@code CKR_*} names.
 */
public final class NodeMetrics implements ServiceEvent.Listener, HsmObserver {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<ServiceEvent, Counter> events = new EnumMap<>(ServiceEvent.class);

  public NodeMetrics(String memberId) {
    registry.config().commonTags("member", memberId);
    counter(ServiceEvent.REGISTRATION, "bkv.registrations", "records registered");
    counter(ServiceEvent.PASSWORD_CHANGE, "bkv.password.changes", "records replaced after a login");
    counter(ServiceEvent.DELETION, "bkv.deletions", "records erased after a login");
    counter(ServiceEvent.ATTEMPT_COMMITTED, "bkv.attempts.committed",
        "login attempts committed through Raft by this member");
    counter(ServiceEvent.EVALUATION, "bkv.attempts.evaluated",
        "OPRF evaluations this member's HSM ran for logins");
    counter(ServiceEvent.LOCKOUT, "bkv.lockouts", "records destroyed by their last wrong guess");
    counter(ServiceEvent.REFUSED_LOCKED, "bkv.logins.refused.locked",
        "logins refused because the record was already locked out");
    counter(ServiceEvent.WRONG_PASSWORD, "bkv.wrong.passwords",
        "logins whose KE3 did not verify");
    counter(ServiceEvent.LOGIN_UNFINISHED, "bkv.logins.unfinished",
        "evaluated logins whose KE3 never came (how bkv's client shows a wrong password)");
    counter(ServiceEvent.RECOVERY, "bkv.recoveries", "successful logins (backup key sent)");
  }

  private void counter(ServiceEvent e, String name, String help) {
    events.put(e, Counter.builder(name).description(help).register(registry));
  }

  @Override
  public void on(ServiceEvent event) {
    events.get(event).increment();
  }

  @Override
  public void took(ServiceEvent.Stage stage, long nanos) {
    Timer.builder("bkv.login.stage").description("time a stage of a login took on this member")
        .tags("stage", stage.tag()).register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void completed(String operation, long nanos, String outcome) {
    Timer.builder("bkv.hsm.operation").description("HSM operations by kind and CKR_* result")
        .tags("operation", operation, "result", outcome)
        .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    if (!OK.equals(outcome) && !NOT_FOUND.equals(outcome)) {
      Counter.builder("bkv.hsm.errors").description("HSM operations that failed, by CKR_*")
          .tags("operation", operation, "ckr", outcome).register(registry).increment();
    }
  }

  /** Observes {@code token}'s operations and reports its session pool. */
  public void watch(Pkcs11Token token) {
    token.observe(this);
    Gauge.builder("bkv.hsm.sessions.in.use", token, t -> t.sessionPoolUse().inUse())
        .description("HSM sessions borrowed by running operations").strongReference(true)
        .register(registry);
    Gauge.builder("bkv.hsm.sessions.idle", token, t -> t.sessionPoolUse().idle())
        .description("logged-in HSM sessions idle in the pool").strongReference(true)
        .register(registry);
  }

  /** {@code bkv_health_serving}: 1 while the gRPC health status is SERVING. */
  public void serving(HealthReporter health) {
    Gauge.builder("bkv.health.serving", health, h -> h.serving() ? 1 : 0)
        .description("1 while the member's gRPC health status is SERVING").strongReference(true)
        .register(registry);
  }

  /** The registry, for {@link RaftGauges} and tests. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Every metric in the Prometheus text exposition format. */
  public String scrape() {
    return registry.scrape();
  }
}

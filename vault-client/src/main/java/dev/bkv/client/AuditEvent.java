package dev.bkv.client;

/**
 * One event on the user's record, as the fleet recorded it: {@code ATTEMPT}, {@code SUCCESS},
 * {@code LOCKOUT}, {@code REGISTER}, … with the attempts used at the time. Shown to the user
 * after a successful login, so they can see guessing against them.
 */
public record AuditEvent(String kind, long timeMillis, int attemptsUsed, int attemptLimit) {}

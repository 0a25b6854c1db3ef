package dev.bkv.bundle;

import dev.bkv.transparency.Checkpoint;

/**
 * A bundle that passed every client rule.
 *
 * @param bundle the bundle, now safe to act on (pin its AKE key)
 * @param checkpoint the cosigner checkpoint that includes it
 * @param state the client state to store now (and only now)
 */
public record VerifiedBundle(ValidationBundle bundle, Checkpoint checkpoint, ClientState state) {}

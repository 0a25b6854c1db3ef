package dev.bkv.pkcs11;

/**
 * How a token's session pool is used right now.
 *
 * @param inUse sessions borrowed by running operations (the holder session not counted)
 * @param idle logged-in sessions waiting in the pool
 */
public record SessionPoolUse(int inUse, int idle) {}

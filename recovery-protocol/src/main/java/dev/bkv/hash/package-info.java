/**
 * The hash primitives of the recovery protocol, shared by OPAQUE, the OPRF, hash-to-curve, the
 * fleet channel and the sealed-backup-key format: {@link dev.bkv.hash.Hkdf} (HKDF-SHA256 of RFC
 * 5869 and HMAC-SHA256); SHA-256 itself is {@code dev.bkv.crypto.Sha256}. Software only; secrets
 * held in HSMs never come here.
 */
package dev.bkv.hash;

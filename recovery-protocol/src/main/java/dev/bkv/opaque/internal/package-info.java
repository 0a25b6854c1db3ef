/**
 * RFC 9807 internals: envelope, masking, key schedule, derivations, fake records (HKDF is
 * {@link dev.bkv.hash.Hkdf}).
 */
package dev.bkv.opaque.internal;

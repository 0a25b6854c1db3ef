/** RFC 9807 internals: HKDF, envelope, masking, key schedule, derivations, fake records. */
package dev.bkv.opaque.internal;

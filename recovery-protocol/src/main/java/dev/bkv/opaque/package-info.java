/** RFC 9807 OPAQUE-3DH, suite P256-SHA256: messages, client and server state machines, and the {@link dev.bkv.opaque.ServerKeys} seam with software and HSM-backed implementations. */
package dev.bkv.opaque;

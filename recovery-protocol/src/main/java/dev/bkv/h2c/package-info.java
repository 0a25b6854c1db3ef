/** RFC 9380 hash-to-curve for P-256 ({@code P256_XMD:SHA-256_SSWU_RO_} and {@code _NU_}) and {@code expand_message_xmd}. */
package dev.bkv.h2c;

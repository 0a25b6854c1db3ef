/** The P-256 group: validated points, canonical scalars, strict SEC1 decoding, and full-point recovery from x-only ECDH (the HSM seam). */
package dev.bkv.ec;

/** RFC 9497 OPRF, mode 0, suite P256-SHA256. */
package dev.bkv.oprf;

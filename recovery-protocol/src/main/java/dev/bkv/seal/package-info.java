/** The sealed-backup-key format: the backup key encrypted on the client under a key derived from the OPAQUE export key. */
package dev.bkv.seal;

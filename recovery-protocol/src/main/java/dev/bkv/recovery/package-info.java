/** Errors ({@link dev.bkv.recovery.RecoveryException} and its bad-input, authentication-failed and internal-fault subtypes) and {@link dev.bkv.recovery.SecretBytes}, shared by every package of the recovery-protocol module. */
package dev.bkv.recovery;

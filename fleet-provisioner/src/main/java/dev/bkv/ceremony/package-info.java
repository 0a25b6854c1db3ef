/**
 * The provisioning ceremony (DESIGN.md §4): member keys ({@link dev.bkv.ceremony.MemberKeys},
 * {@link dev.bkv.ceremony.MemberDescriptor}), the genesis side ({@link dev.bkv.ceremony.Genesis})
 * and the member side ({@link dev.bkv.ceremony.MemberImport}) of the trusted key transfer, run
 * either in one process ({@link dev.bkv.ceremony.Ceremony}) or one token at a time
 * ({@link dev.bkv.ceremony.SplitCeremony}, with {@link dev.bkv.ceremony.WrappedKeys} files).
 * Failures roll back; re-runs are safe ({@code EarlierRun}). See {@code docs/evidence.md}.
 */
package dev.bkv.ceremony;

/**
 * Validation bundles (DESIGN.md §5, bundle mode): how a client learns which fleet to trust
 * without an app update, and how anyone audits every fleet ever deployed.
 *
 * <ul>
 *   <li>{@link dev.bkv.bundle.ValidationBundle}: the bundle text (a C2SP signed-note text with
 *       origin {@code bkv.dev/validation-bundle/v1}), strictly parsed;
 *       {@link dev.bkv.bundle.EvidenceFacts} binds it to deployment evidence.
 *   <li>{@link dev.bkv.bundle.Cosigner}: signs epoch n only after n − 1, with the right
 *       {@code prev}, never two texts for one epoch, logging each bundle in a tlog-tiles log.
 *   <li>{@link dev.bkv.bundle.Countersignature}: the operator's domain-separated signature over
 *       the cosigner's signature, made in its HSM by {@link dev.bkv.bundle.HsmNoteSigner}.
 *   <li>{@link dev.bkv.bundle.BundleVerifier}: the client's rules, with
 *       {@link dev.bkv.bundle.ClientState}; {@link dev.bkv.bundle.LogAuditor}: the auditor's walk.
 * </ul>
 *
 * <p>Every checked error extends {@link dev.bkv.bundle.BundleException} and names a
 * {@link dev.bkv.bundle.BundleException.Reason}; equivocation has its own type,
 * {@link dev.bkv.bundle.EquivocationException}. See {@code fleet-provisioner/docs/bundles.md}.
 */
package dev.bkv.bundle;

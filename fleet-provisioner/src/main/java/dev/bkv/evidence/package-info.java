/**
 * Deployment evidence: a DSSE envelope ({@link dev.bkv.evidence.Envelope}, {@link
 * dev.bkv.evidence.Dsse}) over an {@link dev.bkv.evidence.EvidencePayload} holding each member's
 * read-back {@link dev.bkv.evidence.MemberStatement} with its proof of possession. {@link
 * dev.bkv.evidence.MemberStatements} reads a token, {@link dev.bkv.evidence.EvidenceAssembler}
 * builds and signs, {@link dev.bkv.evidence.EvidenceVerifier} and {@link
 * dev.bkv.evidence.EndStateRules} check offline, {@link dev.bkv.evidence.LiveCheck} compares with
 * a live token. Format and auditor's guide: {@code docs/evidence.md}.
 */
package dev.bkv.evidence;

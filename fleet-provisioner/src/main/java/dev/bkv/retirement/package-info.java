/**
 * Retiring a fleet epoch: each member destroys the epoch's keys in its HSM and signs what its
 * token holds afterwards ({@link dev.bkv.retirement.MemberRetirement}); the operator checks that
 * every member of the epoch did so and signs the retirement statement
 * ({@link dev.bkv.retirement.OperatorRetirement}); the cosigner logs it after
 * {@link dev.bkv.retirement.RetirementVerifier} accepts it.
 */
package dev.bkv.retirement;

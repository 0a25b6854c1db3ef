/**
 * Software cryptographic helpers shared by the transparency log, the deployment evidence, the
 * ceremony, the validation bundles and their verifiers: {@link dev.bkv.crypto.Sha256} and
 * {@link dev.bkv.crypto.EcdsaP256} (ECDSA P-256 signature encodings and verification, done with
 * BouncyCastle). Keys held in HSMs never come here; only public keys and signatures do.
 */
package dev.bkv.crypto;

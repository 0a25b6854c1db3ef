/**
 * The fleet channel (DESIGN §9): a one-round-trip Noise {@code NK} handshake whose responder
 * static key is the fleet AKE key, so that only a holder of that key (the member HSMs) can read
 * a request or write a response. The DH is x-only P-256 ECDH, the responder's half of it done by
 * the key holder ({@link dev.bkv.ec.XOnlyEcdh}).
 *
 * <p>Protocol name {@value dev.bkv.channel.internal.SymmetricState#PROTOCOL}: Noise's {@code NK}
 * pattern ({@code <- s; -> e, es; <- e, ee}) and its symmetric state with SHA-256 and
 * AES-256-GCM, over P-256 with 33-byte compressed public keys and the 32-byte x-coordinate as
 * the DH output (Noise names no P-256 function; this is the usual choice). Each request is the
 * first handshake message with its payload, each response the second with its payload; there is
 * no transport phase.
 */
package dev.bkv.channel;

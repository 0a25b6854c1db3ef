// One side of an RFC 9497 OPRF (mode 0, P256-SHA256) exchange, played by @noble/curves.
// Reads one JSON request per line on stdin, writes one JSON answer per line on stdout.
// Byte strings are hex. Requests:
//   {"op":"blind","input":H}                          -> {"blind":H,"blinded":H}
//   {"op":"blindEvaluate","key":H,"blinded":H}        -> {"evaluated":H}
//   {"op":"finalize","input":H,"blind":H,"evaluated":H} -> {"output":H}
//   {"op":"evaluate","key":H,"input":H}               -> {"output":H}
import { createInterface } from 'node:readline';
import { p256_oprf } from '@noble/curves/nist.js';
import { bytesToHex, hexToBytes } from '@noble/curves/utils.js';

const oprf = p256_oprf.oprf;
const ops = {
  blind: (r) => {
    const b = oprf.blind(hexToBytes(r.input));
    return { blind: bytesToHex(b.blind), blinded: bytesToHex(b.blinded) };
  },
  blindEvaluate: (r) => ({
    evaluated: bytesToHex(oprf.blindEvaluate(hexToBytes(r.key), hexToBytes(r.blinded))),
  }),
  finalize: (r) => ({
    output: bytesToHex(oprf.finalize(hexToBytes(r.input), hexToBytes(r.blind), hexToBytes(r.evaluated))),
  }),
  evaluate: (r) => ({ output: bytesToHex(oprf.evaluate(hexToBytes(r.key), hexToBytes(r.input))) }),
};

const rl = createInterface({ input: process.stdin });
for await (const line of rl) {
  if (!line.trim()) continue;
  let answer;
  try {
    const req = JSON.parse(line);
    answer = ops[req.op] ? ops[req.op](req) : { error: `unknown op ${req.op}` };
  } catch (e) {
    answer = { error: String(e && e.message ? e.message : e) };
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
}

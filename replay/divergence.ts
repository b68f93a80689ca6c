/** @module Replay divergence: the first point where a re-execution departs from its trace. */
import { UserError } from "../kernel/errors.ts";

/** Process exit code of `replay` when the program diverged from its trace. */
export const DIVERGENCE_EXIT_CODE = 3;

/**
 * Thrown by the replayer at the first mismatch. The message is one line; `details` holds the
 * extra report lines (registers, disassembly around eip) that the session fills in.
 */
export class Divergence extends UserError {
  /** index of the trace event where replay diverged (events.length when past the end) */
  readonly index: number;
  readonly tid: number;
  /** what differed, e.g. "write arg 2" */
  readonly field: string;
  readonly expected: string;
  readonly actual: string;
  details: string[] = [];

  constructor(
    where: { index: number; tid: number },
    field: string,
    expected: string,
    actual: string,
    explain?: string,
  ) {
    super(
      `replay diverged at event ${where.index} (tid ${where.tid}): ` +
        (explain ?? `${field}: trace has ${expected}, program ${actual}`),
      DIVERGENCE_EXIT_CODE,
    );
    this.name = "Divergence";
    this.index = where.index;
    this.tid = where.tid;
    this.field = field;
    this.expected = expected;
    this.actual = actual;
  }
}

/** Disassembles one instruction: the shape of core/disasm.ts disassemble. */
export type Disassembler = (addr: number) => { text: string; length: number };

/**
 * Disassembly lines around `eip`: up to `before` instructions that end exactly at eip (found
 * by trying start points behind it), then eip marked with "=>", then `after` more.
 */
export function disassembleAround(
  dis: Disassembler,
  eip: number,
  before = 2,
  after = 2,
): string[] {
  const line = (addr: number, here: boolean): [string, number] => {
    let text: string, length: number;
    try {
      ({ text, length } = dis(addr >>> 0));
    } catch {
      return [`${here ? "=>" : "  "} 0x${hex8(addr)}: (unreadable)`, 0];
    }
    return [`${here ? "=>" : "  "} 0x${hex8(addr)}: ${text}`, length];
  };
  const prior = findPrior(dis, eip, before);
  const out = prior.map((a) => line(a, false)[0]);
  let addr = eip;
  for (let i = 0; i <= after; i++) {
    const [text, len] = line(addr, i === 0);
    out.push(text);
    if (len <= 0) break;
    addr += len;
  }
  return out;
}

/**
 * x86 code cannot be decoded backwards, but linear decoding resynchronises within a few
 * instructions: start as far back as possible and keep the first chain that lands on eip.
 */
function findPrior(dis: Disassembler, eip: number, count: number): number[] {
  if (count <= 0) return [];
  for (let back = 16 * (count + 2); back >= 1; back--) {
    const addrs: number[] = [];
    let a = eip - back;
    try {
      while (a < eip) {
        addrs.push(a);
        const { length } = dis(a >>> 0);
        if (length <= 0) break;
        a += length;
      }
    } catch {
      continue;
    }
    if (a === eip) return addrs.slice(-count);
  }
  return [];
}

function hex8(v: number): string {
  return (v >>> 0).toString(16).padStart(8, "0");
}

/** @module The stored CPU test vector format (tests/vectors/*.json), shared by the generator and the runner. */

/** Guest address of the data window that memory operands point into. */
export const DATA_ADDR = 0x10000000;
/** Guest address of the stack window; ESP starts in its middle. */
export const STACK_WIN = 0x100fffc0;
/** Initial ESP of every vector. */
export const STACK_INIT = 0x100fffe0;
/** Size in bytes of each memory window. */
export const WIN = 64;

/** EFLAGS bits a vector compares at most: arithmetic, TF, IF, DF, IOPL, NT, AC, ID and bit 1. */
export const FULL_MASK = 0x247fd7;

/** One machine state as stored: registers in ModRM order (unsigned), EFLAGS, memory windows. */
export interface VectorState {
  /** eax ecx edx ebx esp ebp esi edi */
  r: number[];
  /** EFLAGS (raw, unmasked) */
  f: number;
  /** SSE forms: XMM0..7 as 128 bytes in hex */
  x?: string;
  /** SSE forms: MXCSR */
  mx?: number;
  /** MMX forms: the x87 registers as FXSAVE stores them, 8 × 10 bytes in ST(i) order, hex */
  st?: string;
  /** MMX forms: x87 status word (TOP in bits 11..13) */
  fsw?: number;
  /** MMX forms: abridged x87 tag byte (FXSAVE byte 4, bit k = physical register k not empty) */
  ftw?: number;
  /** x87 forms: x87 control word */
  fcw?: number;
}

/** One test vector: a single instruction run from `i` must reach `o`. */
export interface Vector {
  /** instruction form, e.g. "add r/m32, r32 (mem)" */
  f: string;
  /** the instruction's bytes in hex */
  c: string;
  /** guest address of the instruction (its native address) */
  a: number;
  /** EFLAGS bits to compare (undefined flags per the Intel SDM are cleared) */
  mask: number;
  /**
   * RCP/RSQRT forms: the XMM float32 lanes the instruction writes (bit mask over 32 lanes)
   * compare within this relative error instead of bit for bit (the tables differ by vendor)
   */
  tol?: [number, number];
  /** x87 transcendental forms: ST registers compare within this many ulps, C1 ignored */
  ulp?: number;
  /**
   * segment forms: GDT entry `sel >> 3` holds a flat 4 GiB data descriptor with this base,
   * loaded into the segment registers of `sregs` (bit k = ModRM sreg k: ES 0, FS 4, GS 5)
   */
  tls?: { sel: number; base: number; sregs: number };
  /** initial state; `m` lists the mapped memory windows as [address, hex bytes] */
  i: VectorState & { m: [number, string][] };
  /** final state; `m` holds the windows' final bytes in the order of `i.m`; `eip` the next eip */
  o: VectorState & { eip: number; m: string[] };
}

/** A family file: tests/vectors/<family>.json. */
export interface VectorFile {
  family: string;
  /** the host CPU the vectors were captured on (undefined-flag behaviour differs between vendors) */
  cpu: string;
  count: number;
  forms: string[];
  vectors: Vector[];
}

export function hex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}

export function unhex(s: string): Uint8Array {
  const out = new Uint8Array(s.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

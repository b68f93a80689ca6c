/**
 * @module FXSAVE/FXRSTOR images outside guest memory, for the kernel's signal frames: thin
 * wrappers that run the instruction semantics of ops/simd_mov.ts on a private scratch page.
 */
import { type Cpu, Seg } from "./cpu.ts";
import { Insn } from "./decode.ts";
import { Memory, Prot } from "./memory.ts";
import { CpuFault } from "./ops/_operands.ts";
import { fxrstor, fxsave } from "./ops/simd_mov.ts";

/** Size of the FXSAVE area. */
export const FXSAVE_SIZE = 512;

const SCRATCH = 0x1000;
let scratch: Memory | undefined;
const insn = new Insn();

/** `fxsave [SCRATCH]` as the CPU would decode it, whatever the thread's DS base. */
function scratchInsn(cpu: Cpu): Insn {
  insn.isMem = true;
  insn.hasModrm = true;
  insn.asize = 4;
  insn.base = -1;
  insn.index = -1;
  insn.scale = 0;
  insn.seg = Seg.DS;
  insn.disp = (SCRATCH - cpu.segBase[Seg.DS]) | 0;
  return insn;
}

function scratchMemory(): Memory {
  if (scratch === undefined) {
    scratch = new Memory();
    scratch.map(SCRATCH, 4096, Prot.READ | Prot.WRITE);
  }
  return scratch;
}

/**
 * The 512-byte image `fxsave` (32-bit format) would store for `cpu`. Bytes the instruction leaves
 * unchanged (288..511) are zero.
 */
export function fxsaveImage(cpu: Cpu): Uint8Array {
  const mem = scratchMemory();
  mem.writeBytes(SCRATCH, new Uint8Array(FXSAVE_SIZE));
  fxsave(cpu, mem, scratchInsn(cpu));
  return mem.readBytes(SCRATCH, FXSAVE_SIZE);
}

/**
 * Loads `image` (512 bytes) into `cpu` as `fxrstor` does. Returns false, with `cpu` unchanged,
 * where the instruction would raise #GP (reserved MXCSR bits set).
 */
export function fxrstorImage(cpu: Cpu, image: Uint8Array): boolean {
  if (image.length !== FXSAVE_SIZE) throw new RangeError("FXRSTOR image must be 512 bytes");
  const mem = scratchMemory();
  mem.writeBytes(SCRATCH, image);
  try {
    fxrstor(cpu, mem, scratchInsn(cpu));
  } catch (e) {
    if (e instanceof CpuFault) return false;
    throw e;
  }
  return true;
}

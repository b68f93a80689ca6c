/**
 * @module run(cpu, mem, budget): the block loop and the decoded-block cache. Code is decoded
 * into basic blocks (straight-line runs ending at a control transfer, a stop such as `int 0x80`,
 * a page boundary or a length cap), cached by start address and chained to their fall-through
 * and static jump successors. Writes to a code page invalidate the page's blocks; the running
 * block stops right after the writing instruction, so stale instructions never execute.
 */
import type { Cpu } from "./cpu.ts";
import { decode, DecodeError, type Handler, Insn } from "./decode.ts";
import { type Memory, MEMORY_FAULT } from "./memory.ts";
import { CPU_FAULT, PENDING, SIGSEGV, TRAP } from "./ops/_operands.ts";
import { ENDS_BLOCK, specialize, STATIC_TARGET } from "./ops/fast.ts";

const PAGE_SHIFT = 12;
/** Longest block, in instructions. */
const MAX_BLOCK = 64;

/** A decoded basic block. `valid` drops to false when its code pages are written. */
class Block {
  valid = true;
  /** fall-through successor (the address after the last instruction), once looked up */
  next: Block | null = null;
  /** static jump target of the last instruction, once looked up */
  taken: Block | null = null;
  constructor(
    readonly addr: number,
    readonly insns: Insn[],
    /** address after the last instruction */
    readonly nextAddr: number,
    /** static target of the last instruction (Jcc, JMP, CALL rel), -1 when none */
    readonly takenAddr: number,
  ) {}
}

/** Blocks per code page by start address (page offset) and the list of all of them. */
interface PageBlocks {
  at: (Block | undefined)[];
  all: Block[];
}
type CodeCache = (PageBlocks | undefined)[];

const caches = new WeakMap<Memory, CodeCache>();

function dropPage(cache: CodeCache, page: number): void {
  const pb = cache[page];
  if (pb === undefined) return;
  for (const b of pb.all) b.valid = false;
  cache[page] = undefined;
}

function cacheFor(mem: Memory): CodeCache {
  let c = caches.get(mem);
  if (c === undefined) {
    const cache: CodeCache = new Array(1 << 20);
    const prev = mem.onCodeWrite;
    mem.onCodeWrite = (page: number) => {
      dropPage(cache, page);
      // the last instruction of a block on the previous page may extend into this one
      dropPage(cache, (page - 1) & 0xfffff);
      prev(page);
    };
    caches.set(mem, cache);
    c = cache;
  }
  return c;
}

/** Drops every cached decoded block of `mem` (tests; exec of a new image). */
export function flushCodeCache(mem: Memory): void {
  const c = caches.get(mem);
  if (c === undefined) return;
  for (let p = 0; p < c.length; p++) if (c[p] !== undefined) dropPage(c, p);
}

function decodeOne(mem: Memory, eip: number): Insn {
  const i = decode(mem, eip, new Insn());
  specialize(i);
  const last = (i.next - 1) >>> PAGE_SHIFT;
  if (last !== eip >>> PAGE_SHIFT) mem.markCode(last);
  return i;
}

/**
 * Decodes the block at `eip`. Only the first instruction may throw (fetch fault, bad
 * encoding); a later one that would throw ends the block before it instead.
 */
function build(cache: CodeCache, mem: Memory, eip: number): Block {
  const p = eip >>> PAGE_SHIFT;
  mem.markCode(p);
  const insns = [decodeOne(mem, eip)];
  let i = insns[0];
  while (!ENDS_BLOCK.has(i.row!.fn as Handler) && insns.length < MAX_BLOCK) {
    if (i.next >>> PAGE_SHIFT !== p) break;
    try {
      i = decodeOne(mem, i.next);
    } catch {
      break;
    }
    insns.push(i);
  }
  const taken = STATIC_TARGET.has(i.row!.fn as Handler) && !i.opsize16
    ? (i.next + i.imm) >>> 0
    : -1;
  const b = new Block(eip, insns, i.next, taken);
  let pb = cache[p];
  if (pb === undefined) {
    pb = { at: new Array(4096), all: [] };
    cache[p] = pb;
  }
  pb.at[eip & 0xfff] = b;
  pb.all.push(b);
  return b;
}

function lookup(cache: CodeCache, mem: Memory, eip: number): Block {
  const pb = cache[eip >>> PAGE_SHIFT];
  const b = pb !== undefined ? pb.at[eip & 0xfff] : undefined;
  return b !== undefined ? b : build(cache, mem, eip);
}

/**
 * Executes instructions until a stop reason (syscall, fault, budget, halt), which it stores
 * in `cpu.stop`. Returns the number of instructions retired (a faulting instruction does not
 * retire; `int 0x80` does, and eip then points after it).
 */
export function run(cpu: Cpu, mem: Memory, budget: number): number {
  const cache = cacheFor(mem);
  let n = 0;
  /** the running block, null while looking one up */
  let b: Block | null = null;
  /** index in `b` of the running instruction */
  let k = 0;
  cpu.pending = PENDING.NONE;
  try {
    while (n < budget) {
      if (b === null) b = lookup(cache, mem, cpu.eip >>> 0);
      const insns = b.insns;
      let len = insns.length;
      let full = true;
      if (len > budget - n) {
        len = budget - n;
        full = false;
      }
      const last = len - 1;
      // every instruction but the last falls through, and no handler reads cpu.eip
      for (k = 0; k < last; k++) {
        const i = insns[k];
        i.fn(cpu, mem, i);
        if (!b.valid) break;
      }
      if (k < last) {
        // the instruction at k wrote to this block's code: stop before the stale rest
        cpu.eip = insns[k].next;
        n += k + 1;
        b = null;
        continue;
      }
      const i = insns[last];
      cpu.eip = i.next;
      i.fn(cpu, mem, i);
      n += len;
      if (cpu.pending !== PENDING.NONE) {
        if (cpu.pending !== PENDING.RDTSC) break;
        rdtsc(cpu, n - 1);
        cpu.pending = PENDING.NONE;
      }
      if (!full || !b.valid || n >= budget) {
        b = null;
        continue;
      }
      // chain to the successor; a lookup that throws must see b === null
      const eip = cpu.eip, ob: Block = b;
      b = null;
      if (eip === ob.nextAddr) {
        let nb: Block | null = ob.next;
        if (nb === null || !nb.valid) nb = ob.next = lookup(cache, mem, eip);
        b = nb;
      } else if (eip === ob.takenAddr) {
        let nb: Block | null = ob.taken;
        if (nb === null || !nb.valid) nb = ob.taken = lookup(cache, mem, eip);
        b = nb;
      }
    }
  } catch (e) {
    if (b !== null) {
      cpu.eip = b.insns[k].addr;
      n += k;
    }
    cpu.pending = PENDING.NONE;
    const cur = cpu.eip;
    if (e === MEMORY_FAULT) {
      cpu.stop = {
        kind: "fault",
        signal: SIGSEGV,
        code: MEMORY_FAULT.protection ? 2 : 1,
        addr: MEMORY_FAULT.addr,
      };
    } else if (e === CPU_FAULT) {
      cpu.stop = {
        kind: "fault",
        signal: CPU_FAULT.signal,
        code: CPU_FAULT.code,
        addr: CPU_FAULT.addr,
      };
    } else if (e instanceof DecodeError) {
      cpu.stop = {
        kind: "fault",
        signal: e.signal,
        code: e.code,
        addr: e.signal === SIGSEGV ? 0 : cur >>> 0,
      };
    } else throw e;
    return n;
  }
  const p = cpu.pending;
  cpu.pending = PENDING.NONE;
  if (p === PENDING.SYSCALL) cpu.stop = { kind: "syscall" };
  else if (p === PENDING.TRAP) {
    cpu.stop = { kind: "fault", signal: TRAP.signal, code: TRAP.code, addr: 0 };
  } else if (p === PENDING.HALT) cpu.stop = { kind: "halt" };
  else cpu.stop = { kind: "budget" };
  return n;
}

function rdtsc(cpu: Cpu, retired: number): void {
  const v = cpu.tscBase + (cpu.icBase + retired) * cpu.tscPerInsn;
  cpu.regs[0] = v % 0x100000000;
  cpu.regs[2] = Math.floor(v / 0x100000000);
}

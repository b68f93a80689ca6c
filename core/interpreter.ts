/** @module run(cpu, mem, budget): the instruction loop and the decoded-instruction cache. */
import type { Cpu } from "./cpu.ts";
import { decode, DecodeError, Insn } from "./decode.ts";
import { type Memory, MEMORY_FAULT } from "./memory.ts";
import { CPU_FAULT, PENDING, SIGSEGV, TRAP } from "./ops/_operands.ts";
import { specialize } from "./ops/fast.ts";

const PAGE_SHIFT = 12;

/** Decoded instructions per code page, indexed by page offset; one cache per Memory. */
type PageCache = (Insn | undefined)[];
type CodeCache = (PageCache | undefined)[];

const caches = new WeakMap<Memory, CodeCache>();

function cacheFor(mem: Memory): CodeCache {
  let c = caches.get(mem);
  if (c === undefined) {
    const cache: CodeCache = new Array(1 << 20);
    const prev = mem.onCodeWrite;
    mem.onCodeWrite = (page: number) => {
      cache[page] = undefined;
      // instructions that start on the previous page may extend into this one
      cache[(page - 1) & 0xfffff] = undefined;
      prev(page);
    };
    caches.set(mem, cache);
    c = cache;
  }
  return c;
}

/** Drops every cached decoded instruction of `mem` (tests; exec of a new image). */
export function flushCodeCache(mem: Memory): void {
  const c = caches.get(mem);
  if (c !== undefined) c.fill(undefined);
}

function fill(cache: CodeCache, mem: Memory, eip: number): Insn {
  const i = decode(mem, eip, new Insn());
  specialize(i);
  const p = eip >>> PAGE_SHIFT;
  let pc = cache[p];
  if (pc === undefined) {
    pc = new Array(4096);
    cache[p] = pc;
  }
  pc[eip & 0xfff] = i;
  mem.markCode(p);
  const last = (i.next - 1) >>> PAGE_SHIFT;
  if (last !== p) mem.markCode(last);
  return i;
}

/**
 * Executes instructions until a stop reason (syscall, fault, budget, halt), which it stores
 * in `cpu.stop`. Returns the number of instructions retired (a faulting instruction does not
 * retire; `int 0x80` does, and eip then points after it).
 */
export function run(cpu: Cpu, mem: Memory, budget: number): number {
  const cache = cacheFor(mem);
  let n = 0;
  let cur = cpu.eip;
  cpu.pending = PENDING.NONE;
  try {
    while (n < budget) {
      const eip = cpu.eip;
      cur = eip;
      const pc = cache[eip >>> PAGE_SHIFT];
      let i = pc !== undefined ? pc[eip & 0xfff] : undefined;
      if (i === undefined) i = fill(cache, mem, eip);
      cpu.eip = i.next;
      i.fn(cpu, mem, i);
      n++;
      if (cpu.pending !== PENDING.NONE) {
        if (cpu.pending === PENDING.RDTSC) {
          rdtsc(cpu, n - 1);
          cpu.pending = PENDING.NONE;
          continue;
        }
        break;
      }
    }
  } catch (e) {
    cpu.eip = cur;
    cpu.pending = PENDING.NONE;
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

/**
 * @module The native harness: one nasm program per family that loads each case's registers,
 * EFLAGS and memory windows, runs the instruction in its own code slot, and writes the
 * initial and final states to stdout as fixed-size binary records.
 *
 * x87/MMX/SSE families (`fx`): each case also carries a 512-byte FXSAVE image, appended to
 * its entry. The harness copies it to an aligned buffer, `fxrstor`s it (then `fxsave`s the
 * canonical initial image into the record) right before `popad`, and `fxsave`s the final
 * state right after `pushad` in `save` (neither touches GPRs or EFLAGS). The record grows by
 * the two images; integer families keep the original layout byte for byte.
 *
 * Wide forms (`ext`, e.g. fnsave/frstor's 108-byte image): the case also carries the 64 data
 * bytes after the data window, appended after the FXSAVE image; the harness loads them at
 * DATA_ADDR + WIN and appends their initial and final bytes to the record. The captured data
 * window of such a case is 128 bytes.
 */
import { DATA_ADDR, STACK_WIN, WIN } from "./format.ts";
import type { CodePart, Patch, State } from "./lib.ts";

/** One case ready for assembly. */
export interface NativeCase {
  code: CodePart[];
  regs: number[];
  eflags: number;
  data: Uint8Array;
  stack: Uint8Array;
  patches: Patch[];
  branch?: { back: boolean; pad: number };
  /** FXSAVE image to load (fx families only) */
  fx?: Uint8Array;
  /** the WIN data bytes after the data window (wide forms only) */
  ext?: Uint8Array;
  /** segment forms: TLS descriptor base, loaded into the segments of `sregs` (bit = sreg) */
  tls?: { base: number; sregs: number };
}

/** One case as captured natively. */
export interface Captured {
  addr: number;
  code: Uint8Array;
  init: State;
  fin: State;
}

const ENTRY0 = 188;
const REC0 = 356;
const FX = 512;

/** Nasm expression for the harness slot that loads register `r` (ModRM order). */
export function regSlot(r: number): string {
  // load_block is in popad order: edi esi ebp (esp) ebx edx ecx eax, then eflags
  const off = [28, 24, 20, 16, -1, 8, 4, 0][r];
  return off < 0 ? "load_esp" : `load_block+${off}`;
}

function prelude(fx: boolean, ext: boolean): string {
  const p = fxPrelude(fx);
  if (!ext) return p;
  const e = ENTRY0 + (fx ? FX : 0), r = REC0 + (fx ? 2 * FX : 0);
  return p.replace(/^ENTRY equ (\d+)$/m, (_, n) => `ENTRY equ ${Number(n) + WIN}`)
    .replace(/^REC equ (\d+)$/m, (_, n) => `REC equ ${Number(n) + 2 * WIN}`)
    .replace(
      "  mov esp, load_block\n  popad",
      `  lea esi, [ebx+${e}]
  mov edi, DATA_ADDR+${WIN}
  mov ecx, ${WIN / 4}
  rep movsd
  mov esi, DATA_ADDR+${WIN}
  lea edi, [rec+${r}]
  mov ecx, ${WIN / 4}
  rep movsd
  mov esp, load_block
  popad`,
    )
    .replace(
      "  mov eax, 4\n  mov ebx, 1\n  mov ecx, rec",
      `  mov esi, DATA_ADDR+${WIN}
  lea edi, [rec+${r + WIN}]
  mov ecx, ${WIN / 4}
  rep movsd
  mov eax, 4
  mov ebx, 1
  mov ecx, rec`,
    );
}

/** GDT entry 12 (the first TLS slot on x86_64 kernels) as a user selector. */
export const TLS_SELECTOR = (12 << 3) | 3;

/**
 * Segment forms (`tls`): each entry ends with `dd sregs, base`; when `sregs` is non-zero the
 * harness rewrites TLS entry 12 with set_thread_area (flat 4 GiB, the case's base) and loads
 * it into ES/FS/GS per the mask right before `popad`. `save` restores ES from DS first.
 */
function tlsPrelude(p: string, at: number): string {
  const load = [[1, "es"], [16, "fs"], [32, "gs"]].map(([bit, s]) =>
    `  test dword [ebx+${at}], ${bit}\n  jz .no_${s}\n  mov ${s}, ax\n.no_${s}:`
  ).join("\n");
  return p.replace(/^ENTRY equ (\d+)$/m, (_, n) => `ENTRY equ ${Number(n) + 8}`)
    .replace("hstack: resb 4096", "alignb 4\nudesc: resd 4\nhstack: resb 4096")
    .replace(
      "  mov esp, load_block\n  popad",
      `  cmp dword [ebx+${at}], 0
  je .no_tls
  mov dword [udesc], ${TLS_SELECTOR >> 3}
  mov eax, [ebx+${at + 4}]
  mov [udesc+4], eax
  mov dword [udesc+8], 0xfffff
  mov dword [udesc+12], 0x51
  push ebx
  mov eax, 243
  mov ebx, udesc
  int 0x80
  pop ebx
  test eax, eax
  jnz fail
  mov eax, ${TLS_SELECTOR}
${load}
.no_tls:
  mov esp, load_block
  popad`,
    )
    .replace("  pushad\n", "  pushad\n  mov ax, ds\n  mov es, ax\n");
}

function fxPrelude(fx: boolean): string {
  let p = PRELUDE.replace("ENTRY equ 188", `ENTRY equ ${ENTRY0 + (fx ? FX : 0)}`)
    .replace("REC equ 356", `REC equ ${REC0 + (fx ? 2 * FX : 0)}`);
  if (!fx) return p;
  p = p.replace("hstack: resb 4096", "alignb 16\nfx_buf: resb 512\nhstack: resb 4096");
  p = p.replace(
    "  mov esp, load_block\n  popad",
    `  lea esi, [ebx+${ENTRY0}]
  mov edi, fx_buf
  mov ecx, ${FX / 4}
  rep movsd
  fxrstor [fx_buf]
  fxsave [fx_buf]
  mov esi, fx_buf
  lea edi, [rec+${REC0}]
  mov ecx, ${FX / 4}
  rep movsd
  mov esp, load_block
  popad`,
  );
  p = p.replace(
    "  pushad\n  mov esp, hstack_top\n  cld",
    `  pushad
  fxsave [fx_buf]
  mov esp, hstack_top
  cld
  mov esi, fx_buf
  lea edi, [rec+${REC0 + FX}]
  mov ecx, ${FX / 4}
  rep movsd`,
  );
  return p;
}

const PRELUDE = `BITS 32
DATA_ADDR equ 0x${DATA_ADDR.toString(16)}
STACK_WIN equ 0x${STACK_WIN.toString(16)}
STACK_PAGE equ 0x${(STACK_WIN & ~0xfff).toString(16)}
ENTRY equ 188
REC equ 356

section .bss
alignb 16
load_block: resd 9
load_esp: resd 1
load_eip: resd 1
saved_esp: resd 1
out_eip: resd 1
save_area: resd 9
save_top:
case_ptr: resd 1
case_left: resd 1
rec: resb REC
hstack: resb 4096
hstack_top:

section .text
global _start
_start:
  mov esp, hstack_top
  mov ebx, DATA_ADDR
  call map_page
  mov ebx, STACK_PAGE
  call map_page
  mov dword [case_ptr], cases
  mov dword [case_left], NCASES
next:
  cmp dword [case_left], 0
  je finish
  cld
  mov ebx, [case_ptr]
  lea esi, [ebx+60]
  mov edi, DATA_ADDR
  mov ecx, ${WIN / 4}
  rep movsd
  mov edi, STACK_WIN
  mov ecx, ${WIN / 4}
  rep movsd
  mov eax, [ebx+8]
  mov [load_block+28], eax
  mov eax, [ebx+12]
  mov [load_block+24], eax
  mov eax, [ebx+16]
  mov [load_block+20], eax
  mov eax, [ebx+20]
  mov [load_block+16], eax
  mov eax, [ebx+24]
  mov [load_esp], eax
  mov eax, [ebx+28]
  mov [load_block+8], eax
  mov eax, [ebx+32]
  mov [load_block+4], eax
  mov eax, [ebx+36]
  mov [load_block+0], eax
  mov eax, [ebx+40]
  mov [load_block+32], eax
  mov eax, [ebx+44]
  test eax, eax
  jz .p1
  mov edx, [ebx+48]
  mov [eax], edx
.p1:
  mov eax, [ebx+52]
  test eax, eax
  jz .p2
  mov edx, [ebx+56]
  mov [eax], edx
.p2:
  mov eax, [ebx]
  mov [rec+0], eax
  mov [load_eip], eax
  mov ecx, [ebx+4]
  mov [rec+4], ecx
  mov esi, eax
  lea edi, [rec+8]
  mov ecx, 4
  rep movsd
  mov eax, [load_block+28]
  mov [rec+24], eax
  mov eax, [load_block+24]
  mov [rec+28], eax
  mov eax, [load_block+20]
  mov [rec+32], eax
  mov eax, [load_block+16]
  mov [rec+36], eax
  mov eax, [load_esp]
  mov [rec+40], eax
  mov eax, [load_block+8]
  mov [rec+44], eax
  mov eax, [load_block+4]
  mov [rec+48], eax
  mov eax, [load_block+0]
  mov [rec+52], eax
  mov eax, [load_block+32]
  mov [rec+56], eax
  mov esi, DATA_ADDR
  lea edi, [rec+60]
  mov ecx, ${WIN / 4}
  rep movsd
  mov esi, STACK_WIN
  mov ecx, ${WIN / 4}
  rep movsd
  mov esp, load_block
  popad
  popfd
  mov esp, [load_esp]
  jmp [load_eip]

save:
  mov [saved_esp], esp
  mov esp, save_top
  pushfd
  pushad
  mov esp, hstack_top
  cld
  mov eax, [save_top-8]
  mov [rec+188], eax
  mov eax, [save_top-12]
  mov [rec+192], eax
  mov eax, [save_top-16]
  mov [rec+196], eax
  mov eax, [save_top-20]
  mov [rec+200], eax
  mov eax, [saved_esp]
  mov [rec+204], eax
  mov eax, [save_top-28]
  mov [rec+208], eax
  mov eax, [save_top-32]
  mov [rec+212], eax
  mov eax, [save_top-36]
  mov [rec+216], eax
  mov eax, [save_top-4]
  mov [rec+220], eax
  mov eax, [out_eip]
  mov [rec+224], eax
  mov esi, DATA_ADDR
  lea edi, [rec+228]
  mov ecx, ${WIN / 4}
  rep movsd
  mov esi, STACK_WIN
  mov ecx, ${WIN / 4}
  rep movsd
  mov eax, 4
  mov ebx, 1
  mov ecx, rec
  mov edx, REC
  int 0x80
  cmp eax, REC
  jne fail
  add dword [case_ptr], ENTRY
  dec dword [case_left]
  jmp next

finish:
  mov eax, 1
  xor ebx, ebx
  int 0x80

map_page:
  mov eax, 192
  mov ecx, 4096
  mov edx, 3
  mov esi, 0x32
  mov edi, -1
  xor ebp, ebp
  int 0x80
  cmp eax, ebx
  jne fail
  ret

fail:
  mov eax, 1
  mov ebx, 99
  int 0x80
`;

function bytesLine(b: Uint8Array): string {
  return "  db " + Array.from(b, (x) => "0x" + x.toString(16)).join(",");
}

function codeLine(i: number, parts: CodePart[]): string {
  const out: string[] = [];
  let bytes: number[] = [];
  const flush = () => {
    if (bytes.length) out.push("  db " + bytes.map((x) => "0x" + x.toString(16)).join(","));
    bytes = [];
  };
  for (const p of parts) {
    if (typeof p === "number") bytes.push(p & 0xff);
    else {
      flush();
      out.push(`  ${p.rel === 1 ? "db" : "dd"} s${i}_t - s${i}_a`);
    }
  }
  flush();
  return out.join("\n");
}

function stub(label: string): string {
  return `${label}:\n  mov dword [out_eip], ${label}\n  jmp save`;
}

/** The nasm source for a batch of cases. */
export function assemble(cases: NativeCase[]): string {
  const fx = cases.some((c) => c.fx !== undefined);
  const ext = cases.some((c) => c.ext !== undefined);
  const tls = cases.some((c) => c.tls !== undefined);
  let head = prelude(fx, ext);
  if (tls) head = tlsPrelude(head, ENTRY0 + (fx ? FX : 0) + (ext ? WIN : 0));
  const text: string[] = [head.replace("NCASES", String(cases.length))];
  const data: string[] = ["section .data", "align 4", "cases:"];
  cases.forEach((c, i) => {
    const pad = c.branch ? `  times ${c.branch.pad} db 0xcc` : "";
    if (c.branch?.back) text.push(stub(`s${i}_t`), pad);
    text.push(`s${i}:`, codeLine(i, c.code), stub(`s${i}_a`));
    if (c.branch && !c.branch.back) text.push(pad, stub(`s${i}_t`));
    const p = [...c.patches, ["0", "0"], ["0", "0"]].slice(0, 2).map(([t, v]) =>
      `${t}, ${v === "T" ? `s${i}_t` : v}`
    );
    data.push(
      `  dd s${i}, s${i}_a - s${i}, ${c.regs.map((r) => "0x" + (r >>> 0).toString(16)).join(",")}`,
      `  dd 0x${c.eflags.toString(16)}, ${p.join(", ")}`,
      bytesLine(c.data),
      bytesLine(c.stack),
    );
    if (fx) data.push(bytesLine(c.fx ?? new Uint8Array(FX)));
    if (ext) data.push(bytesLine(c.ext ?? new Uint8Array(WIN)));
    if (tls) data.push(`  dd ${c.tls?.sregs ?? 0}, 0x${(c.tls?.base ?? 0).toString(16)}`);
  });
  return text.join("\n") + "\n" + data.join("\n") + "\n";
}

async function sh(cmd: string, args: string[]): Promise<Uint8Array> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) {
    const err = new TextDecoder().decode(out.stderr);
    throw new Error(`${cmd} ${args.join(" ")} failed (${out.code}): ${err.slice(0, 2000)}`);
  }
  return out.stdout;
}

/**
 * Assembles, links at `textBase` and runs a batch natively. Returns the captured cases;
 * throws naming the first case that did not report (it faulted natively).
 */
export async function runNative(
  cases: NativeCase[],
  name: string,
  textBase: number,
  workDir: string,
): Promise<Captured[]> {
  const src = `${workDir}/${name}.asm`;
  await Deno.writeTextFile(src, assemble(cases));
  await sh("nasm", ["-f", "elf32", "-O1", "-o", `${workDir}/${name}.o`, src]);
  await sh("ld", [
    "-m",
    "elf_i386",
    "-static",
    `-Ttext=0x${textBase.toString(16)}`,
    "-o",
    `${workDir}/${name}`,
    `${workDir}/${name}.o`,
  ]);
  const out = await new Deno.Command(`${workDir}/${name}`, { stdout: "piped", stderr: "piped" })
    .output();
  const fx = cases.some((c) => c.fx !== undefined);
  const ext = cases.some((c) => c.ext !== undefined);
  const REC0X = REC0 + (fx ? 2 * FX : 0);
  const REC = REC0X + (ext ? 2 * WIN : 0);
  const n = Math.floor(out.stdout.length / REC);
  if (!out.success || n !== cases.length) {
    throw new Error(
      `Native run of ${name} stopped at case ${n} of ${cases.length} (exit ${out.code}, signal ${out.signal}); see ${workDir}`,
    );
  }
  const dv = new DataView(out.stdout.buffer, out.stdout.byteOffset, out.stdout.byteLength);
  const res: Captured[] = [];
  for (let k = 0; k < n; k++) {
    const b = k * REC;
    const u = (o: number) => dv.getUint32(b + o, true);
    const win = (o: number) => out.stdout.slice(b + o, b + o + WIN);
    const len = u(4);
    const addr = u(0);
    res.push({
      addr,
      code: out.stdout.slice(b + 8, b + 8 + len),
      init: {
        regs: Array.from({ length: 8 }, (_, r) => u(24 + 4 * r)),
        eflags: u(56),
        data: win(60),
        stack: win(124),
        eip: addr,
      },
      fin: {
        regs: Array.from({ length: 8 }, (_, r) => u(188 + 4 * r)),
        eflags: u(220),
        eip: u(224),
        data: win(228),
        stack: win(292),
      },
    });
    if (fx) {
      res[k].init.fx = out.stdout.slice(b + REC0, b + REC0 + FX);
      res[k].fin.fx = out.stdout.slice(b + REC0 + FX, b + REC0 + 2 * FX);
    }
    if (cases[k].ext !== undefined) {
      const wide = (win: Uint8Array, o: number) => {
        const w = new Uint8Array(2 * WIN);
        w.set(win);
        w.set(out.stdout.slice(b + o, b + o + WIN), WIN);
        return w;
      };
      res[k].init.data = wide(res[k].init.data, REC0X);
      res[k].fin.data = wide(res[k].fin.data, REC0X + WIN);
    }
  }
  return res;
}

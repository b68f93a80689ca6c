/**
 * @module The native x87 oracle for the f80 vectors: one nasm program that reads fixed-size
 * case records from stdin, runs one x87 operation per record under the record's control word,
 * and writes the FNSAVE'd status word, ST(0), ST(1), the memory result and EFLAGS to stdout.
 *
 * FNSAVE never waits, so cases with unmasked exceptions are captured without a #MF.
 */

/** Input record: op u32, cw u32, a[10], b[10], pad. */
export const IN_REC = 32;
/** Output record: sw u16, tag u16, eflags u32, st0[10], st1[10], mem[10], pad. */
export const OUT_REC = 48;

/** The native operations, in op-number order; `a` is ST(0) or the memory source, `b` ST(1). */
export const NATIVE_OPS = [
  ["fadd", "fld tword [rin+18]\n fld tword [rin+8]\n fadd st0, st1"],
  ["fsub", "fld tword [rin+18]\n fld tword [rin+8]\n fsub st0, st1"],
  ["fmul", "fld tword [rin+18]\n fld tword [rin+8]\n fmul st0, st1"],
  ["fdiv", "fld tword [rin+18]\n fld tword [rin+8]\n fdiv st0, st1"],
  ["fsqrt", "fld tword [rin+8]\n fsqrt"],
  ["fcom", "fld tword [rin+18]\n fld tword [rin+8]\n fcom st1"],
  ["fucom", "fld tword [rin+18]\n fld tword [rin+8]\n fucom st1"],
  ["fcomi", "fld tword [rin+18]\n fld tword [rin+8]\n fcomi st0, st1\n pushfd\n pop dword [efl]"],
  ["fucomi", "fld tword [rin+18]\n fld tword [rin+8]\n fucomi st0, st1\n pushfd\n pop dword [efl]"],
  ["ftst", "fld tword [rin+8]\n ftst"],
  ["fxam", "fld tword [rin+8]\n fxam"],
  ["frndint", "fld tword [rin+8]\n frndint"],
  ["fscale", "fld tword [rin+18]\n fld tword [rin+8]\n fscale"],
  ["fxtract", "fld tword [rin+8]\n fxtract"],
  ["fprem", "fld tword [rin+18]\n fld tword [rin+8]\n fprem"],
  ["fprem1", "fld tword [rin+18]\n fld tword [rin+8]\n fprem1"],
  ["fabs", "fld tword [rin+8]\n fabs"],
  ["fchs", "fld tword [rin+8]\n fchs"],
  ["fld_m32", "fld dword [rin+8]"],
  ["fld_m64", "fld qword [rin+8]"],
  ["fst_m32", "fld tword [rin+8]\n fst dword [mem]"],
  ["fst_m64", "fld tword [rin+8]\n fst qword [mem]"],
  ["fild_m16", "fild word [rin+8]"],
  ["fild_m32", "fild dword [rin+8]"],
  ["fild_m64", "fild qword [rin+8]"],
  ["fist_m16", "fld tword [rin+8]\n fist word [mem]"],
  ["fist_m32", "fld tword [rin+8]\n fist dword [mem]"],
  ["fistp_m64", "fld tword [rin+8]\n fistp qword [mem]"],
  ["fisttp_m16", "fld tword [rin+8]\n fisttp word [mem]"],
  ["fisttp_m32", "fld tword [rin+8]\n fisttp dword [mem]"],
  ["fisttp_m64", "fld tword [rin+8]\n fisttp qword [mem]"],
  ["fbld", "fbld tword [rin+8]"],
  ["fbstp", "fld tword [rin+8]\n fbstp tword [mem]"],
  ["fadd_m32", "fld tword [rin+8]\n fadd dword [rin+18]"],
  ["fadd_m64", "fld tword [rin+8]\n fadd qword [rin+18]"],
  ["fdiv_m32", "fld tword [rin+8]\n fdiv dword [rin+18]"],
  ["fcom_m64", "fld tword [rin+8]\n fcom qword [rin+18]"],
] as const;

export type NativeOp = typeof NATIVE_OPS[number][0];

/** The nasm source of the oracle. */
export function oracleSource(): string {
  const bodies = NATIVE_OPS.map(([name, body], i) => `op_${i}: ; ${name}\n ${body}\n jmp done`)
    .join("\n");
  const table = NATIVE_OPS.map((_, i) => `dd op_${i}`).join("\n ");
  return `BITS 32
NOPS equ ${NATIVE_OPS.length}
section .bss
alignb 16
rin: resb ${IN_REC}
rout: resb ${OUT_REC}
fsa: resb 128
mem: resb 16
efl: resd 1

section .rodata
optab:
 ${table}

section .text
global _start
_start:
next:
  ; read one record (loop over short reads)
  xor esi, esi
.rd:
  mov eax, 3
  xor ebx, ebx
  lea ecx, [rin+esi]
  mov edx, ${IN_REC}
  sub edx, esi
  int 0x80
  test eax, eax
  jle exit
  add esi, eax
  cmp esi, ${IN_REC}
  jb .rd
  mov eax, [rin]
  cmp eax, NOPS
  jae bad
  xor edx, edx
  mov [mem], edx
  mov [mem+4], edx
  mov [mem+8], edx
  mov [mem+12], edx
  mov [efl], edx
  fninit
  fldcw [rin+4]
  jmp [optab+eax*4]
done:
  fnsave [fsa]
  mov ax, [fsa+4]
  mov [rout], ax
  mov ax, [fsa+8]
  mov [rout+2], ax
  mov eax, [efl]
  mov [rout+4], eax
  cld
  lea esi, [fsa+28]
  lea edi, [rout+8]
  mov ecx, 20
  rep movsb
  lea esi, [mem]
  mov ecx, 10
  rep movsb
  mov eax, 4
  mov ebx, 1
  mov ecx, rout
  mov edx, ${OUT_REC}
  int 0x80
  cmp eax, ${OUT_REC}
  jne bad
  jmp next
bad:
  mov eax, 1
  mov ebx, 2
  int 0x80
exit:
  mov eax, 1
  xor ebx, ebx
  int 0x80

${bodies}
`;
}

async function sh(cmd: string, args: string[]): Promise<void> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`${cmd} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
}

/** Builds the oracle in `workDir` and returns the executable's path. */
export async function buildOracle(workDir: string): Promise<string> {
  const src = `${workDir}/f80_oracle.asm`;
  await Deno.writeTextFile(src, oracleSource());
  await sh("nasm", ["-f", "elf32", "-o", `${workDir}/f80_oracle.o`, src]);
  await sh("ld", ["-m", "elf_i386", "-o", `${workDir}/f80_oracle`, `${workDir}/f80_oracle.o`]);
  return `${workDir}/f80_oracle`;
}

/** Runs the oracle on a batch of input records and returns the output records. */
export async function runOracle(exe: string, input: Uint8Array): Promise<Uint8Array> {
  const child = new Deno.Command(exe, { stdin: "piped", stdout: "piped", stderr: "piped" })
    .spawn();
  const writer = child.stdin.getWriter();
  const wrote = writer.write(input).then(() => writer.close());
  const [out] = await Promise.all([child.output(), wrote]);
  if (!out.success) throw new Error(`f80 oracle exited with ${out.code}`);
  if (out.stdout.length !== (input.length / IN_REC) * OUT_REC) {
    throw new Error(
      `f80 oracle wrote ${out.stdout.length} bytes for ${input.length / IN_REC} cases`,
    );
  }
  return out.stdout;
}

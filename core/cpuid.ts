/**
 * @module The CPU model dejavu reports through CPUID: "GenuineIntel", family 6 model 15, with only the
 * features the interpreter implements (TSC, CX8, CMOV, CLFSH, MMX, FXSR, SSE, SSE2; no FPU yet).
 *
 * Leaves: 0 (max basic leaf 4 + vendor), 1 (signature, features), 2 (one 0xFF descriptor:
 * "use leaf 4"), 4 (deterministic cache parameters: 32K L1d, 32K L1i, 256K L2, 4M L3),
 * 0x80000000 (max extended leaf 0x80000004), 0x80000001 (no extended features),
 * 0x80000002..4 (brand string). Every other leaf returns zeros (real Intel CPUs return the
 * highest basic leaf for out-of-range basic leaves; zeros keep the model simple and are
 * what software probing for an unsupported leaf expects).
 */

export const CPUID_MAX_BASIC = 4;
export const CPUID_MAX_EXT = 0x80000004;

/** CPUID.1:EDX feature bits we report. */
export const CPUID_FEATURES_EDX = {
  FPU: 1 << 0,
  TSC: 1 << 4,
  CX8: 1 << 8,
  CMOV: 1 << 15,
  CLFSH: 1 << 19,
  MMX: 1 << 23,
  FXSR: 1 << 24,
  SSE: 1 << 25,
  SSE2: 1 << 26,
} as const;

const BRAND = "dejavu virtual i686 CPU";

function str4(s: string, at: number): number {
  let v = 0;
  for (let k = 0; k < 4; k++) v |= (s.charCodeAt(at + k) || 0) << (8 * k);
  return v >>> 0;
}

/** Cache descriptors for leaf 4: [type (1 data, 2 code, 3 unified), level, ways, sets, line]. */
const CACHES: readonly (readonly number[])[] = [
  [1, 1, 8, 64, 64],
  [2, 1, 8, 64, 64],
  [3, 2, 8, 512, 64],
  [3, 3, 16, 4096, 64],
];

/** Returns [eax, ebx, ecx, edx] (unsigned) for CPUID with the given eax/ecx inputs. */
export function cpuid(leaf: number, sub: number): [number, number, number, number] {
  leaf >>>= 0;
  switch (leaf) {
    case 0:
      return [
        CPUID_MAX_BASIC,
        str4("GenuineIntel", 0),
        str4("GenuineIntel", 8),
        str4("GenuineIntel", 4),
      ];
    case 1: {
      const eax = (6 << 8) | (15 << 4) | 1; // family 6, model 15, stepping 1
      const ebx = (1 << 16) | (8 << 8); // 1 logical CPU, clflush 64 bytes, APIC id 0
      const f = CPUID_FEATURES_EDX;
      const edx = f.FPU | f.TSC | f.CX8 | f.CMOV | f.CLFSH | f.MMX | f.FXSR | f.SSE | f.SSE2;
      return [eax, ebx, 0, edx];
    }
    case 2:
      return [0x0000ff01, 0, 0, 0];
    case 4: {
      const c = CACHES[sub >>> 0];
      if (c === undefined) return [0, 0, 0, 0];
      const [type, level, ways, sets, line] = c;
      const eax = type | (level << 5) | (1 << 8); // self-initialising
      const ebx = (line - 1) | (0 << 12) | ((ways - 1) << 22);
      return [eax >>> 0, ebx >>> 0, sets - 1, 0];
    }
    case 0x80000000:
      return [CPUID_MAX_EXT, 0, 0, 0];
    case 0x80000002:
    case 0x80000003:
    case 0x80000004: {
      const o = (leaf - 0x80000002) * 16;
      return [str4(BRAND, o), str4(BRAND, o + 4), str4(BRAND, o + 8), str4(BRAND, o + 12)];
    }
    default:
      return [0, 0, 0, 0];
  }
}

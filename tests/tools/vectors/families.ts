/** @module The vector families: one JSON file each under tests/vectors/. */
import { aluForms, unaryForms } from "./forms_alu.ts";
import { atomicForms } from "./forms_atomic.ts";
import { bitForms } from "./forms_bit.ts";
import { condForms } from "./forms_cond.ts";
import { miscForms } from "./forms_misc.ts";
import { mmxForms } from "./forms_mmx.ts";
import { sseIntForms } from "./forms_sse_int.ts";
import { sse2FpForms, sseCvtForms, sseFpForms } from "./forms_sse_fp.ts";
import { movForms } from "./forms_mov.ts";
import { muldivForms } from "./forms_muldiv.ts";
import { shiftForms } from "./forms_shift.ts";
import { stackForms } from "./forms_stack.ts";
import { stringForms } from "./forms_string.ts";
import { variantForms } from "./forms_variants.ts";
import type { Form } from "./lib.ts";
import {
  x87ArithForms,
  x87MemForms,
  x87MiscForms,
  x87StateForms,
  x87TransForms,
} from "./forms_x87.ts";

export interface Family {
  name: string;
  forms(): Form[];
}

/** Order matters: a family's index picks its code address range. Append new families at the end. */
export const FAMILIES: Family[] = [
  { name: "alu", forms: aluForms },
  { name: "unary", forms: unaryForms },
  { name: "shift", forms: shiftForms },
  { name: "muldiv", forms: muldivForms },
  { name: "bit", forms: bitForms },
  { name: "cond", forms: condForms },
  { name: "mov", forms: movForms },
  { name: "atomic", forms: atomicForms },
  { name: "string", forms: stringForms },
  { name: "stack", forms: stackForms },
  { name: "misc", forms: miscForms },
  { name: "mmx", forms: mmxForms },
  { name: "sse_int", forms: sseIntForms },
  { name: "sse_fp", forms: sseFpForms },
  { name: "sse2_fp", forms: sse2FpForms },
  { name: "sse_cvt", forms: sseCvtForms },
  { name: "x87_arith", forms: x87ArithForms },
  { name: "x87_misc", forms: x87MiscForms },
  { name: "x87_mem", forms: x87MemForms },
  { name: "x87_trans", forms: x87TransForms },
  { name: "variants", forms: variantForms },
  { name: "x87_state", forms: x87StateForms },
];

/** @module Command-line parsing: strict options before the program, one-line usage errors. */
import { parseArgs } from "node:util";
import { UserError } from "../kernel/errors.ts";

/** Exit code for a bad command line. */
export const USAGE_EXIT_CODE = 2;

export class UsageError extends UserError {
  constructor(message: string) {
    super(message, USAGE_EXIT_CODE);
    this.name = "UsageError";
  }
}

type OptionSpec = { type: "string" | "boolean"; short?: string; multiple?: boolean };
export type OptionSpecs = Record<string, OptionSpec>;
export type OptionValues = Record<string, string | boolean | string[] | undefined>;

export interface Parsed {
  values: OptionValues;
  /** everything from the first non-option argument on (program and its arguments) */
  rest: string[];
}

/**
 * Parses dejavu's options, which all come before the first positional argument: what follows
 * it belongs to the guest (`dejavu run prog -v` passes -v to prog). `--` ends the options.
 */
export function parseCommand(args: string[], options: OptionSpecs): Parsed {
  const split = firstPositional(args, options);
  const own = args.slice(0, split.index);
  let values: OptionValues;
  try {
    values = parseArgs({ args: own, options, strict: true, allowPositionals: false })
      .values as OptionValues;
  } catch (e) {
    throw new UsageError(usageMessage(e as Error & { code?: string }, options));
  }
  return { values, rest: args.slice(split.index + (split.dashDash ? 1 : 0)) };
}

function firstPositional(
  args: string[],
  options: OptionSpecs,
): { index: number; dashDash: boolean } {
  const takesValue = (name: string) => options[name]?.type === "string";
  const shortToLong = new Map<string, string>();
  for (const [name, spec] of Object.entries(options)) {
    if (spec.short) shortToLong.set(spec.short, name);
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--") return { index: i, dashDash: true };
    if (a.startsWith("--")) {
      if (!a.includes("=") && takesValue(a.slice(2))) i++;
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      const long = shortToLong.get(a[1]);
      if (a.length === 2 && long !== undefined && takesValue(long)) i++;
      continue;
    }
    return { index: i, dashDash: false };
  }
  return { index: args.length, dashDash: false };
}

function usageMessage(e: Error & { code?: string }, options: OptionSpecs): string {
  const quoted = /'([^']+)'/.exec(e.message)?.[1] ?? "";
  switch (e.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option ${quoted}`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      const name = quoted.split(" ")[0].replace(/^-(\w),? ?/, "");
      const long = name.startsWith("--") ? name : `--${name}`;
      const spec = options[long.slice(2)];
      return spec?.type === "boolean" ? `${long} takes no value` : `${long} expects a value`;
    }
    default:
      return e.message.split("\n")[0];
  }
}

/** A non-negative integer option value. */
export function uintOption(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) {
    throw new UsageError(`--${name} expects a non-negative integer, got ${JSON.stringify(v)}`);
  }
  return Number(v);
}

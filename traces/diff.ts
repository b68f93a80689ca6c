/** @module Compares two traces and describes where they first differ. */
import type { Trace } from "./format.ts";
import { formatEvent } from "./writer.ts";

/** A one-line description of the first difference between two traces, or undefined when equal. */
export function firstDifference(a: Trace, b: Trace): string | undefined {
  const header: [string, unknown, unknown][] = [
    ["program sha256", a.program.sha256, b.program.sha256],
    ["program argv", a.program.argv, b.program.argv],
    ["program env", a.program.env, b.program.env],
    ["config", a.config, b.config],
  ];
  for (const [what, x, y] of header) {
    const sx = JSON.stringify(x), sy = JSON.stringify(y);
    if (sx !== sy) return `${what}: ${clip(sx)} vs ${clip(sy)}`;
  }
  const n = Math.min(a.events.length, b.events.length);
  for (let i = 0; i < n; i++) {
    const x = formatEvent(a.events[i]), y = formatEvent(b.events[i]);
    if (x !== y) return `event ${i}: ${clip(x)} vs ${clip(y)}`;
  }
  if (a.events.length !== b.events.length) {
    const longer = a.events.length > b.events.length ? a : b;
    return `event ${n}: only in ${longer === a ? "the first" : "the second"} trace: ` +
      clip(formatEvent(longer.events[n]));
  }
  const ex = JSON.stringify(a.exit), ey = JSON.stringify(b.exit);
  return ex === ey ? undefined : `exit: ${ex} vs ${ey}`;
}

function clip(s: string): string {
  return s.length > 160 ? s.slice(0, 157) + "..." : s;
}

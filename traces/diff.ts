/** @module Compares two traces: header fields, the first differing event, the exit record. */
import type { Trace, TraceEvent, TraceExit } from "./format.ts";
import { formatEvent } from "./writer.ts";

/** The first event that differs; `a` or `b` is undefined when that trace has already ended. */
export interface EventDifference {
  index: number;
  a?: TraceEvent;
  b?: TraceEvent;
  /** the event fields that differ, e.g. ["args", "ret"] */
  fields: string[];
}

export interface TraceDifference {
  /** header fields that differ: "program sha256", "program argv", "program env", "config" */
  header: string[];
  event?: EventDifference;
  /** set when every event matches but the exit records differ */
  exit?: { a: TraceExit; b: TraceExit };
}

/**
 * Compares two traces. The program path and the pack section are ignored: they depend on where
 * the trace was written and how, not on what the guest did.
 */
export function diffTraces(a: Trace, b: Trace): TraceDifference | undefined {
  const header: string[] = [];
  const fields: [string, unknown, unknown][] = [
    ["program sha256", a.program.sha256, b.program.sha256],
    ["program argv", a.program.argv, b.program.argv],
    ["program env", a.program.env, b.program.env],
    ["config", a.config, b.config],
  ];
  for (const [what, x, y] of fields) {
    if (JSON.stringify(x) !== JSON.stringify(y)) header.push(what);
  }
  const n = Math.max(a.events.length, b.events.length);
  for (let i = 0; i < n; i++) {
    const x = a.events[i], y = b.events[i];
    if (x !== undefined && y !== undefined && formatEvent(x) === formatEvent(y)) continue;
    return { header, event: { index: i, a: x, b: y, fields: eventFields(x, y) } };
  }
  if (JSON.stringify(a.exit) !== JSON.stringify(b.exit)) {
    return { header, exit: { a: a.exit, b: b.exit } };
  }
  return header.length > 0 ? { header } : undefined;
}

const EVENT_FIELDS = ["kind", "tid", "ic", "nr", "args", "ret", "str", "mem", "out", "signal"];

function eventFields(x: TraceEvent | undefined, y: TraceEvent | undefined): string[] {
  if (x === undefined || y === undefined) return [];
  const ox = x as unknown as Record<string, unknown>, oy = y as unknown as Record<string, unknown>;
  return EVENT_FIELDS.filter((k) => JSON.stringify(ox[k]) !== JSON.stringify(oy[k]));
}

/** A one-line description of the first difference between two traces, or undefined when equal. */
export function firstDifference(a: Trace, b: Trace): string | undefined {
  const d = diffTraces(a, b);
  if (d === undefined) return undefined;
  if (d.header.length > 0) {
    const what = d.header[0];
    const pick = (t: Trace) =>
      what === "config" ? t.config : t.program[what.split(" ")[1] as "sha256" | "argv" | "env"];
    return `${what}: ${clip(JSON.stringify(pick(a)))} vs ${clip(JSON.stringify(pick(b)))}`;
  }
  if (d.event !== undefined) {
    const { index, a: x, b: y } = d.event;
    if (x === undefined || y === undefined) {
      return `event ${index}: only in ${x !== undefined ? "the first" : "the second"} trace: ` +
        clip(formatEvent((x ?? y)!));
    }
    return `event ${index}: ${clip(formatEvent(x))} vs ${clip(formatEvent(y))}`;
  }
  return `exit: ${JSON.stringify(d.exit!.a)} vs ${JSON.stringify(d.exit!.b)}`;
}

function clip(s: string): string {
  return s.length > 160 ? s.slice(0, 157) + "..." : s;
}

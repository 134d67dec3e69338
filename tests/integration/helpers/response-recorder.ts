import fs from "node:fs";
import path from "node:path";

// `npm test` sets LEAK_SCAN_DIR: every value a test caller receives is appended there, one JSON
// record a line, for the secret-leak scan (scripts/lib/leak-scan.ts). Unset: callers are untouched.
const dir = process.env.LEAK_SCAN_DIR;
const file = dir ? path.join(dir, `integration-responses-${process.pid}.jsonl`) : null;

export function recordResponse(procedurePath: string, body: unknown) {
  if (!file) return;
  let text: string;
  try {
    text = JSON.stringify({ source: "response", path: procedurePath, body }, (_key, value: unknown) => (typeof value === "bigint" ? String(value) : value));
  } catch {
    return;
  }
  fs.appendFileSync(file, `${text}\n`);
}

/** Wraps a tRPC caller so every resolved call is recorded under its procedure path. */
export function recordingCaller<T extends object>(caller: T): T {
  if (!file) return caller;
  const wrap = (target: unknown, segments: string[]): unknown =>
    new Proxy(target as object, {
      get: (object, key) => {
        const value = Reflect.get(object, key) as unknown;
        if (typeof key !== "string" || (typeof value !== "function" && (typeof value !== "object" || value === null))) return value;
        return wrap(value, [...segments, key]);
      },
      apply: async (fn, thisArg, args) => {
        const result: unknown = await Reflect.apply(fn as (...a: unknown[]) => unknown, thisArg, args);
        recordResponse(segments.join("."), result);
        return result;
      },
    });
  return wrap(caller, []) as T;
}

// Loads `@prisma/schema-engine-wasm` by hand. Its entry point imports the `.wasm` file as an ES
// module (a bundler feature Node 20 does not have), so we compile the module ourselves and wire
// it to the package's JS glue, the way Prisma's own loader does.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as runtime from "@prisma/schema-engine-wasm/schema_engine_bg";

let loaded = null;
let panicMessage = null;

/** The message of the last Rust panic inside the WASM engine, if any. */
export function lastPanicMessage() {
  return panicMessage;
}

/** Whether an error thrown by the engine is a Rust panic (the instance is then unusable). */
export function isWasmPanic(error) {
  return error?.name === "RuntimeError" || panicMessage !== null;
}

export function loadWasmRuntime() {
  if (loaded) return loaded;
  // The glue reports panics here before the WASM trap unwinds.
  globalThis.PRISMA_WASM_PANIC_REGISTRY ??= {
    set_message(message) {
      panicMessage = message;
    },
  };
  const wasmPath = gluePath().replace(/\.js$/, ".wasm");
  const wasmModule = new WebAssembly.Module(fs.readFileSync(wasmPath));
  const instance = new WebAssembly.Instance(wasmModule, { "./schema_engine_bg.js": runtime });
  runtime.__wbg_set_wasm(instance.exports);
  /** @type {() => void} */ (instance.exports.__wbindgen_start)();
  loaded = runtime;
  return loaded;
}

function gluePath() {
  return fileURLToPath(import.meta.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
}

/** The engine's git hash, e.g. "59be4fda12412a79eeb9c2ae727b6aa723593323", read from the
 * package version ("8.1.0-2.<hash>") so that `--version` need not compile the module. */
export function wasmEngineVersion() {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(path.dirname(gluePath()), "package.json"), "utf8"));
    const hash = /([0-9a-f]{40})$/.exec(pkg.version)?.[1];
    if (hash) return hash;
  } catch {
    // fall through
  }
  return loadWasmRuntime().version();
}

/**
 * @param {[string, string][] | undefined} datamodels  [path, content] pairs
 * @param {(line: string) => void} onLog
 * @param {object} adapterFactory  a bound migration-aware adapter factory
 */
export async function createWasmEngine(datamodels, onLog, adapterFactory) {
  const { SchemaEngine } = loadWasmRuntime();
  return SchemaEngine.new({ datamodels }, onLog, adapterFactory);
}

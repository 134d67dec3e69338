// The JSON-RPC 2.0 server: one JSON object per line on stdin/stdout, as the native schema
// engine speaks it to the Prisma CLI. Requests run one at a time, in order.

import fs from "node:fs";
import readline from "node:readline";
import { createAdapterFactory } from "./adapter.mjs";
import { createDatabase } from "./db-admin.mjs";
import { toRpcError } from "./errors.mjs";
import { flushAndExit, forwardEngineLog, log } from "./log.mjs";
import { createWasmEngine, isWasmPanic, lastPanicMessage } from "./wasm-engine.mjs";

/** Methods the WASM engine implements under the same name and with the same params. */
const ENGINE_METHODS = new Set([
  "applyMigrations",
  "createMigration",
  "dbExecute",
  "devDiagnostic",
  "diagnoseMigrationHistory",
  "diff",
  "ensureConnectionValidity",
  "evaluateDataLoss",
  "introspect",
  "markMigrationApplied",
  "markMigrationRolledBack",
  "reset",
  "schemaPush",
]);

/**
 * @param {{ datamodels: string[], datasource: { url?: string, shadowDatabaseUrl?: string } }} options
 */
export function startRpcServer({ datamodels, datasource }) {
  const adapters = createAdapterFactory(datasource);
  let enginePromise = null;
  let queue = Promise.resolve();
  let nextOutgoingId = 1;
  /** Our own requests to the CLI (`print`), waiting for its answer. */
  const outgoing = new Map();
  let shuttingDown = null;
  /** The request being served, to answer it if the engine crashes outside its promise. */
  let current = null;

  const send = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

  function engine() {
    enginePromise ??= (async () => {
      /** @type {[string, string][] | undefined} */
      const files =
        datamodels.length > 0 ? datamodels.map((path) => [path, fs.readFileSync(path, "utf8")]) : undefined;
      return createWasmEngine(files, forwardEngineLog, adapters.factory);
    })();
    return enginePromise;
  }

  /** Ask the CLI to print text on its stdout, the way the native engine's host does. */
  function printOnCli(text) {
    const content = text.endsWith("\n") ? text.slice(0, -1) : text;
    const id = nextOutgoingId++;
    return new Promise((resolve) => {
      outgoing.set(id, resolve);
      send({ jsonrpc: "2.0", method: "print", params: { content }, id });
    });
  }

  async function dispatch(method, params) {
    if (method === "createDatabase") {
      const source = params?.datasource;
      const url = source?.tag === "ConnectionString" ? source.url : datasource?.url;
      return { databaseName: await createDatabase(url) };
    }
    const eng = await engine();
    if (method === "getDatabaseVersion") return eng.version(params ?? null);
    if (method === "debugPanic") return eng.debugPanic();
    if (method === "introspectSql") {
      // The WASM build overflows its stack on this method (it needs sqlx, absent from WASM).
      throw new Error(
        "TypedSQL (`prisma generate --sql`) needs Prisma's native schema engine: the WASM schema engine " +
          "bridge cannot introspect SQL queries. Unset PRISMA_SCHEMA_ENGINE_BINARY on a machine with internet.",
      );
    }
    if (method === "diff") {
      // The WASM engine returns the diff; the native one prints it through the CLI instead.
      const result = await eng.diff(params);
      if (result?.stdout) await printOnCli(result.stdout);
      return { ...result, stdout: null };
    }
    if (ENGINE_METHODS.has(method)) return eng[method](params);
    throw Object.assign(new Error(`Method not found: ${method}`), { rpcCode: -32601 });
  }

  async function handleRequest(request) {
    const { id, method, params } = request;
    current = request;
    const started = performance.now();
    try {
      const result = await dispatch(method, params);
      log("DEBUG", `${method} done in ${Math.round(performance.now() - started)} ms`);
      if (id !== undefined) send({ jsonrpc: "2.0", result: result === undefined ? {} : result, id });
    } catch (error) {
      const panic = isWasmPanic(error) ? (lastPanicMessage() ?? String(error?.message ?? error)) : null;
      const rpcError =
        error?.rpcCode !== undefined
          ? { code: error.rpcCode, message: error.message }
          : toRpcError(error, adapters.factory, { panic });
      log(panic ? "ERROR" : "INFO", `${method} failed: ${rpcError.data?.message ?? rpcError.message}`);
      if (id !== undefined) send({ jsonrpc: "2.0", error: rpcError, id });
      if (panic) {
        // A panicked WASM instance cannot be used again; the native engine exits 101.
        await shutdown(101);
      }
    } finally {
      current = null;
    }
  }

  function onLine(line) {
    if (!line.trim()) return;
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      send({ jsonrpc: "2.0", error: { code: -32700, message: "Parse error" }, id: null });
      return;
    }
    if (typeof message.method !== "string") {
      // The CLI's answer to one of our `print` requests.
      const resolve = outgoing.get(message.id);
      if (resolve) {
        outgoing.delete(message.id);
        resolve(message.result);
      }
      return;
    }
    queue = queue.then(() => handleRequest(message));
  }

  function shutdown(exitCode = 0) {
    shuttingDown ??= (async () => {
      // Release every waiting `print` so no request hangs on a CLI that is gone.
      for (const resolve of outgoing.values()) resolve(undefined);
      outgoing.clear();
      // Closing pools and dropping temporary shadow databases must not hang the exit.
      await Promise.race([adapters.dispose(), new Promise((r) => setTimeout(r, 3000).unref())]);
      await flushAndExit(exitCode);
    })();
    return shuttingDown;
  }

  // A trap inside the WASM engine (stack overflow, panic in a callback) can surface as an
  // uncaught exception. Answer the pending request as the native engine would a panic, then exit.
  process.on("uncaughtException", (error) => {
    log("ERROR", `Schema engine crashed: ${error?.stack ?? error}`, { is_panic: true }, { force: true });
    if (current?.id !== undefined) {
      send({
        jsonrpc: "2.0",
        error: toRpcError(error, adapters.factory, { panic: lastPanicMessage() ?? String(error?.message ?? error) }),
        id: current.id,
      });
      current = null;
    }
    shutdown(101);
  });

  // The CLI went away (EPIPE): nobody is left to answer.
  process.stdout.on("error", () => shutdown(0));
  // Nor to read the logs. Without this handler a failed stderr write is an uncaught exception whose
  // handler logs to stderr again: a busy loop that never exits (seen after `migrate dev` refused to
  // run non-interactively and closed its pipes).
  process.stderr.on("error", () => shutdown(0));

  log("INFO", "Starting schema engine RPC server (WASM bridge)");
  const input = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  input.on("line", onLine);
  // The CLI ends stdin when it is done: finish what was asked, then clean up and exit.
  input.on("close", () => {
    queue.then(() => shutdown(0));
  });
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) {
    process.on(signal, () => {
      log("INFO", `Received ${signal}`);
      shutdown(0);
    });
  }
  return { shutdown };
}

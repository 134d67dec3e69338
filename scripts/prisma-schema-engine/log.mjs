// Log lines in the shape the native schema engine writes to stderr (tracing's JSON format), so
// the Prisma CLI can parse them. stdout is the JSON-RPC channel: nothing else may go there.

const LEVELS = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4 };

/** The most verbose level RUST_LOG asks for ("info", "schema_core=debug,info", ...). The native
 * engine logs errors only when RUST_LOG is unset; the Prisma CLI sets RUST_LOG=info. */
function thresholdFromEnv(value) {
  if (!value) return LEVELS.ERROR;
  let best = null;
  for (const part of value.split(",")) {
    const word = part.split("=").pop().trim().toUpperCase();
    if (word in LEVELS && (best === null || LEVELS[word] < best)) best = LEVELS[word];
  }
  return best ?? LEVELS.ERROR;
}

const threshold = thresholdFromEnv(process.env.RUST_LOG);

export function writeLogLine(object) {
  process.stderr.write(`${JSON.stringify(object)}\n`);
}

/** Log a message with extra fields; `force` writes it whatever RUST_LOG says. */
export function log(level, message, fields = {}, { force = false, target = "schema_engine_bridge" } = {}) {
  if (!force && LEVELS[level] < threshold) return;
  writeLogLine({
    timestamp: new Date().toISOString(),
    level,
    fields: { message, ...fields },
    target,
  });
}

/** Forward a log line produced by the WASM engine (already JSON) if its level is enabled. */
export function forwardEngineLog(line) {
  const text = String(line).trim();
  if (!text) return;
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    log("DEBUG", text, {}, { target: "schema_engine_wasm" });
    return;
  }
  const level = String(parsed.level ?? "INFO").toUpperCase();
  if ((LEVELS[level] ?? LEVELS.INFO) < threshold) return;
  writeLogLine({ timestamp: new Date().toISOString(), ...parsed });
}

/** Node prints warnings (deprecations, TLS notices) to stderr as plain text; in the one-shot
 * `cli` mode the Prisma CLI parses every stderr line as JSON, so re-route them as log lines. */
export function routeProcessWarnings() {
  process.removeAllListeners("warning");
  process.on("warning", (warning) => {
    log("WARN", `${warning.name}: ${warning.message}`);
  });
}

/** Exit once everything written to stdout and stderr has been handed to the OS (pipes are
 * asynchronous on macOS, and `process.exit` would drop what is still queued). */
export async function flushAndExit(code) {
  const drain = (stream) =>
    new Promise((resolve) => {
      if (stream.destroyed || !stream.writable) return resolve();
      stream.write("", () => resolve());
    });
  await Promise.race([Promise.all([drain(process.stdout), drain(process.stderr)]), new Promise((r) => setTimeout(r, 1000).unref())]);
  process.exit(code);
}

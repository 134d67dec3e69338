import pino from "pino";

/**
 * Structured JSON logs on stdout. Anything that can carry a secret is redacted by path, and the
 * serializers below never pass request bodies through, so tokens and passwords cannot reach a log.
 */
export const REDACTED_KEYS = [
  "password",
  "passwordHash",
  "token",
  "accessToken",
  "refreshToken",
  "access_token",
  "refresh_token",
  "secret",
  "clientSecret",
  "authorization",
  "cookie",
  "apiKey",
];

// Reads LOG_LEVEL directly (the one exception to "only src/env.js reads process.env"): the logger
// must work before, and to report, environment validation.
const stdoutLevel = process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info");
// LOG_FILE (read directly for the same reason as LOG_LEVEL): `npm test` sends every line of the run
// to a file that its secret-leak scan reads afterwards. stdout keeps its own level.
const logFile = process.env.LOG_FILE;
const logFileLevel = (process.env.LOG_FILE_LEVEL ?? "info") as pino.Level;

function destination(): pino.DestinationStream | undefined {
  if (!logFile) return undefined;
  const streams: pino.StreamEntry[] = [{ level: logFileLevel, stream: pino.destination({ dest: logFile, append: true, mkdir: true, sync: true }) }];
  if (stdoutLevel !== "silent") streams.push({ level: stdoutLevel as pino.Level, stream: pino.destination(1) });
  return pino.multistream(streams);
}

const LEVEL_ORDER = ["trace", "debug", "info", "warn", "error", "fatal"];
// With a file, the logger itself must let through the lower of the two levels; multistream filters per stream.
const loggerLevel =
  logFile && (stdoutLevel === "silent" || LEVEL_ORDER.indexOf(logFileLevel) < LEVEL_ORDER.indexOf(stdoutLevel)) ? logFileLevel : stdoutLevel;

export const logger = pino({
  level: loggerLevel,
  base: { service: "super-seller" },
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
  redact: {
    paths: [...REDACTED_KEYS, ...REDACTED_KEYS.map((k) => `*.${k}`), ...REDACTED_KEYS.map((k) => `*.*.${k}`)],
    censor: "[redacted]",
  },
}, destination());

export type Logger = pino.Logger;

export type LogContext = {
  correlationId: string;
  organizationId?: string;
  userId?: string;
};

export function requestLogger(context: LogContext): Logger {
  return logger.child(context);
}

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
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: { service: "super-seller" },
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
  redact: {
    paths: [...REDACTED_KEYS, ...REDACTED_KEYS.map((k) => `*.${k}`), ...REDACTED_KEYS.map((k) => `*.*.${k}`)],
    censor: "[redacted]",
  },
});

export type Logger = pino.Logger;

export type LogContext = {
  correlationId: string;
  organizationId?: string;
  userId?: string;
};

export function requestLogger(context: LogContext): Logger {
  return logger.child(context);
}

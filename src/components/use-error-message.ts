"use client";

import { useTranslations } from "next-intl";
import { useCallback } from "react";

/** The parts of a tRPC client error this app reads (see errorFormatter in src/server/api/trpc.ts). */
type ErrorData = {
  code?: string;
  reason?: string;
  fieldErrors?: Record<string, string[] | undefined>;
  details?: Record<string, unknown>;
};

export type DescribedError = {
  /** One translated sentence for the whole failure. */
  message: string;
  /** Translated messages keyed by input field name, to show next to the fields. */
  fields: Record<string, string>;
  /** Set when the whole failure is about one input: show it there, not a second time above. */
  field?: string;
};

// When a refusal carries no reason of its own (e.g. the sign-in guard), the code still says enough.
const REASON_BY_CODE: Record<string, string> = {
  UNAUTHORIZED: "signInRequired",
  FORBIDDEN: "forbidden",
  NOT_FOUND: "notFound",
  TOO_MANY_REQUESTS: "rateLimited",
  PAYLOAD_TOO_LARGE: "payloadTooLarge",
  BAD_REQUEST: "invalidInput",
};

// next-auth's CredentialsSignin codes (src/server/auth/config.ts) → message keys.
const REASON_BY_SIGN_IN_CODE: Record<string, string> = {
  invalid_credentials: "invalidCredentials",
  rate_limited: "rateLimited",
};

function errorData(error: unknown): ErrorData | undefined {
  if (typeof error !== "object" || error === null || !("data" in error)) return undefined;
  const data = (error as { data: unknown }).data;
  return typeof data === "object" && data !== null ? (data as ErrorData) : undefined;
}

/**
 * The one way to turn a failure into words. Returns a function that takes a tRPC error (or
 * anything thrown) and gives a translated message plus per-field messages; unknown reasons fall
 * back to `errors.generic`, so a user never sees a raw server string or an English zod message.
 */
export function useErrorMessage() {
  const t = useTranslations("errors");

  const translate = useCallback(
    (reason: string | undefined) => (reason && t.has(reason) ? t(reason) : t("generic")),
    [t],
  );

  const describe = useCallback(
    (error: unknown): DescribedError => {
      const data = errorData(error);
      const reason = data?.reason ?? (data?.code ? REASON_BY_CODE[data.code] : undefined);
      const message = translate(reason);
      const fields: Record<string, string> = {};
      for (const [field, problems] of Object.entries(data?.fieldErrors ?? {})) {
        if (!problems?.length) continue;
        fields[field] = t.has(`fields.${field}`) ? t(`fields.${field}`) : t("invalidInput");
      }
      // A service error about one input (e.g. a weak password) belongs next to that input.
      const field = typeof data?.details?.field === "string" ? data.details.field : undefined;
      if (field) fields[field] = message;
      return { message, fields, field };
    },
    [t, translate],
  );

  const describeSignIn = useCallback((code: string | undefined) => translate(code ? (REASON_BY_SIGN_IN_CODE[code] ?? "invalidCredentials") : undefined), [translate]);

  return { describe, describeSignIn, translate };
}

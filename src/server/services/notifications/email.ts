/**
 * The e-mail side of a notification (the notifications-email background function): every member
 * who may see it and asked for its category by e-mail gets one message in their own language,
 * with a link into the app. Each (notification, person) is claimed before sending, so a retried
 * run never sends twice; a send that fails gives the claim back and the step is retried. A claim
 * whose process died mid-send is taken over once its lease ends: a crash can repeat one e-mail (if
 * the server had taken it) but never loses one.
 */
// use-intl/core, not next-intl: the worker child runs under --conditions=react-server, where next-intl
// resolves to its Next.js server build (next/headers) and fails outside a request.
import { createTranslator } from "use-intl/core";

import { env } from "~/env";
import type { Db } from "~/server/db";
import { MESSAGES } from "~/i18n/messages";
import { toLocale } from "~/i18n/locales";
import { logger } from "~/server/lib/logger";
import { sendMail } from "~/server/lib/mailer";
import {
  claimNotificationEmail,
  findNotificationForEmail,
  listEmailCandidates,
  releaseNotificationEmail,
  settleNotificationEmail,
} from "~/server/repositories/notifications";
import { categoryOf, DEFAULT_PREFERENCE, roleSeesCategory } from "./categories";
import { scalarParams } from "./notifications";

type Translate = { (key: string, values?: Record<string, string | number>): string; has(key: string): boolean };

export type EmailOutcome =
  | { status: "missing" }
  /** `retryAt`: someone's e-mail is being sent by another process (or one that died): ask again then. */
  | { status: "done"; sent: number; logged: number; skipped: number; retryAt?: Date };

/** Longer than any SMTP exchange (the mailer gives up well before): an older unsettled claim is abandoned. */
export const EMAIL_CLAIM_LEASE_MS = 10 * 60_000;

function absoluteLink(path: string | null) {
  const base = env.APP_URL.replace(/\/+$/, "");
  return path && path.startsWith("/") ? `${base}${path}` : `${base}/`;
}

/** Subject and text of one notification in one language. */
export function renderNotificationEmail(
  locale: string,
  n: { kind: string; params: unknown; link: string | null },
  organizationName: string,
): { subject: string; text: string } {
  const l = toLocale(locale);
  // Keys are built from the kind at run time: the typed key union cannot help here.
  const t = createTranslator({ locale: l, messages: MESSAGES[l], namespace: "notifications" }) as unknown as Translate;
  const key = `kinds.${n.kind}`;
  const message = t.has(key) ? t(key, scalarParams(n.params)) : t("unknownKind");
  const category = t(`categories.${categoryOf(n.kind)}.title`);
  return {
    subject: t("email.subject", { category, organization: organizationName }),
    text: [
      message,
      "",
      t("email.open", { url: absoluteLink(n.link) }),
      "",
      t("email.footer", { organization: organizationName, url: absoluteLink("/settings/notifications") }),
    ].join("\n"),
  };
}

export async function emailNotification(db: Db, input: { organizationId: string; notificationId: string }): Promise<EmailOutcome> {
  const n = await findNotificationForEmail(db, input.organizationId, input.notificationId);
  // The transaction that created it rolled back (or the row was purged): nothing to send.
  if (!n) return { status: "missing" };
  const category = categoryOf(n.kind);
  const candidates = await listEmailCandidates(db, input.organizationId, n.userId, category);
  let sent = 0;
  let logged = 0;
  let skipped = 0;
  let retryAt: Date | undefined;
  for (const { role, user } of candidates) {
    const wants = (user.notificationPrefs[0] ?? DEFAULT_PREFERENCE).email;
    if (!wants || !roleSeesCategory(role, category)) continue;
    const claim = await claimNotificationEmail(db, n.id, user.id, EMAIL_CLAIM_LEASE_MS);
    if (claim.kind !== "claimed") {
      skipped++;
      if (claim.kind === "inFlight" && (!retryAt || claim.until > retryAt)) retryAt = claim.until;
      continue;
    }
    const mail = renderNotificationEmail(user.locale, n, n.organization.name);
    try {
      const { delivered } = await sendMail({ to: user.email, subject: mail.subject, text: mail.text });
      await settleNotificationEmail(db, n.id, user.id, delivered);
      if (delivered) sent++;
      else logged++;
    } catch (error) {
      await releaseNotificationEmail(db, n.id, user.id);
      logger.warn({ notificationId: n.id, err: error instanceof Error ? error.message : String(error) }, "notification e-mail failed; the step retries");
      throw error;
    }
  }
  return { status: "done", sent, logged, skipped, ...(retryAt ? { retryAt } : {}) };
}

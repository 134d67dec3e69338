import { env } from "~/env";

import { logger } from "./logger";

export type Mail = { to: string; subject: string; text: string };

/**
 * No mail server is configured yet (SMTP arrives with the notification centre). In development the
 * message — invitation links included — goes to the log as an "outbox" entry so it can be used;
 * in production only the fact that it could not be sent is logged, never the link itself.
 */
export async function sendMail(mail: Mail): Promise<{ delivered: boolean }> {
  if (env.NODE_ENV === "production") {
    logger.warn({ subject: mail.subject }, "mail not sent: no SMTP server configured");
  } else {
    logger.info({ outbox: { to: mail.to, subject: mail.subject, text: mail.text } }, "mail outbox (not sent)");
  }
  return { delivered: false };
}

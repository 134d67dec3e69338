import nodemailer, { type Transporter } from "nodemailer";

import { env } from "~/env";

import { logger } from "./logger";

export type Mail = { to: string; subject: string; text: string };

let smtpUrlOverride: string | null | undefined;
let cached: { url: string; transport: Transporter } | null = null;

/**
 * Points the mailer at another SMTP server (or none, with null) than SMTP_URL. Tests start their
 * SMTP server on a random port, after the environment was read.
 */
export function configureMailer(options: { smtpUrl: string | null } | null) {
  smtpUrlOverride = options ? options.smtpUrl : undefined;
  cached?.transport.close();
  cached = null;
}

function smtpUrl(): string | null {
  return smtpUrlOverride !== undefined ? smtpUrlOverride : (env.SMTP_URL ?? null);
}

function transportFor(url: string): Transporter {
  if (cached?.url !== url) {
    cached?.transport.close();
    // A slow mail server must not hold a background step for minutes.
    cached = { url, transport: nodemailer.createTransport(url, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 }) };
  }
  return cached.transport;
}

/**
 * The one mail sender. With SMTP_URL it sends through that server (a failure throws, so a
 * background caller retries). Without it, in development the message — invitation links included —
 * goes to the log as an "outbox" entry so it can be used; in production only the fact that it
 * could not be sent is logged, never the text itself. Credentials in the URL are never logged.
 */
export async function sendMail(mail: Mail): Promise<{ delivered: boolean }> {
  const url = smtpUrl();
  if (url) {
    const info = await transportFor(url).sendMail({ from: env.MAIL_FROM, to: mail.to, subject: mail.subject, text: mail.text });
    logger.info({ messageId: info.messageId, subject: mail.subject }, "mail sent");
    return { delivered: true };
  }
  if (env.NODE_ENV === "production") {
    logger.warn({ subject: mail.subject }, "mail not sent: no SMTP server configured");
  } else {
    logger.info({ outbox: { to: mail.to, subject: mail.subject, text: mail.text } }, "mail outbox (not sent)");
  }
  return { delivered: false };
}

import { cron } from "inngest";

import { db } from "~/server/db";
import { emailNotification } from "~/server/services/notifications/email";
import { requeueRecentEmails } from "~/server/services/notifications/notify";
import { inngest } from "../client";
import { notificationCreated } from "../events";

/**
 * E-mails a new notification to the members who asked for its category by e-mail. Apart from the
 * code that raised the notification, so a slow or failing mail server only delays this run; a
 * failed send is retried, and one already sent is never sent again (services/notifications/email.ts).
 */
export const notificationsEmail = inngest.createFunction(
  {
    id: "notifications-email",
    name: "Notifications: send e-mails",
    triggers: [notificationCreated],
    retries: 4,
  },
  async ({ event, step }) => step.run("send", () => emailNotification(db, event.data)),
);

/** Every 15 minutes: asks again for e-mails whose request may have been lost (see requeueRecentEmails). */
export const notificationsEmailSweep = inngest.createFunction(
  {
    id: "notifications-email-sweep",
    name: "Notifications: re-request lost e-mails",
    triggers: [cron("*/15 * * * *")],
    concurrency: { limit: 1 },
    retries: 1,
  },
  async ({ step }) => step.run("requeue", () => requeueRecentEmails(db)),
);

export const notificationFunctions = [notificationsEmail, notificationsEmailSweep];

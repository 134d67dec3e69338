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
  async ({ event, step }) => {
    let outcome = await step.run("send", () => emailNotification(db, event.data));
    // Someone's e-mail was claimed by a process that may have died mid-send: wait for its lease to
    // end and ask again (the claim is then taken over, or found settled).
    for (let round = 1; round <= 3 && outcome.status === "done" && outcome.retryAt; round++) {
      await step.sleepUntil(`claim-lease-${round}`, new Date(outcome.retryAt));
      outcome = await step.run(`send-again-${round}`, () => emailNotification(db, event.data));
    }
    return outcome;
  },
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

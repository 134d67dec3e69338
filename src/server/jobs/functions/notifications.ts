import { db } from "~/server/db";
import { emailNotification } from "~/server/services/notifications/email";
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

export const notificationFunctions = [notificationsEmail];

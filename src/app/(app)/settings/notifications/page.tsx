import { getTranslations } from "next-intl/server";

import { NotificationPreferences } from "~/components/notifications/notification-preferences";
import { PageHeader } from "~/components/page-header";
import { titleMetadata } from "~/components/page-metadata";
import { requireTenant } from "../../_lib/tenant";

export const generateMetadata = titleMetadata("notificationSettings");

/** The signed-in person's own notification choices in the active organization. */
export default async function NotificationSettingsPage() {
  const session = await requireTenant();
  if (!session) return null;
  const t = await getTranslations("notificationSettings");
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t("title")} description={t("description")} />
      <NotificationPreferences />
    </div>
  );
}

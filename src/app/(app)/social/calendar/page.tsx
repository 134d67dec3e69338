import { getTranslations } from "next-intl/server";

import { dayKeyOf, isValidDayKey } from "~/components/calendar/layout";
import { SocialCalendar } from "~/components/calendar/social-calendar";
import { PageHeader } from "~/components/page-header";
import { titleMetadata } from "~/components/page-metadata";
import { HydrateClient } from "~/trpc/server";
import { can, requireTenant } from "../../_lib/tenant";

export const generateMetadata = titleMetadata("calendar");

export default async function CalendarPage({ searchParams }: { searchParams: Promise<{ view?: string; date?: string }> }) {
  const session = await requireTenant();
  const { view, date } = await searchParams;
  if (!session) return null;
  const t = await getTranslations("calendar");
  const timeZone = session.tenant.organization.timeZone;
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t("title")} description={t("description")} />
      <HydrateClient>
        {/* "Today" is the organization's day, decided here so the server and the browser agree. */}
        <SocialCalendar
          timeZone={timeZone}
          today={dayKeyOf(new Date(), timeZone)}
          canReschedule={can(session.tenant, "social:publish")}
          initialView={view === "week" ? "week" : "month"}
          initialDay={date && isValidDayKey(date) ? date : undefined}
        />
      </HydrateClient>
    </div>
  );
}

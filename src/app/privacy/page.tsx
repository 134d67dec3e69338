import Link from "next/link";
import { getTranslations } from "next-intl/server";

import { LanguageSwitch } from "~/components/language-switch";
import { Logo } from "~/components/logo";
import { titleMetadata } from "~/components/page-metadata";
import { BACKUP_RETENTION_DAYS } from "~/server/services/privacy/erasure";
import { OTHER_RETENTION_DAYS, RETENTION_RULES } from "~/server/services/privacy/retention";

export const generateMetadata = titleMetadata("privacyPage");

const CATEGORIES = ["account", "organization", "marketplace", "media", "billing", "audit", "ai", "productUsage"] as const;

/**
 * The public privacy policy (no sign-in: outside the (app) route group, whose layout sends
 * signed-out people to /sign-in). Every period is rendered from RETENTION_RULES and the other
 * retention constants, never typed into the text, so the page and the deleting jobs cannot drift.
 */
export default async function PrivacyPolicyPage() {
  const t = await getTranslations("privacyPage");
  const days = (n: number) => t("days", { days: n });
  const periods: Record<string, string> = {
    ...Object.fromEntries(RETENTION_RULES.map((rule) => [rule.key, days(rule.days)])),
    softDeleted: days(OTHER_RETENTION_DAYS.softDeleted),
    jobRuns: days(OTHER_RETENTION_DAYS.jobRuns),
    rawArchive: days(OTHER_RETENTION_DAYS.rawArchive),
  };
  const rows: [string, number][] = [
    ...RETENTION_RULES.map((rule) => [rule.key, rule.days] as [string, number]),
    ["softDeleted", OTHER_RETENTION_DAYS.softDeleted],
    ["jobRuns", OTHER_RETENTION_DAYS.jobRuns],
    ["rawArchive", OTHER_RETENTION_DAYS.rawArchive],
    ["backups", BACKUP_RETENTION_DAYS],
  ];

  return (
    <div className="min-h-screen bg-slate-50">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex h-16 max-w-3xl items-center justify-between gap-3 px-4">
          <Logo href="/" />
          <div className="flex items-center gap-3">
            <LanguageSwitch />
            <Link href="/sign-in" className="text-sm font-medium text-brand-700 hover:underline">
              {t("signIn")}
            </Link>
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto flex max-w-3xl flex-col gap-8 px-4 py-10 text-slate-800">
        <div className="flex flex-col gap-3">
          <h1 className="text-3xl font-semibold tracking-tight text-slate-900">{t("title")}</h1>
          <p className="text-base text-slate-700">{t("intro")}</p>
        </div>

        <section aria-labelledby="what" className="flex flex-col gap-4">
          <h2 id="what" className="text-xl font-semibold text-slate-900">{t("whatTitle")}</h2>
          {CATEGORIES.map((key) => (
            <article key={key} className="rounded-lg border border-slate-200 bg-white p-5" data-testid={`privacy-category-${key}`}>
              <h3 className="text-lg font-semibold text-slate-900">{t(`categories.${key}.title`)}</h3>
              <p className="mt-2 text-sm">{t(`categories.${key}.what`)}</p>
              <p className="mt-2 text-sm text-slate-700">{t(`categories.${key}.why`)}</p>
              <dl className="mt-3 grid gap-2 text-sm sm:grid-cols-[10rem_1fr]">
                <dt className="font-medium text-slate-600">{t("basisLabel")}</dt>
                <dd>{t(`categories.${key}.basis`)}</dd>
                <dt className="font-medium text-slate-600">{t("retentionLabel")}</dt>
                <dd>{t(`categories.${key}.retention`, periods)}</dd>
              </dl>
            </article>
          ))}
        </section>

        <section aria-labelledby="retention" className="flex flex-col gap-3">
          <h2 id="retention" className="text-xl font-semibold text-slate-900">{t("retentionTitle")}</h2>
          <p className="text-sm text-slate-700">{t("retentionIntro")}</p>
          <table className="w-full overflow-hidden rounded-lg border border-slate-200 bg-white text-sm">
            <tbody>
              {rows.map(([key, n]) => (
                <tr key={key} className="border-b border-slate-100 last:border-0">
                  <th scope="row" className="px-4 py-2 text-left font-normal">{t(`retention.${key}`)}</th>
                  <td className="px-4 py-2 text-right font-medium whitespace-nowrap" data-testid={`retention-${key}`}>{days(n)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="text-sm text-slate-700">{t("backupsNote", { days: BACKUP_RETENTION_DAYS })}</p>
        </section>

        <section aria-labelledby="rights" className="flex flex-col gap-3">
          <h2 id="rights" className="text-xl font-semibold text-slate-900">{t("rightsTitle")}</h2>
          <p className="text-sm">{t("rights")}</p>
          <p className="text-sm">{t("rightsWhere")}</p>
          <p>
            <Link href="/settings/privacy" className="text-sm font-medium text-brand-700 hover:underline">
              {t("rightsLink")}
            </Link>
          </p>
        </section>

        <section aria-labelledby="processors" className="flex flex-col gap-3">
          <h2 id="processors" className="text-xl font-semibold text-slate-900">{t("processorsTitle")}</h2>
          <ul className="list-disc space-y-1 pl-5 text-sm">
            {(["aws", "stripe", "providers", "ai"] as const).map((key) => (
              <li key={key}>{t(`processors.${key}`)}</li>
            ))}
          </ul>
        </section>
      </main>
    </div>
  );
}

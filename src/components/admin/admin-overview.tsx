"use client";

import { useFormatter, useTranslations } from "next-intl";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

import { api } from "~/trpc/react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { Table, TBody, TD, TH, THead, TR } from "../ui/table";
import { LoadError, Loading, useMoney } from "./shared";

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Card>
      <CardContent className="flex flex-col gap-1 pt-5">
        <p className="text-sm text-slate-600">{label}</p>
        <p className="text-2xl font-semibold text-slate-900">{value}</p>
        {hint && <p className="text-xs text-slate-500">{hint}</p>}
      </CardContent>
    </Card>
  );
}

export function AdminOverview() {
  const t = useTranslations("admin.overview");
  const tProviders = useTranslations("admin.providers");
  const format = useFormatter();
  const money = useMoney();
  const metrics = api.admin.metrics.useQuery();
  if (metrics.isPending) return <Loading />;
  if (metrics.isError) return <LoadError error={metrics.error} retry={() => void metrics.refetch()} />;
  const m = metrics.data;
  const dayLabel = (day: string) => format.dateTime(new Date(`${day}T12:00:00Z`), { day: "2-digit", month: "short", timeZone: "UTC" });
  const totalPublished = m.publishedPerDay.reduce((sum, d) => sum + d.count, 0);
  return (
    <div className="flex flex-col gap-6">
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Stat label={t("organizations")} value={format.number(m.organizations.active)} hint={t("suspendedCount", { count: m.organizations.suspended })} />
        <Stat label={t("mrr")} value={money(m.mrr.live.cents)} hint={t("paying", { count: m.mrr.live.subscriptions })} />
        <Stat label={t("mrrTest")} value={money(m.mrr.test.cents)} hint={t("trialing", { count: m.mrr.trialing })} />
        <Stat label={t("users")} value={format.number(m.users.total)} hint={t("usersHint", { admins: m.users.admins, banned: m.users.banned })} />
      </div>

      <Card>
        <CardHeader>
          <CardTitle>{t("publishedTitle")}</CardTitle>
          <CardDescription>{t("publishedDescription", { count: totalPublished })}</CardDescription>
        </CardHeader>
        <CardContent>
          {/* A bar per day (recharts, as the other charts); the table below carries the same numbers for screen readers. */}
          <div className="h-40" aria-hidden="true">
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={m.publishedPerDay} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" vertical={false} />
                <XAxis dataKey="day" tickFormatter={dayLabel} fontSize={12} minTickGap={16} />
                <YAxis fontSize={12} width={40} allowDecimals={false} />
                <Tooltip labelFormatter={(v) => dayLabel(String(v))} formatter={(v) => [format.number(Number(v)), t("published")]} />
                <Bar dataKey="count" fill="#15803d" radius={[3, 3, 0, 0]} isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
          <details className="mt-3 text-sm">
            <summary className="cursor-pointer text-slate-600">{t("perDayTable")}</summary>
            <Table className="mt-2">
              <THead>
                <TR>
                  <TH>{t("day")}</TH>
                  <TH className="text-right">{t("published")}</TH>
                </TR>
              </THead>
              <TBody>
                {m.publishedPerDay.map((d) => (
                  <TR key={d.day}>
                    <TD>{dayLabel(d.day)}</TD>
                    <TD className="text-right">{format.number(d.count)}</TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          </details>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>{t("connectionsTitle")}</CardTitle>
        </CardHeader>
        <CardContent>
          {m.connectionsByProvider.length === 0 ? (
            <p className="text-sm text-slate-600">{t("noConnections")}</p>
          ) : (
            <Table>
              <THead>
                <TR>
                  <TH>{t("provider")}</TH>
                  <TH className="text-right">{t("activeConnections")}</TH>
                </TR>
              </THead>
              <TBody>
                {m.connectionsByProvider.map((c) => (
                  <TR key={c.provider}>
                    <TD>{tProviders(c.provider)}</TD>
                    <TD className="text-right">{format.number(c.count)}</TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          )}
        </CardContent>
      </Card>
    </div>
  );
}

"use client";

import { BarChart3 } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

import { api } from "~/trpc/react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { Table, TBody, TD, TH, THead, TR } from "../ui/table";
import { LoadError, Loading } from "./shared";

/** A retention cell's background: darker green for a higher share, so the table reads as a heat map. */
function cellShade(percent: number) {
  if (percent >= 75) return "bg-brand-700 text-white";
  if (percent >= 50) return "bg-brand-600 text-white";
  if (percent >= 25) return "bg-brand-200 text-slate-900";
  if (percent > 0) return "bg-brand-50 text-slate-900";
  return "text-slate-500";
}

/** The platform admin's product dashboard (productTelemetry.dashboard): activation, weekly actives, cohorts, features. */
export function ProductUsageAdmin() {
  const t = useTranslations("productTelemetry.dashboard");
  const format = useFormatter();
  const dashboard = api.productTelemetry.dashboard.useQuery();
  if (dashboard.isPending) return <Loading />;
  if (dashboard.isError) return <LoadError error={dashboard.error} retry={() => void dashboard.refetch()} />;
  const d = dashboard.data;
  const weekLabel = (week: Date) => format.dateTime(week, { day: "2-digit", month: "short", timeZone: "UTC" });
  const pct = (value: number) => format.number(value / 100, { style: "percent", maximumFractionDigits: 1 });
  const empty = d.activation.organizations === 0 && d.features.rows.length === 0 && d.weeklyActive.every((w) => w.organizations === 0);

  if (empty) return <EmptyState icon={BarChart3} title={t("title")} description={t("empty")} />;

  const weekly = d.weeklyActive.map((w) => ({ week: weekLabel(w.week), organizations: w.organizations, users: w.users }));

  return (
    <div className="flex flex-col gap-6">
      <Card>
        <CardHeader>
          <CardTitle>{t("activationTitle")}</CardTitle>
          <CardDescription>
            {t("activationDescription", { since: format.dateTime(d.activation.since, { dateStyle: "medium", timeZone: "UTC" }), count: d.activation.organizations, days: d.activation.days })}
          </CardDescription>
        </CardHeader>
        <CardContent>
          <Table data-testid="activation-table">
            <THead>
              <TR>
                <TH>{t("milestone")}</TH>
                <TH className="text-right">{t("organizations")}</TH>
                <TH className="text-right">{t("share")}</TH>
              </TR>
            </THead>
            <TBody>
              {d.activation.milestones.map((m) => (
                <TR key={m.key}>
                  <TD>{t(`milestones.${m.key}`)}</TD>
                  <TD className="text-right">{format.number(m.organizations)}</TD>
                  <TD className="text-right">{pct(m.percent)}</TD>
                </TR>
              ))}
              <TR className="font-semibold">
                <TD>{t("activated")}</TD>
                <TD className="text-right">{format.number(d.activation.activated.organizations)}</TD>
                <TD className="text-right">{pct(d.activation.activated.percent)}</TD>
              </TR>
            </TBody>
          </Table>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>{t("weeklyTitle")}</CardTitle>
          <CardDescription>{t("weeklyDescription")}</CardDescription>
        </CardHeader>
        <CardContent>
          {/* The table below carries the same numbers for screen readers. */}
          <div className="h-48" aria-hidden="true">
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={weekly} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" vertical={false} />
                <XAxis dataKey="week" fontSize={12} />
                <YAxis fontSize={12} width={40} allowDecimals={false} />
                <Tooltip />
                <Legend />
                <Bar dataKey="organizations" name={t("organizations")} fill="#15803d" radius={[3, 3, 0, 0]} isAnimationActive={false} />
                <Bar dataKey="users" name={t("users")} fill="#0f766e" radius={[3, 3, 0, 0]} isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
          <details className="mt-3 text-sm">
            <summary className="cursor-pointer text-slate-600">{t("weeklyTable")}</summary>
            <Table className="mt-2" data-testid="weekly-table">
              <THead>
                <TR>
                  <TH>{t("week")}</TH>
                  <TH className="text-right">{t("organizations")}</TH>
                  <TH className="text-right">{t("users")}</TH>
                </TR>
              </THead>
              <TBody>
                {weekly.map((w) => (
                  <TR key={w.week}>
                    <TD>{w.week}</TD>
                    <TD className="text-right">{format.number(w.organizations)}</TD>
                    <TD className="text-right">{format.number(w.users)}</TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          </details>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>{t("retentionTitle")}</CardTitle>
          <CardDescription>{t("retentionDescription")}</CardDescription>
        </CardHeader>
        <CardContent>
          <Table data-testid="retention-table">
            <THead>
              <TR>
                <TH>{t("cohort")}</TH>
                <TH className="text-right">{t("size")}</TH>
                {d.retention[0]?.cells.map((_, k) => (
                  <TH key={k} className="text-center">
                    {t("weeksSince", { n: k })}
                  </TH>
                ))}
              </TR>
            </THead>
            <TBody>
              {d.retention.map((row) => (
                <TR key={row.week.toISOString()}>
                  <TD>{weekLabel(row.week)}</TD>
                  <TD className="text-right">{format.number(row.organizations)}</TD>
                  {row.cells.map((cell, k) =>
                    cell === null ? (
                      <TD key={k} />
                    ) : (
                      <TD key={k} className={`text-center tabular-nums ${row.organizations > 0 ? cellShade(cell.percent) : "text-slate-400"}`}>
                        {row.organizations > 0 ? pct(cell.percent) : "–"}
                      </TD>
                    ),
                  )}
                </TR>
              ))}
            </TBody>
          </Table>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>{t("featuresTitle")}</CardTitle>
          <CardDescription>{t("featuresDescription", { days: d.features.days })}</CardDescription>
        </CardHeader>
        <CardContent>
          {d.features.rows.length === 0 ? (
            <p className="text-sm text-slate-600">{t("noFeatures", { days: d.features.days })}</p>
          ) : (
            <Table data-testid="features-table">
              <THead>
                <TR>
                  <TH>{t("feature")}</TH>
                  <TH className="text-right">{t("events")}</TH>
                  <TH className="text-right">{t("organizations")}</TH>
                  <TH className="text-right">{t("users")}</TH>
                </TR>
              </THead>
              <TBody>
                {d.features.rows.map((f) => (
                  <TR key={f.feature}>
                    <TD className="font-mono text-xs">{f.feature}</TD>
                    <TD className="text-right">{format.number(f.events)}</TD>
                    <TD className="text-right">{format.number(f.organizations)}</TD>
                    <TD className="text-right">{format.number(f.users)}</TD>
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

"use client";

import { Download } from "lucide-react";
import { useTranslations } from "next-intl";

import { buttonVariants } from "../ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";

/**
 * The person's own data: the export is a plain link to GET /api/v1/privacy/export (the browser
 * downloads the attachment with its file name; the cookie session identifies the person).
 */
export function MyDataCard() {
  const t = useTranslations("privacySettings.myData");
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("title")}</CardTitle>
        <CardDescription>{t("description")}</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-3">
        <div>
          <a className={buttonVariants({ variant: "secondary" })} href="/api/v1/privacy/export" download data-testid="privacy-export">
            <Download className="size-4" aria-hidden />
            {t("export")}
          </a>
        </div>
        <p className="text-sm text-slate-600">{t("exportHint")}</p>
      </CardContent>
    </Card>
  );
}

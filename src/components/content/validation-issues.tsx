"use client";

import { CircleAlert } from "lucide-react";
import { useTranslations } from "next-intl";

import type { ValidationIssue } from "~/lib/social/validate";

/** The issues validateVariant found, in the reader's language. */
export function ValidationIssues({ issues, id }: { issues: ValidationIssue[]; id?: string }) {
  const t = useTranslations("content.validation");
  if (issues.length === 0) return null;
  return (
    <ul id={id} className="flex flex-col gap-1 rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950" aria-live="polite">
      {issues.map((issue, i) => (
        <li key={`${issue.code}-${i}`} className="flex items-start gap-2">
          <CircleAlert className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
          {t.has(issue.code) ? t(issue.code, issue.params ?? {}) : issue.code}
        </li>
      ))}
    </ul>
  );
}

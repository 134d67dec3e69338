"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import { useId } from "react";

import { isActive, NAV_GROUPS } from "./nav-items";
import { cn } from "./ui/cn";

export function SidebarNav({ permissions, onNavigate }: { permissions: readonly string[]; onNavigate?: () => void }) {
  const t = useTranslations("nav");
  const pathname = usePathname();
  // Two copies can exist (desktop sidebar, mobile panel): ids must stay unique.
  const idPrefix = useId();
  return (
    <nav aria-label={t("label")} className="flex flex-col gap-5 px-3 py-4">
      {NAV_GROUPS.map((group) => {
        const items = group.items.filter((item) => !item.permission || permissions.includes(item.permission));
        if (items.length === 0) return null;
        const headingId = group.label ? `${idPrefix}-${group.label}` : undefined;
        return (
          <div key={group.label ?? "home"} className="flex flex-col gap-1">
            {group.label && (
              <p id={headingId} className="px-3 pb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">
                {t(group.label)}
              </p>
            )}
            <ul aria-labelledby={headingId} className="flex flex-col gap-0.5">
              {items.map((item) => {
                const active = isActive(pathname, item.href);
                const Icon = item.icon;
                return (
                  <li key={item.href}>
                    <Link
                      href={item.href}
                      onClick={onNavigate}
                      aria-current={active ? "page" : undefined}
                      className={cn(
                        "flex items-center gap-3 rounded-lg px-3 py-2 text-sm font-medium transition-colors",
                        active ? "bg-brand-50 text-brand-800" : "text-slate-700 hover:bg-slate-100 hover:text-slate-900",
                      )}
                    >
                      <Icon className={cn("size-4 shrink-0", active ? "text-brand-700" : "text-slate-500")} aria-hidden="true" />
                      {t(item.label)}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </div>
        );
      })}
    </nav>
  );
}

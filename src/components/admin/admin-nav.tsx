"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";

import { cn } from "../ui/cn";

const ITEMS = [
  { href: "/admin", key: "overview" },
  { href: "/admin/organizations", key: "organizations" },
  { href: "/admin/users", key: "users" },
  { href: "/admin/flags", key: "flags" },
  { href: "/admin/plans", key: "plans" },
  { href: "/admin/product-usage", key: "productUsage" },
  { href: "/admin/maintenance", key: "maintenance" },
] as const;

export function AdminNav() {
  const t = useTranslations("admin.nav");
  const pathname = usePathname();
  return (
    <nav aria-label={t("label")} className="mx-auto flex max-w-6xl gap-1 overflow-x-auto px-4 pb-2 sm:px-6 lg:px-8">
      {ITEMS.map((item) => {
        const active = item.href === "/admin" ? pathname === "/admin" : pathname.startsWith(item.href);
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={active ? "page" : undefined}
            className={cn("rounded-lg px-3 py-1.5 text-sm font-medium whitespace-nowrap", active ? "bg-brand-50 text-brand-800" : "text-slate-600 hover:bg-slate-100")}
          >
            {t(item.key)}
          </Link>
        );
      })}
    </nav>
  );
}

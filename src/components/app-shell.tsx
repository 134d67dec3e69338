"use client";

import { Menu, X } from "lucide-react";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";

import type { RouterOutputs } from "~/trpc/react";
import { LanguageSwitch } from "./language-switch";
import { Logo } from "./logo";
import { NotificationsBell } from "./notifications/notifications-bell";
import { OrgSwitcher } from "./org-switcher";
import { RoleBadge, type Role } from "./role-badge";
import { SidebarNav } from "./sidebar-nav";
import { UserMenu } from "./user-menu";

type AppShellProps = {
  user: { name: string; email: string; isPlatformAdmin?: boolean };
  organization: { id: string; name: string };
  role: Role;
  permissions: readonly string[];
  organizations: RouterOutputs["tenants"]["mine"];
  children: React.ReactNode;
};

export function AppShell({ user, organization, role, permissions, organizations, children }: AppShellProps) {
  const t = useTranslations("nav");
  const tRole = useTranslations("roleBadge");
  const tRoles = useTranslations("roles");
  const pathname = usePathname();
  // The mobile menu is open only on the page where it was opened: a new page means it did its job.
  const [openedOn, setOpenedOn] = useState<string | null>(null);
  const menuOpen = openedOn === pathname;
  const setMenuOpen = (open: boolean) => setOpenedOn(open ? pathname : null);
  const toggleRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpenedOn(null);
      toggleRef.current?.focus(); // focus was likely inside the panel that is now hidden
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [menuOpen]);

  return (
    <div className="min-h-screen lg:flex">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-white px-3 py-2 text-sm font-medium text-brand-800 shadow focus:not-sr-only focus:fixed focus:top-3 focus:left-3"
      >
        {t("skipToContent")}
      </a>

      {/* The aside stretches with the page (its border runs to the bottom); its content stays in view. */}
      <aside className="hidden w-64 shrink-0 border-r border-slate-200 bg-white lg:block">
        <div className="sticky top-0 flex h-screen flex-col">
          <div className="flex h-16 shrink-0 items-center border-b border-slate-200 px-6">
            <Logo />
          </div>
          <div className="flex-1 overflow-y-auto">
            <SidebarNav permissions={permissions} />
          </div>
        </div>
      </aside>

      <div className="flex min-h-screen min-w-0 flex-1 flex-col">
        <header className="sticky top-0 z-30 border-b border-slate-200 bg-white/95 backdrop-blur">
          <div className="flex h-16 items-center gap-2 px-4 sm:gap-3 lg:px-8">
            <button
              ref={toggleRef}
              type="button"
              className="-ml-1 flex size-10 shrink-0 items-center justify-center rounded-lg text-slate-700 hover:bg-slate-100 lg:hidden"
              aria-expanded={menuOpen}
              aria-controls="mobile-nav"
              aria-label={menuOpen ? t("closeMenu") : t("openMenu")}
              onClick={() => setMenuOpen(!menuOpen)}
            >
              {menuOpen ? <X className="size-5" aria-hidden="true" /> : <Menu className="size-5" aria-hidden="true" />}
            </button>
            <OrgSwitcher organizations={organizations} current={organization} />
            <RoleBadge role={role} data-testid="role-badge" className="hidden sm:inline-flex" title={tRole("label", { role: tRoles(role) })} />
            <div className="ml-auto flex shrink-0 items-center gap-2 sm:gap-3">
              <LanguageSwitch />
              {permissions.includes("notifications:read") && <NotificationsBell />}
              <UserMenu user={user} />
            </div>
          </div>
        </header>

        <div id="mobile-nav" hidden={!menuOpen} className="border-b border-slate-200 bg-white shadow-sm lg:hidden">
          <div className="flex items-center gap-2 px-6 pt-4 text-sm text-slate-700">
            <span className="truncate font-medium text-slate-900">{organization.name}</span>
            <RoleBadge role={role} />
          </div>
          <SidebarNav permissions={permissions} onNavigate={() => setMenuOpen(false)} />
        </div>

        <main id="main" tabIndex={-1} className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 focus:outline-none sm:px-6 lg:px-8 lg:py-8">
          {children}
        </main>
      </div>
    </div>
  );
}

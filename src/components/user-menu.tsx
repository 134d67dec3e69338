"use client";

import { useQueryClient } from "@tanstack/react-query";
import { LogOut, ShieldCheck } from "lucide-react";
import Link from "next/link";
import { useTranslations } from "next-intl";

import { signOutAction } from "./server-actions";
import { useDisclosure } from "./use-disclosure";

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]![0], parts[parts.length - 1]![0]] : [parts[0]?.[0]];
  return letters.join("").toUpperCase() || "?";
}

export function UserMenu({ user }: { user: { name: string; email: string; isPlatformAdmin?: boolean } }) {
  const t = useTranslations("userMenu");
  const { open: menuOpen, toggle: toggleMenu, panelId, buttonRef, containerRef } = useDisclosure();
  const queryClient = useQueryClient();
  return (
    <div ref={containerRef} className="relative">
      <button
        type="button"
        ref={buttonRef}
        aria-expanded={menuOpen}
        aria-controls={panelId}
        onClick={toggleMenu}
        aria-label={t("label", { name: user.name })}
        className="flex size-10 items-center justify-center rounded-full bg-brand-100 text-sm font-semibold text-brand-900 ring-1 ring-brand-200 hover:bg-brand-200"
      >
        <span aria-hidden="true">{initials(user.name)}</span>
      </button>
      <div id={panelId} hidden={!menuOpen} className="absolute right-0 z-40 mt-2 w-64 max-w-[calc(100vw-2rem)] rounded-xl border border-slate-200 bg-white p-2 shadow-lg">
        <div className="border-b border-slate-100 px-2 pt-1 pb-2">
          <p className="text-xs text-slate-500">{t("signedInAs")}</p>
          <p className="truncate text-sm font-medium text-slate-900">{user.name}</p>
          <p className="truncate text-sm text-slate-600">{user.email}</p>
        </div>
        {user.isPlatformAdmin && (
          <Link href="/admin" className="mt-2 flex w-full items-center gap-2 rounded-lg px-2 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100">
            <ShieldCheck className="size-4" aria-hidden="true" />
            {t("admin")}
          </Link>
        )}
        {/* Cached queries belong to this user: drop them so the next person on this browser starts clean. */}
        <form action={signOutAction} onSubmit={() => queryClient.clear()} className="pt-2">
          <button type="submit" className="flex w-full items-center gap-2 rounded-lg px-2 py-2 text-left text-sm font-medium text-slate-800 hover:bg-slate-100">
            <LogOut className="size-4" aria-hidden="true" />
            {t("signOut")}
          </button>
        </form>
      </div>
    </div>
  );
}

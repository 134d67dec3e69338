"use client";

import { Bell } from "lucide-react";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState } from "react";

import { Button } from "~/components/ui/button";
import { cn } from "~/components/ui/cn";
import { api, type RouterOutputs } from "~/trpc/react";

type Item = RouterOutputs["notifications"]["list"]["items"][number];

/** The header's bell: unread count, and a panel with the latest notifications. */
export function NotificationsBell() {
  const t = useTranslations("notifications");
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const unread = api.notifications.unreadCount.useQuery(undefined, { refetchInterval: 60_000 });
  const count = unread.data?.count ?? 0;

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      setOpen(false);
      buttonRef.current?.focus();
    };
    const onPointer = (e: PointerEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", onPointer);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onPointer);
    };
  }, [open]);

  return (
    <div ref={rootRef} className="relative">
      <button
        ref={buttonRef}
        type="button"
        className="relative flex size-10 items-center justify-center rounded-lg text-slate-700 hover:bg-slate-100"
        aria-label={`${t("open")} — ${t("unread", { count })}`}
        aria-expanded={open}
        aria-controls={panelId}
        data-testid="notifications-bell"
        onClick={() => setOpen((o) => !o)}
      >
        <Bell className="size-5" aria-hidden="true" />
        {count > 0 && (
          <span className="absolute top-1 right-1 min-w-4 rounded-full bg-red-600 px-1 text-center text-[10px] leading-4 font-semibold text-white tabular-nums" aria-hidden="true">
            {count > 99 ? "99+" : count}
          </span>
        )}
      </button>
      {open && <NotificationsPanel id={panelId} onNavigate={() => setOpen(false)} />}
    </div>
  );
}

function NotificationsPanel({ id, onNavigate }: { id: string; onNavigate: () => void }) {
  const t = useTranslations("notifications");
  const utils = api.useUtils();
  const list = api.notifications.list.useInfiniteQuery({ limit: 10 }, { getNextPageParam: (p) => p.nextCursor ?? undefined });
  const refresh = () => Promise.all([utils.notifications.list.invalidate(), utils.notifications.unreadCount.invalidate()]);
  const markRead = api.notifications.markRead.useMutation({ onSuccess: refresh });
  const markAll = api.notifications.markAllRead.useMutation({ onSuccess: refresh });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div id={id} role="region" aria-label={t("title")} className="absolute right-0 z-40 mt-2 w-[min(24rem,calc(100vw-2rem))] rounded-xl border border-slate-200 bg-white shadow-lg">
      <div className="flex items-center justify-between border-b border-slate-200 px-4 py-2">
        <h2 className="text-sm font-semibold text-slate-900">{t("title")}</h2>
        <Button size="sm" variant="ghost" pending={markAll.isPending} disabled={items.every((n) => n.readAt)} onClick={() => markAll.mutate()}>
          {t("markAllRead")}
        </Button>
      </div>
      <div className="max-h-96 overflow-y-auto">
        {list.isPending ? (
          <p className="px-4 py-6 text-sm text-slate-600">{t("loading")}</p>
        ) : list.isError ? (
          <p role="alert" className="px-4 py-6 text-sm text-red-700">{t("error")}</p>
        ) : items.length === 0 ? (
          <p className="px-4 py-6 text-sm text-slate-600">{t("empty")}</p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {items.map((n) => (
              <NotificationItem key={n.id} item={n} onOpen={() => {
                if (!n.readAt) markRead.mutate({ id: n.id });
                onNavigate();
              }} onMarkRead={() => markRead.mutate({ id: n.id })} />
            ))}
          </ul>
        )}
        {list.hasNextPage && (
          <div className="border-t border-slate-100 p-2 text-center">
            <Button size="sm" variant="ghost" pending={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
              {t("loadMore")}
            </Button>
          </div>
        )}
      </div>
      <div className="border-t border-slate-200 px-4 py-2 text-right">
        <Link href="/settings/notifications" className="text-xs font-medium text-brand-700 hover:underline" onClick={onNavigate}>
          {t("preferences")}
        </Link>
      </div>
    </div>
  );
}

function NotificationItem({ item, onOpen, onMarkRead }: { item: Item; onOpen: () => void; onMarkRead: () => void }) {
  const t = useTranslations("notifications");
  const format = useFormatter();
  const key = `kinds.${item.kind}`;
  const text = t.has(key) ? t(key, item.params) : t("unknownKind");
  const body = (
    <>
      <span className={cn("block text-sm", item.readAt ? "text-slate-600" : "font-medium text-slate-900")}>{text}</span>
      <span className="block text-xs text-slate-500">{format.relativeTime(item.createdAt)}</span>
    </>
  );
  return (
    <li className={cn("flex items-start gap-2 px-4 py-3", !item.readAt && "bg-brand-50/40")}>
      {!item.readAt && <span className="mt-1.5 size-2 shrink-0 rounded-full bg-brand-600" aria-hidden="true" />}
      {item.link ? (
        <Link href={item.link} className="min-w-0 flex-1 hover:underline" onClick={onOpen}>
          {body}
        </Link>
      ) : (
        <div className="min-w-0 flex-1">{body}</div>
      )}
      {!item.readAt && (
        <button type="button" className="shrink-0 rounded px-1 text-xs text-slate-600 hover:bg-slate-100" onClick={onMarkRead}>
          {t("markRead")}
        </button>
      )}
    </li>
  );
}

"use client";

import { ArrowRight } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";

import { fieldClasses, Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { cn } from "~/components/ui/cn";

/**
 * What an action would change, per type (preview), and the fields to edit it before approving.
 * Payload shapes: src/server/services/actions/payloads.ts (the server validates the edit again).
 */
export type ActionTypeName =
  | "REWRITE_TITLE"
  | "COMPLETE_ATTRIBUTES"
  | "ADD_PHOTOS"
  | "ADJUST_PRICE"
  | "ENABLE_FREE_SHIPPING"
  | "RESTOCK_ALERT"
  | "PAUSE_LISTING"
  | "REWRITE_DESCRIPTION";

export type Payload = Record<string, unknown>;
type Attribute = { id: string; name: string; value: string | null };

const str = (v: unknown) => (typeof v === "string" ? v : "");
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);
const list = <T,>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

/** Is this payload still missing what only the seller can give (photos, attribute values)? */
export function needsInput(type: ActionTypeName, payload: Payload): boolean {
  if (type === "ADD_PHOTOS") return list<string>(payload.pictureUrls).length === 0;
  if (type === "COMPLETE_ATTRIBUTES") return list<Attribute>(payload.attributes).some((a) => !a.value || !a.value.trim());
  return false;
}

/** Types with something to edit. */
export function isEditable(type: ActionTypeName): boolean {
  return type !== "ENABLE_FREE_SHIPPING" && type !== "PAUSE_LISTING";
}

export function PayloadPreview({ type, payload, currency = "BRL" }: { type: ActionTypeName; payload: Payload; currency?: string }) {
  const t = useTranslations("actions.preview");
  const format = useFormatter();
  const money = (cents: number) => format.number(cents / 100, { style: "currency", currency });
  switch (type) {
    case "REWRITE_TITLE":
      return (
        <div className="flex flex-col gap-1 text-sm" data-testid="title-diff">
          <p className="text-slate-500">
            <span className="sr-only">{t("titleFrom")}: </span>
            <del className="decoration-red-400">{str(payload.previousTitle)}</del>
          </p>
          <p className="flex items-start gap-1.5 font-medium text-slate-900">
            <ArrowRight className="mt-0.5 size-4 shrink-0 text-brand-700" aria-hidden="true" />
            <span className="sr-only">{t("titleTo")}: </span>
            <ins className="no-underline" data-testid="suggested-title">{str(payload.title)}</ins>
          </p>
          <Notes notes={list<string>(payload.notes)} />
        </div>
      );
    case "REWRITE_DESCRIPTION":
      return (
        <div className="flex flex-col gap-1 text-sm">
          <p className="text-xs font-medium text-slate-600">{t("descriptionTo")}</p>
          <p className="line-clamp-4 whitespace-pre-line text-slate-900">{str(payload.description)}</p>
          <Notes notes={list<string>(payload.notes)} />
        </div>
      );
    case "ADJUST_PRICE":
      return (
        <div className="text-sm">
          <p className="font-medium text-slate-900">{t("price", { from: money(num(payload.fromCents)), to: money(num(payload.toCents)) })}</p>
          <p className="text-xs text-slate-600">{t("priceReference", { reference: money(num(payload.referenceCents)) })}</p>
        </div>
      );
    case "COMPLETE_ATTRIBUTES":
      return (
        <div className="text-sm">
          <p className="text-xs font-medium text-slate-600">{t("attributes")}</p>
          <ul className="mt-1 flex flex-wrap gap-1.5">
            {list<Attribute>(payload.attributes).map((a) => (
              <li key={a.id} className="rounded-md border border-slate-200 bg-slate-50 px-2 py-0.5">
                {a.name}: {a.value ? <strong className="font-medium">{a.value}</strong> : <em className="text-amber-800">{t("attributeMissing")}</em>}
              </li>
            ))}
          </ul>
        </div>
      );
    case "ADD_PHOTOS": {
      const urls = list<string>(payload.pictureUrls);
      return (
        <div className="text-sm">
          <p className="font-medium text-slate-900">{t("photos", { current: num(payload.currentCount), target: num(payload.targetCount) })}</p>
          {urls.length === 0 ? (
            <p className="text-xs text-amber-800">{t("noPhotoUrls")}</p>
          ) : (
            <ul className="mt-1 list-inside list-disc text-xs break-all text-slate-700">
              {urls.map((u) => (
                <li key={u}>{u}</li>
              ))}
            </ul>
          )}
        </div>
      );
    }
    case "ENABLE_FREE_SHIPPING":
      return <p className="text-sm font-medium text-slate-900">{t("freeShipping")}</p>;
    case "RESTOCK_ALERT":
      return (
        <div className="text-sm">
          <p className="font-medium text-slate-900">{t("stock", { current: num(payload.currentStock), suggested: num(payload.suggestedStock) })}</p>
          {typeof payload.daysOfCover === "number" && <p className="text-xs text-slate-600">{t("daysOfCover", { days: Math.round(payload.daysOfCover) })}</p>}
        </div>
      );
    case "PAUSE_LISTING":
      return <p className="text-sm font-medium text-slate-900">{t("pause", { days: num(payload.daysWithoutSales), visits: num(payload.visits30d) })}</p>;
  }
}

function Notes({ notes }: { notes: string[] }) {
  const t = useTranslations("actions.preview");
  if (notes.length === 0) return null;
  return <p className="text-xs text-slate-500">{t("notes", { notes: notes.join(", ") })}</p>;
}

/** The edit form's fields for one type; `onChange` receives the whole new payload. */
export function PayloadEditor({ id, type, payload, onChange }: { id: string; type: ActionTypeName; payload: Payload; onChange: (next: Payload) => void }) {
  const t = useTranslations("actions.preview");
  const set = (patch: Payload) => onChange({ ...payload, ...patch });
  switch (type) {
    case "REWRITE_TITLE": {
      const title = str(payload.title);
      const max = num(payload.maxLength) || 60;
      const over = title.length > max;
      return (
        <div className="flex flex-col gap-1">
          <Label htmlFor={`${id}-title`}>{t("titleField")}</Label>
          <Input id={`${id}-title`} data-testid="title-input" value={title} aria-invalid={over || undefined} aria-describedby={`${id}-title-count`} onChange={(e) => set({ title: e.target.value })} />
          <p id={`${id}-title-count`} className={cn("text-xs tabular-nums", over ? "font-medium text-red-700" : "text-slate-600")}>
            {t("chars", { count: title.length, max })}
            {over && ` — ${t("tooLong", { max })}`}
          </p>
        </div>
      );
    }
    case "REWRITE_DESCRIPTION":
      return (
        <div className="flex flex-col gap-1">
          <Label htmlFor={`${id}-description`}>{t("descriptionField")}</Label>
          <textarea id={`${id}-description`} rows={8} className={cn(fieldClasses, "py-2")} value={str(payload.description)} onChange={(e) => set({ description: e.target.value })} />
          <p className="text-xs text-slate-600 tabular-nums">{str(payload.description).length}</p>
        </div>
      );
    case "ADJUST_PRICE": {
      const cents = num(payload.toCents);
      return (
        <div className="flex max-w-xs flex-col gap-1">
          <Label htmlFor={`${id}-price`}>{t("priceField")}</Label>
          <Input
            id={`${id}-price`}
            type="number"
            inputMode="decimal"
            min="0.01"
            step="0.01"
            defaultValue={(cents / 100).toFixed(2)}
            // Money stays in integer cents: the typed reais are rounded to the cent once.
            onChange={(e) => set({ toCents: Math.round(Number(e.target.value.replace(",", ".")) * 100) || 0 })}
          />
        </div>
      );
    }
    case "COMPLETE_ATTRIBUTES": {
      const attributes = list<Attribute>(payload.attributes);
      return (
        <fieldset className="grid gap-2 sm:grid-cols-2">
          <legend className="mb-1 text-sm font-medium text-slate-800">{t("attributes")}</legend>
          {attributes.map((a, i) => (
            <div key={a.id} className="flex flex-col gap-1">
              <Label htmlFor={`${id}-attr-${a.id}`}>{a.name}</Label>
              <Input
                id={`${id}-attr-${a.id}`}
                value={a.value ?? ""}
                onChange={(e) => set({ attributes: attributes.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)) })}
              />
            </div>
          ))}
        </fieldset>
      );
    }
    case "ADD_PHOTOS":
      return (
        <div className="flex flex-col gap-1">
          <Label htmlFor={`${id}-photos`}>{t("photoUrls")}</Label>
          <textarea
            id={`${id}-photos`}
            rows={4}
            className={cn(fieldClasses, "py-2 font-mono text-xs")}
            defaultValue={list<string>(payload.pictureUrls).join("\n")}
            onChange={(e) => set({ pictureUrls: e.target.value.split(/\s+/).map((u) => u.trim()).filter(Boolean) })}
          />
        </div>
      );
    case "RESTOCK_ALERT":
      return (
        <div className="flex max-w-xs flex-col gap-1">
          <Label htmlFor={`${id}-stock`}>{t("stockField")}</Label>
          <Input id={`${id}-stock`} type="number" min="1" step="1" value={num(payload.suggestedStock)} onChange={(e) => set({ suggestedStock: Math.trunc(Number(e.target.value)) || 0 })} />
        </div>
      );
    default:
      return null;
  }
}

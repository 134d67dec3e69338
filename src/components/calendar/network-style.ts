import type { CalendarStatus } from "./layout";

export type Network = "INSTAGRAM" | "TIKTOK" | "YOUTUBE";
export const NETWORKS: Network[] = ["INSTAGRAM", "TIKTOK", "YOUTUBE"];

/** Each network's colour on chips (left bar) and filter toggles. */
export const NETWORK_BAR: Record<Network, string> = {
  INSTAGRAM: "border-l-pink-600",
  TIKTOK: "border-l-slate-900",
  YOUTUBE: "border-l-red-600",
};

export const NETWORK_DOT: Record<Network, string> = {
  INSTAGRAM: "bg-pink-600",
  TIKTOK: "bg-slate-900",
  YOUTUBE: "bg-red-600",
};

/** Chip background per status; the status is also written out (colour is never the only cue). */
export const STATUS_CHIP: Record<CalendarStatus, string> = {
  scheduled: "bg-sky-50 text-sky-950",
  publishing: "bg-amber-50 text-amber-950",
  published: "bg-emerald-50 text-emerald-950",
  failed: "bg-red-50 text-red-950",
  unconfirmed: "bg-violet-50 text-violet-950",
  canceled: "bg-slate-100 text-slate-600 line-through",
};

export const STATUS_TONE: Record<CalendarStatus, "info" | "warning" | "brand" | "danger" | "violet" | "neutral"> = {
  scheduled: "info",
  publishing: "warning",
  published: "brand",
  failed: "danger",
  unconfirmed: "violet",
  canceled: "neutral",
};

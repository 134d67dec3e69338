"use client";

import { useTranslations } from "next-intl";

import { cn } from "~/components/ui/cn";
import { NETWORK_DOT, NETWORKS, type Network } from "./network-style";

/** The network filter chips of the calendar and the analytics page (pressed = shown). */
export function NetworkToggles({ selected, onToggle, size = "sm" }: { selected: Network[]; onToggle: (network: Network) => void; size?: "sm" | "md" }) {
  const tNetworks = useTranslations("providers");
  return NETWORKS.map((n) => (
    <button
      key={n}
      type="button"
      aria-pressed={selected.includes(n)}
      onClick={() => onToggle(n)}
      className={cn(
        "inline-flex items-center gap-1.5 rounded-full border px-3 text-xs font-medium",
        size === "md" ? "h-9" : "py-1",
        selected.includes(n) ? "border-slate-400 bg-white text-slate-900" : "border-slate-200 bg-slate-50 text-slate-500",
      )}
    >
      <span className={cn("size-2 rounded-full", NETWORK_DOT[n], !selected.includes(n) && "opacity-30")} aria-hidden="true" />
      {tNetworks(n)}
    </button>
  ));
}

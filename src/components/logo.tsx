import { TrendingUp } from "lucide-react";
import Link from "next/link";

import { cn } from "./ui/cn";

export function Logo({ href = "/dashboard", className }: { href?: string; className?: string }) {
  return (
    <Link href={href} className={cn("flex items-center gap-2 rounded-md font-semibold text-slate-900", className)}>
      <span className="flex size-8 items-center justify-center rounded-lg bg-brand-700 text-white">
        <TrendingUp className="size-5" aria-hidden="true" />
      </span>
      <span className="text-base tracking-tight">Super Seller</span>
    </Link>
  );
}

import { cva, type VariantProps } from "class-variance-authority";

import { cn } from "./cn";

export const badgeVariants = cva("inline-flex items-center gap-1 rounded-full border px-2.5 py-0.5 text-xs font-medium whitespace-nowrap", {
  variants: {
    tone: {
      neutral: "border-slate-200 bg-slate-100 text-slate-700",
      brand: "border-brand-200 bg-brand-50 text-brand-800",
      info: "border-sky-200 bg-sky-50 text-sky-800",
      warning: "border-amber-200 bg-amber-50 text-amber-900",
      danger: "border-red-200 bg-red-50 text-red-800",
      violet: "border-violet-200 bg-violet-50 text-violet-800",
    },
  },
  defaultVariants: { tone: "neutral" },
});

export function Badge({ className, tone, ...props }: React.ComponentProps<"span"> & VariantProps<typeof badgeVariants>) {
  return <span className={cn(badgeVariants({ tone }), className)} {...props} />;
}

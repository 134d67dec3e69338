import { cva, type VariantProps } from "class-variance-authority";
import { Construction, Info, TriangleAlert, type LucideIcon } from "lucide-react";

import { cn } from "./cn";

const bannerVariants = cva("flex gap-3 rounded-xl border px-4 py-3 text-sm", {
  variants: {
    tone: {
      info: "border-sky-200 bg-sky-50 text-sky-900",
      warning: "border-amber-300 bg-amber-50 text-amber-950",
      construction: "border-amber-300 bg-amber-50 text-amber-950",
      danger: "border-red-200 bg-red-50 text-red-900",
    },
  },
  defaultVariants: { tone: "info" },
});

const ICONS: Record<NonNullable<VariantProps<typeof bannerVariants>["tone"]>, LucideIcon> = {
  info: Info,
  warning: TriangleAlert,
  construction: Construction,
  danger: TriangleAlert,
};

type BannerProps = Omit<React.ComponentProps<"div">, "title"> &
  VariantProps<typeof bannerVariants> & { title?: React.ReactNode };

export function Banner({ className, tone, title, children, ...props }: BannerProps) {
  const Icon = ICONS[tone ?? "info"];
  return (
    <div className={cn(bannerVariants({ tone }), className)} {...props}>
      <Icon className="mt-0.5 size-5 shrink-0" aria-hidden="true" />
      <div className="flex flex-col gap-0.5">
        {title && <p className="font-semibold">{title}</p>}
        {children && <div>{children}</div>}
      </div>
    </div>
  );
}

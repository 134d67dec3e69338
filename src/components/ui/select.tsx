import { ChevronDown } from "lucide-react";

import { cn } from "./cn";
import { fieldClasses } from "./input";

/** A styled native <select>: keyboard, screen-reader and mobile pickers come for free. */
export function Select({ className, children, ...props }: React.ComponentProps<"select">) {
  return (
    <div className={cn("relative", className)}>
      <select className={cn(fieldClasses, "h-10 appearance-none pr-9")} {...props}>
        {children}
      </select>
      <ChevronDown className="pointer-events-none absolute top-1/2 right-3 size-4 -translate-y-1/2 text-slate-500" aria-hidden="true" />
    </div>
  );
}

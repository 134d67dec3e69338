import { cn } from "./cn";

/** The wrapper scrolls sideways on narrow screens instead of squeezing columns unreadably. */
export function Table({ className, ...props }: React.ComponentProps<"table">) {
  return (
    <div className="relative w-full overflow-x-auto">
      <table className={cn("w-full border-collapse text-left text-sm", className)} {...props} />
    </div>
  );
}

export function THead({ className, ...props }: React.ComponentProps<"thead">) {
  return <thead className={cn("bg-slate-50 text-xs tracking-wide text-slate-600 uppercase", className)} {...props} />;
}

export function TBody({ className, ...props }: React.ComponentProps<"tbody">) {
  return <tbody className={cn("divide-y divide-slate-100", className)} {...props} />;
}

export function TR({ className, ...props }: React.ComponentProps<"tr">) {
  return <tr className={cn("align-middle", className)} {...props} />;
}

export function TH({ className, scope = "col", ...props }: React.ComponentProps<"th">) {
  return <th scope={scope} className={cn("px-4 py-2.5 font-semibold whitespace-nowrap", className)} {...props} />;
}

export function TD({ className, ...props }: React.ComponentProps<"td">) {
  return <td className={cn("px-4 py-3 text-slate-800", className)} {...props} />;
}

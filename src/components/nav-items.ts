import {
  CalendarDays,
  CreditCard,
  FileText,
  Gauge,
  LayoutDashboard,
  ListChecks,
  Package,
  Plug,
  ScrollText,
  Store,
  Timer,
  Users,
  type LucideIcon,
} from "lucide-react";

export type NavItem = {
  href: string;
  /** Key under `nav` in messages. */
  label: "dashboard" | "listings" | "scores" | "actions" | "content" | "calendar" | "organization" | "members" | "connections" | "billing" | "audit" | "jobs";
  icon: LucideIcon;
  /** Shown only to roles holding this permission (src/server/auth/permissions.ts). */
  permission?: string;
};

export type NavGroup = { label: "seller" | "social" | "settings" | null; items: NavItem[] };

export const NAV_GROUPS: NavGroup[] = [
  { label: null, items: [{ href: "/dashboard", label: "dashboard", icon: LayoutDashboard }] },
  {
    label: "seller",
    items: [
      { href: "/seller/listings", label: "listings", icon: Package },
      { href: "/seller/scores", label: "scores", icon: Gauge },
      { href: "/seller/actions", label: "actions", icon: ListChecks },
    ],
  },
  {
    label: "social",
    items: [
      { href: "/social/content", label: "content", icon: FileText },
      { href: "/social/calendar", label: "calendar", icon: CalendarDays },
    ],
  },
  {
    label: "settings",
    items: [
      { href: "/settings/organization", label: "organization", icon: Store },
      { href: "/settings/members", label: "members", icon: Users },
      { href: "/settings/connections", label: "connections", icon: Plug },
      // The plan is only readable by owners and managers: do not offer a page that will refuse.
      { href: "/settings/billing", label: "billing", icon: CreditCard, permission: "billing:read" },
      { href: "/settings/audit", label: "audit", icon: ScrollText, permission: "audit:read" },
      { href: "/settings/jobs", label: "jobs", icon: Timer, permission: "jobs:read" },
    ],
  },
];

export function isActive(pathname: string, href: string): boolean {
  return pathname === href || pathname.startsWith(`${href}/`);
}

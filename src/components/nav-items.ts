import {
  Archive,
  BarChart3,
  Bell,
  Bot,
  CalendarDays,
  CreditCard,
  FileText,
  Flag,
  Gauge,
  KeyRound,
  ShieldCheck,
  Lock,
  LayoutDashboard,
  ListChecks,
  MessagesSquare,
  Package,
  Plug,
  ScrollText,
  Search,
  Send,
  Store,
  Timer,
  Users,
  Webhook,
  type LucideIcon,
} from "lucide-react";

export type NavItem = {
  href: string;
  /** Key under `nav` in messages. */
  label:
    | "dashboard"
    | "listings"
    | "scores"
    | "actions"
    | "content"
    | "campaigns"
    | "calendar"
    | "publications"
    | "analytics"
    | "inbox"
    | "automations"
    | "organization"
    | "members"
    | "connections"
    | "archive"
    | "billing"
    | "audit"
    | "jobs"
    | "apiKeys"
    | "webhooks"
    | "security"
    | "notifications"
    | "privacy"
    | "search";
  icon: LucideIcon;
  /** Shown only to roles holding this permission (src/server/auth/permissions.ts). */
  permission?: string;
};

export type NavGroup = { label: "seller" | "social" | "settings" | null; items: NavItem[] };

export const NAV_GROUPS: NavGroup[] = [
  {
    label: null,
    items: [
      { href: "/dashboard", label: "dashboard", icon: LayoutDashboard },
      // Semantic search over listings and content (docs/semantic-search.md).
      { href: "/search", label: "search", icon: Search, permission: "listings:read" },
    ],
  },
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
      { href: "/social/campaigns", label: "campaigns", icon: Flag },
      { href: "/social/calendar", label: "calendar", icon: CalendarDays },
      { href: "/social/publications", label: "publications", icon: Send },
      { href: "/social/analytics", label: "analytics", icon: BarChart3 },
      { href: "/social/inbox", label: "inbox", icon: MessagesSquare },
      { href: "/social/automations", label: "automations", icon: Bot },
    ],
  },
  {
    label: "settings",
    items: [
      { href: "/settings/organization", label: "organization", icon: Store },
      { href: "/settings/members", label: "members", icon: Users },
      { href: "/settings/connections", label: "connections", icon: Plug },
      // Raw archive of fetched provider data: owners and managers, like the connections it comes from.
      { href: "/settings/archive", label: "archive", icon: Archive, permission: "connections:manage" },
      // The plan is only readable by owners and managers: do not offer a page that will refuse.
      { href: "/settings/billing", label: "billing", icon: CreditCard, permission: "billing:read" },
      { href: "/settings/audit", label: "audit", icon: ScrollText, permission: "audit:read" },
      { href: "/settings/jobs", label: "jobs", icon: Timer, permission: "jobs:read" },
      { href: "/settings/api-keys", label: "apiKeys", icon: KeyRound, permission: "developers:manage" },
      { href: "/settings/webhooks", label: "webhooks", icon: Webhook, permission: "developers:manage" },
      // The person's own account: every member has one.
      { href: "/settings/security", label: "security", icon: ShieldCheck },
      { href: "/settings/notifications", label: "notifications", icon: Bell },
      { href: "/settings/privacy", label: "privacy", icon: Lock },
    ],
  },
];

export function isActive(pathname: string, href: string): boolean {
  return pathname === href || pathname.startsWith(`${href}/`);
}

import { PlatformBanners } from "~/components/platform-banners";
import { PublicFrame } from "~/components/public-frame";
import { platformView } from "~/server/services/platform/view";

export default async function AuthLayout({ children }: { children: React.ReactNode }) {
  // Sign-in keeps working during maintenance; the banner says why changes may be refused.
  const platform = await platformView({ userId: null, organizationId: null });
  return (
    <PublicFrame>
      <PlatformBanners maintenance={platform.maintenance} className="mb-4 flex flex-col gap-3" />
      {children}
    </PublicFrame>
  );
}

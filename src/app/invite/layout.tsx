import { PublicFrame } from "~/components/public-frame";

export default function InviteLayout({ children }: { children: React.ReactNode }) {
  return <PublicFrame>{children}</PublicFrame>;
}

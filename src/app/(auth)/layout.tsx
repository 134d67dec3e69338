import { PublicFrame } from "~/components/public-frame";

export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return <PublicFrame>{children}</PublicFrame>;
}

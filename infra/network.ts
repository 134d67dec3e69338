/**
 * The VPC: public subnets (the NAT only) and private subnets for the database, the
 * app's functions and the migrator. The functions call the marketplaces, Stripe, Inngest and the
 * AI provider, so the private subnets need a NAT (docs/deploy.md "Cost").
 *
 * Production: AWS's managed NAT gateway (one per AZ, highly available, no instance to patch).
 * Other stages: SST's EC2 NAT (fck-nat on a t4g.nano), about a tenth of the price.
 */
export function createNetwork({ isProduction }: { isProduction: boolean }) {
  const vpc = new sst.aws.Vpc("Vpc", {
    az: 2,
    nat: isProduction ? "managed" : "ec2",
    bastion: false,
  });
  return { vpc };
}

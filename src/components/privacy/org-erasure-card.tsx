import { UnderConstruction } from "~/components/under-construction";

// Placeholder until this card is built (issue 10); replaced by its owner.
export function OrgErasureCard() {
  return <UnderConstruction>OrgErasureCard</UnderConstruction>;
}

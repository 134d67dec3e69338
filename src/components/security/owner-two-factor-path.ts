/** Where an owner turns on the two-factor authentication their organization requires (the one page the gate leaves open). */
export const OWNER_TWO_FACTOR_SETUP_PATH = "/settings/security";

import "server-only";

import { env } from "~/env";
import { decryptSecret, encryptSecret, parseKey, type KeyRing } from "./crypto";

let ring: KeyRing | undefined;

/** The process's key ring: TOKEN_ENCRYPTION_KEY (current) + TOKEN_ENCRYPTION_PREVIOUS_KEYS. */
export function keyRing(): KeyRing {
  ring ??= {
    current: parseKey(env.TOKEN_ENCRYPTION_KEY),
    previous: (env.TOKEN_ENCRYPTION_PREVIOUS_KEYS ?? "")
      .split(",")
      .map((k) => k.trim())
      .filter(Boolean)
      .map(parseKey),
  };
  return ring;
}

export const encrypt = (plaintext: string) => encryptSecret(plaintext, keyRing());
export const decrypt = (ciphertext: string) => decryptSecret(ciphertext, keyRing());

/**
 * Replaces the key ring (tests rotate keys with it); `null` goes back to the ring from the
 * environment. Production code never calls this.
 */
export function setKeyRing(next: KeyRing | null): void {
  ring = next ?? undefined;
}

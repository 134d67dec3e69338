"use client";

import { useEffect, useRef } from "react";

/**
 * After a failed submit, moves focus to the first field marked invalid, so keyboard and
 * screen-reader users land on the problem instead of hunting for it.
 */
export function useFocusFirstInvalid(trigger: unknown) {
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (!trigger) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [trigger]);
  return formRef;
}

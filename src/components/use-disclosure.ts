"use client";

import { useCallback, useEffect, useId, useRef, useState } from "react";

/**
 * Open/close state for a button-controlled panel (menus in the top bar): Escape closes it and
 * puts focus back on the button, a click or focus outside closes it — what people expect of a
 * dropdown, without the arrow-key contract of role="menu" (the panels hold ordinary buttons/links).
 *
 * Wire it as: container `ref={containerRef}`, button `ref={buttonRef}` + `aria-expanded={open}`
 * + `aria-controls={panelId}` + `onClick={toggle}`, panel `id={panelId}` + `hidden={!open}`.
 */
export function useDisclosure() {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const containerRef = useRef<HTMLDivElement>(null);

  const close = useCallback((restoreFocus = false) => {
    setOpen(false);
    if (restoreFocus) buttonRef.current?.focus();
  }, []);
  const toggle = useCallback(() => setOpen((value) => !value), []);

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") close(true);
    };
    const onOutside = (event: Event) => {
      if (!containerRef.current?.contains(event.target as Node)) close();
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", onOutside);
    document.addEventListener("focusin", onOutside);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onOutside);
      document.removeEventListener("focusin", onOutside);
    };
  }, [open, close]);

  return { open, close, toggle, panelId, buttonRef, containerRef };
}

"use client";

import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from "react";

// One clock for the inbox: relative times, day separators and the reply window all read it. The
// server renders with its own "now" in UTC; once hydrated the browser uses its clock and time zone.

interface Clock {
  now: number;
  /** undefined = the browser's own zone. */
  timeZone: string | undefined;
}

const ClockContext = createContext<Clock>({ now: 0, timeZone: "UTC" });

const noopSubscribe = () => () => undefined;

/** False while rendering on the server and hydrating, true after. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noopSubscribe,
    () => true,
    () => false,
  );
}

export function ClockProvider({ serverNow, children }: { serverNow: number; children: ReactNode }) {
  const hydrated = useHydrated();
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    const tick = () => setNow(Date.now());
    const first = setTimeout(tick, 0);
    const timer = setInterval(tick, 30_000);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, []);
  return <ClockContext.Provider value={{ now, timeZone: hydrated ? undefined : "UTC" }}>{children}</ClockContext.Provider>;
}

export function useClock(): Clock {
  return useContext(ClockContext);
}

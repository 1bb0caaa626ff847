"use client";

import { createContext, useContext, useEffect, useRef, useSyncExternalStore, type ReactNode } from "react";
import {
  getRealtimeClient,
  type ClientEventMap,
  type ClientEventType,
  type RealtimeClient,
  type RealtimeStatus as Status,
} from "@/lib/realtime/client";

// Live updates for the signed-in part of the app: the provider keeps the tab's one connection open
// while mounted; components listen with useRealtimeEvent and show useRealtimeStatus.

const RealtimeContext = createContext<RealtimeClient | null>(null);

// StrictMode and quick route changes unmount and remount providers; closing only after a pause keeps
// the one connection instead of dropping and re-opening it.
const STOP_DELAY_MS = 2_000;
let mounted = 0;
let stopTimer: ReturnType<typeof setTimeout> | undefined;

export function RealtimeProvider({ children, client }: { children: ReactNode; client?: RealtimeClient }) {
  const value = client ?? (typeof window === "undefined" ? null : getRealtimeClient());
  useEffect(() => {
    if (!value) return;
    mounted += 1;
    clearTimeout(stopTimer);
    value.start();
    return () => {
      mounted -= 1;
      if (mounted === 0) stopTimer = setTimeout(() => value.stop(), STOP_DELAY_MS);
    };
  }, [value]);
  return <RealtimeContext.Provider value={value}>{children}</RealtimeContext.Provider>;
}

function useClient(): RealtimeClient | null {
  return useContext(RealtimeContext);
}

/** Calls `handler` for every event of `type` (replayed ones after a reconnection included, each once). */
export function useRealtimeEvent<T extends ClientEventType>(type: T, handler: (event: ClientEventMap[T]) => void): void {
  const client = useClient();
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => {
    if (!client) return;
    return client.subscribe(type, (event) => latest.current(event));
  }, [client, type]);
}

const noop = () => () => undefined;

export function useRealtimeStatus(): Status {
  const client = useClient();
  return useSyncExternalStore(
    client?.onStatus ?? noop,
    () => client?.getStatus() ?? "connecting",
    () => "connecting",
  );
}

import { useSyncExternalStore } from "react";

function assinar(ouvinte: () => void): () => void {
  window.addEventListener("online", ouvinte);
  window.addEventListener("offline", ouvinte);
  return () => {
    window.removeEventListener("online", ouvinte);
    window.removeEventListener("offline", ouvinte);
  };
}

function online(): boolean {
  return navigator.onLine;
}

/** Whether the browser has a network at all (`navigator.onLine`, kept by its events). */
export function useOnline(): boolean {
  return useSyncExternalStore(assinar, online, () => true);
}

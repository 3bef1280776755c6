// What every page needs: the API client and who the caller is (their pages and the words for choices).
import { createContext, useContext } from "react";
import type { ApiClient } from "../api/client";
import type { Meta } from "../api/types";

export interface PortalContext {
  api: ApiClient;
  meta: Meta;
}

export const Portal = createContext<PortalContext | undefined>(undefined);

export function usePortal(): PortalContext {
  const value = useContext(Portal);
  if (!value) throw new Error("usePortal outside the signed-in app");
  return value;
}

/** Label for a choice id, from the server's words. */
export function labelOf(list: { id: string; label: string }[], id: string | undefined): string {
  return list.find((c) => c.id === id)?.label ?? id ?? "";
}

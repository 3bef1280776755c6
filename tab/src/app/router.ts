// Hash routes (#/register, #/subjects/<id>): the server serves one page for the whole tab, Teams keeps the hash in
// a channel tab's content URL, and nothing personal is ever in the path (ids only).
import { useEffect, useState } from "react";

export type Route =
  | { page: "home" }
  | { page: "report" }
  | { page: "register" }
  | { page: "subject"; id: string }
  | { page: "case"; id: string }
  | { page: "panel" }
  | { page: "reviews" }
  | { page: "access" }
  | { page: "audit"; subjectId?: string }
  | { page: "settings" }
  | { page: "lifecycle"; section?: string }
  | { page: "not-found" };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, "").replace(/\/+$/, "") || "/";
  const parts = path.split("/").filter(Boolean).map((p) => decodeURIComponent(p));
  const [first, second] = parts;
  switch (first) {
    case undefined: return { page: "home" };
    case "report": return { page: "report" };
    case "register": return { page: "register" };
    case "subjects": return second ? { page: "subject", id: second } : { page: "register" };
    case "cases": return second ? { page: "case", id: second } : { page: "panel" };
    case "panel": return { page: "panel" };
    case "reviews": return { page: "reviews" };
    case "access": return { page: "access" };
    case "audit": return second ? { page: "audit", subjectId: second } : { page: "audit" };
    case "settings": return { page: "settings" };
    case "lifecycle": return second ? { page: "lifecycle", section: second } : { page: "lifecycle" };
    default: return { page: "not-found" };
  }
}

export function href(route: Route): string {
  switch (route.page) {
    case "home": return "#/";
    case "subject": return `#/subjects/${encodeURIComponent(route.id)}`;
    case "case": return `#/cases/${encodeURIComponent(route.id)}`;
    case "audit": return route.subjectId ? `#/audit/${encodeURIComponent(route.subjectId)}` : "#/audit";
    case "lifecycle": return route.section ? `#/lifecycle/${encodeURIComponent(route.section)}` : "#/lifecycle";
    case "not-found": return "#/";
    default: return `#/${route.page}`;
  }
}

export function navigate(route: Route): void {
  window.location.hash = href(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}

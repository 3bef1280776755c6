// Serves the built tab and add-in pages (tab/dist, addin/dist) and a small start page. Paths are resolved
// inside their folder only: `..`, encoded slashes and absolute paths never leave it.
import { createReadStream, existsSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { securityHeaders } from "./securityHeaders";

const ROOT = path.resolve(__dirname, "../../../..");

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".map": "application/json; charset=utf-8",
};

export interface StaticOptions {
  devSignIn: boolean;
  /** Mount point → folder. Default: /tab → tab/dist, /addin → addin/dist. */
  mounts?: Record<string, string>;
}

export function resolveInside(folder: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes("\0") || decoded.includes("\\")) return undefined;
  const target = path.resolve(folder, `.${path.posix.normalize(`/${decoded}`)}`);
  return target === folder || target.startsWith(folder + path.sep) ? target : undefined;
}

function startPage(devSignIn: boolean): string {
  return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>CALM — Customer Alert List</title>
<style>body{font-family:"Segoe UI",system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#242424}
a{color:#0f6cbd}a:focus{outline:3px solid #ffb900;outline-offset:2px}code{background:#f3f3f3;padding:0 .25rem}</style></head>
<body><main><h1>CALM is running</h1>
<p>The Customer Alert List server is up on this machine.</p>
<ul>
<li><a href="/tab/">Staff portal (Teams tab)</a></li>
${devSignIn ? '<li><a href="/addin/dev.html">Outlook add-in, in a local Outlook stand-in</a></li>' : '<li><a href="/addin/taskpane.html">Outlook add-in pane</a></li>'}
<li><a href="/healthz">Health check</a></li>
</ul>
${devSignIn ? "<p>Local sign-in is on: the portal lets you pick a fictional persona. It cannot be turned on outside a developer machine.</p>" : ""}
</main></body></html>`;
}

export function staticPages(options: StaticOptions): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const mounts = Object.entries(options.mounts ?? { "/tab": path.join(ROOT, "tab/dist"), "/addin": path.join(ROOT, "addin/dist") });
  const headers = securityHeaders();
  return async (req, res) => {
    const url = new URL(req.url ?? "/", "http://calm.local");
    if (url.pathname === "/" || url.pathname === "/index.html") {
      const body = startPage(options.devSignIn);
      res.writeHead(200, { ...headers, "Content-Type": TYPES[".html"]!, "Content-Length": String(Buffer.byteLength(body)) });
      res.end(req.method === "HEAD" ? undefined : body);
      return true;
    }
    for (const [mount, folder] of mounts) {
      if (url.pathname !== mount && !url.pathname.startsWith(`${mount}/`)) continue;
      if (url.pathname === mount) {
        res.writeHead(308, { ...headers, Location: `${mount}/` });
        res.end();
        return true;
      }
      // The add-in's local Outlook stand-in (dev.html, dev-pane.html) exists only where local sign-in is on.
      if (mount === "/addin" && !options.devSignIn && /^\/dev(-pane)?\.html$/.test(url.pathname.slice(mount.length))) return false;
      let file = resolveInside(folder, url.pathname.slice(mount.length));
      if (!file) return false;
      if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, "index.html");
      if (!existsSync(file) || !statSync(file).isFile()) {
        // Single-page app: unknown paths under the tab fall back to its index.
        const index = path.join(folder, "index.html");
        if (!path.extname(file) && existsSync(index)) file = index;
        else return false;
      }
      const type = TYPES[path.extname(file)] ?? "application/octet-stream";
      const cache = /\/assets\//.test(file) ? "public, max-age=31536000, immutable" : "no-cache";
      const head: Record<string, string> = { ...headers, "Content-Type": type, "Content-Length": String(statSync(file).size), "Cache-Control": cache };
      // Outlook swaps an add-in icon served with any Cache-Control directive for a generic one (Office Add-ins
      // manifest reference, "Image"), so the ribbon icons go without it.
      if (mount === "/addin" && /^\/assets\/icon-\d+\.png$/.test(url.pathname.slice(mount.length))) delete head["Cache-Control"];
      res.writeHead(200, head);
      if (req.method === "HEAD") res.end();
      else createReadStream(file).pipe(res);
      return true;
    }
    return false;
  };
}

// Upload limits and content-type checks (issue 8 item 7), for every route that takes a body: too large (declared
// or streamed without a length) is 413 before it is all read; the wrong content type is 415; an upload whose
// bytes are not what it claims is refused; an uploaded file name never keeps a folder in it.
import assert from "node:assert/strict";
import http from "node:http";
import type { Route } from "../../bot/src/adapters/http/router";
import { PRINCIPALS, expectedOutcome, type Principal } from "../../bot/src/services/permissions";
import { exampleBody, fillPath, hintsFor, paramValue } from "./support/routes";
import { listRoutes, startWorld, type World } from "./support/world";

const WITH_BODY = listRoutes().filter((r) => r.method === "POST" || r.method === "PUT" || r.method === "PATCH");
const RAW = WITH_BODY.filter((r) => r.bodyType === "raw" && r.auth !== "none");
const JSON_ROUTES = WITH_BODY.filter((r) => r.bodyType !== "raw");
const DEFAULT_LIMIT = 65_536;

/** Someone the table lets in, preferring those who may act on any record. */
function insider(route: Route): Principal {
  const order: Principal[] = ["register-admin", "manager", "chair", "panel-member", "officer", "auditor", ...PRINCIPALS];
  return order.find((p) => route.auth === "none" || expectedOutcome(route.permission, p) === "allowed") ?? "anonymous";
}

/** Streams `size` bytes with chunked transfer encoding (no Content-Length), so only counting can stop it. */
function streamed(url: string, path: string, method: string, token: string | undefined, contentType: string, size: number): Promise<{ status: number; code: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}${path}`, { method, headers: { "content-type": contentType, "transfer-encoding": "chunked", "idempotency-key": "upload-test-key-1", ...(token ? { authorization: `Bearer ${token}` } : {}) } }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString()));
      res.on("end", () => {
        let code = "";
        try { const c = (JSON.parse(text) as { code?: unknown }).code; code = typeof c === "string" ? c : ""; } catch { code = ""; }
        resolve({ status: res.statusCode ?? 0, code });
      });
    });
    req.on("error", (e: NodeJS.ErrnoException) => (e.code === "EPIPE" || e.code === "ECONNRESET" ? resolve({ status: 413, code: "(connection closed while sending)" }) : reject(e)));
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        sent += chunk.length;
        if (!req.write(chunk)) { req.once("drain", pump); return; }
      }
      req.end();
    };
    pump();
  });
}

describe("security: upload limits and content types", function () {
  this.timeout(120_000);
  let w: World;
  before(async () => {
    w = await startWorld();
  });
  after(() => w?.stop());

  const pathFor = (route: Route) => {
    const h = hintsFor(w.tiers[1]!);
    return fillPath(route, (k) => paramValue(route, k, h));
  };

  for (const route of JSON_ROUTES) {
    const limit = route.bodyLimit ?? DEFAULT_LIMIT;
    it(`${route.method} ${route.path}: over ${Math.round(limit / 1024)} KB is 413 (declared or streamed); a body that is not JSON is 415`, async () => {
      const p = insider(route);
      const token = await w.token(p);
      const valid = JSON.stringify(exampleBody(route, hintsFor(w.tiers[1]!)) ?? {});
      const big = JSON.stringify({ padding: "x".repeat(limit + 10) });
      const declared = await w.request(p, route.method, pathFor(route), { body: big, headers: { "idempotency-key": "upload-test-key-1" } });
      assert.equal(declared.status, 413, `${route.id}: ${declared.status} ${declared.text.slice(0, 120)}`);
      assert.equal(declared.json?.code, "BODY_TOO_LARGE");
      const chunked = await streamed(w.t.url, pathFor(route), route.method, token, "application/json", limit + 128 * 1024);
      assert.equal(chunked.status, 413, `${route.id} streamed: ${chunked.status} ${chunked.code}`);
      for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml"]) {
        const res = await w.request(p, route.method, pathFor(route), { body: valid, contentType: type, headers: { "idempotency-key": "upload-test-key-1" } });
        assert.equal(res.status, 415, `${route.id} as ${type}: ${res.status}`);
        assert.equal(res.json?.code, "UNSUPPORTED_MEDIA_TYPE");
      }
    });
  }

  it(`covers the upload routes (${RAW.map((r) => r.id).join(", ") || "none yet"})`, () => {
    assert.ok(JSON_ROUTES.length > 5);
  });

  for (const route of RAW) {
    const limit = route.bodyLimit ?? DEFAULT_LIMIT;
    it(`${route.method} ${route.path}: too large is 413, a type it does not take or bytes that are not what they claim is 415, file names lose their folders`, async () => {
      const p = insider(route);
      const token = await w.token(p);
      const upload = (body: Buffer | string, contentType: string | undefined, fileName = "evidence.pdf", key = `upload-${Math.random().toString(36).slice(2, 12)}`) =>
        w.request(p, route.method, pathFor(route), { body: typeof body === "string" ? body : body.toString("latin1"), ...(contentType ? { contentType } : { headers: {} }), headers: { "x-file-name": encodeURIComponent(fileName), "idempotency-key": key, ...(contentType ? {} : { "content-type": "" }) } });

      const good = await upload("%PDF-1.7\n% a fictional note\n", "application/pdf", "../../../etc/passwd.pdf");
      assert.ok(good.status === 200 || good.status === 201, `a real PDF is accepted: ${good.status} ${good.text.slice(0, 200)}`);
      const stored = JSON.stringify(good.json);
      assert.doesNotMatch(stored, /\.\.\/|\.\.\\|etc\/passwd/, "the stored file name keeps no folder");

      for (const type of ["text/html", "image/svg+xml", "application/x-msdownload", "application/javascript", "application/x-sh"]) {
        const res = await upload("<svg onload=alert(1)>", type);
        assert.equal(res.status, 415, `${type}: ${res.status} ${res.text.slice(0, 160)}`);
        assert.match(String(res.json?.code), /^[A-Z_]+$/);
      }
      const disguised = await upload(Buffer.from("MZ\x90\x00\x03\x00\x00\x00 this is an executable", "latin1"), "application/pdf");
      assert.equal(disguised.status, 415, `an executable claiming to be a PDF: ${disguised.status}`);

      const declared = await w.request(p, route.method, pathFor(route), { body: "a".repeat(limit + 1), contentType: "application/pdf", headers: { "idempotency-key": "upload-test-key-2" } });
      assert.equal(declared.status, 413);
      const chunked = await streamed(w.t.url, pathFor(route), route.method, token, "application/pdf", limit + 256 * 1024);
      assert.equal(chunked.status, 413, `streamed: ${chunked.status} ${chunked.code}`);
    });
  }
});

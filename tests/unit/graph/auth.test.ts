// Where the Graph token comes from: cached until near expiry, one refresh shared by concurrent callers,
// and a credential failure that says what to fix (never retried as if it were a network blip).
import assert from "node:assert/strict";
import { cachedTokenFunction, createGraphMail, GraphCredentialError } from "../../../bot/src/adapters/graph";
import { GraphError } from "../../../bot/src/ports/graph";
import { startSim } from "../../support/graphSimulator/harness";

describe("Graph token", () => {
  it("is fetched once for a burst of callers and again only near its expiry", async () => {
    let now = 1_000_000;
    let fetched = 0;
    const token = cachedTokenFunction(async () => {
      fetched += 1;
      await new Promise((r) => setTimeout(r, 5));
      return { value: `t${fetched}`, expiresAt: now + 60 * 60_000 };
    }, () => now);
    assert.deepEqual(await Promise.all([token(), token(), token()]), ["t1", "t1", "t1"]);
    now += 50 * 60_000;
    assert.equal(await token(), "t1");
    now += 6 * 60_000; // within five minutes of expiry
    assert.equal(await token(), "t2");
    assert.equal(fetched, 2);
  });

  it("a credential failure becomes GRAPH_UNAUTHORIZED with a next step, not a retried network error", async () => {
    const sim = await startSim();
    const graph = createGraphMail({ baseUrl: sim.baseUrl, getToken: () => Promise.reject(new GraphCredentialError()), ratePerSecond: 100 });
    try {
      await assert.rejects(graph.getUser("anyone@example.org"), (e: unknown) => e instanceof GraphError && e.code === "GRAPH_UNAUTHORIZED" && !e.retryable && /administrator/.test(e.message));
      assert.equal(graph.stats().retries, 0);
      assert.equal(sim.stats().httpRequests, 0, "nothing was sent without a token");
    } finally {
      graph.close();
      await sim.stop();
    }
  });
});

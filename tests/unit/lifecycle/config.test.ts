// The lifecycle scheduler's settings: on by default every minute; off, or another interval, by configuration;
// a bad value stops the server with the variable named.
import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../../../bot/src/config";

describe("config: the lifecycle scheduler", () => {
  it("runs every minute by default, on every instance, named by App Service's instance id", () => {
    assert.deepEqual(loadConfig({}).lifecycle, { schedulerEnabled: true, schedulerIntervalMs: 60_000, instanceId: undefined });
    assert.deepEqual(loadConfig({ CALM_SCHEDULER: "off", CALM_SCHEDULER_INTERVAL_MS: "30000", WEBSITE_INSTANCE_ID: "abc123" }).lifecycle, { schedulerEnabled: false, schedulerIntervalMs: 30_000, instanceId: "abc123" });
  });
  it("refuses an interval under five seconds or a setting that is not on or off", () => {
    assert.throws(() => loadConfig({ CALM_SCHEDULER_INTERVAL_MS: "100" }), (e: unknown) => e instanceof ConfigError && /CALM_SCHEDULER_INTERVAL_MS/.test(e.message));
    assert.throws(() => loadConfig({ CALM_SCHEDULER: "maybe" }), (e: unknown) => e instanceof ConfigError && /CALM_SCHEDULER/.test(e.message));
  });
});

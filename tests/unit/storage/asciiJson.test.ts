// Bodies for the local emulator go out as ASCII JSON (bot/src/adapters/tables/gateway.ts): the same value, in
// bytes a 64 KiB cut can never split inside a character.
import assert from "node:assert/strict";
import { asciiJson } from "../../../bot/src/adapters/tables/gateway";

describe("asciiJson: what CALM sends Azurite", () => {
  it("keeps every value exactly, emoji, accents and Welsh included, in ASCII only", () => {
    const value = { note: "Caller 🙂 said “ffôn” ü\u2028 end", path: "a\\b \"quoted\"", n: 3, list: ["Ŵ", "ŷ", "😀😀"] };
    const text = asciiJson(JSON.stringify(value));
    assert.match(text, /^[\x20-\x7e]*$/);
    assert.deepEqual(JSON.parse(text), value);
  });

  it("leaves ASCII text as it is", () => {
    const text = JSON.stringify({ note: "Plain text, \"quoted\", back\\slash" });
    assert.equal(asciiJson(text), text);
  });
});

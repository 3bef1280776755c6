// The tiny PNG writer/reader behind the icons, and the icons themselves: sizes Teams requires, an outline
// icon that is white on transparent only, and committed files that match what the drawing code produces.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { deflateSync, inflateSync } from "node:zlib";
import {
  addinIcon, colourIcon, crc32, createImage, decodePng, encodePng, insideShield, outlineIcon, readPngInfo,
} from "../../../scripts/support/png";
import { ADDIN_ICON_SIZES, APP_PACKAGE_DIR } from "../../../scripts/package";

function pixel(image: { width: number; data: Uint8Array }, x: number, y: number): number[] {
  const o = (y * image.width + x) * 4;
  return [...image.data.subarray(o, o + 4)];
}

/** Re-encodes an RGBA PNG with one filter type on every row, to exercise the reader's unfiltering. */
function refilter(png: Buffer, filter: number): Buffer {
  const image = decodePng(png);
  const stride = image.width * 4;
  const rows: Buffer[] = [];
  const prev = new Uint8Array(stride);
  for (let y = 0; y < image.height; y++) {
    const row = image.data.subarray(y * stride, (y + 1) * stride);
    const out = Buffer.alloc(stride + 1);
    out[0] = filter;
    for (let i = 0; i < stride; i++) {
      const left = i >= 4 ? row[i - 4]! : 0, up = prev[i]!, upLeft = i >= 4 ? prev[i - 4]! : 0;
      const p = left + up - upLeft;
      const pa = Math.abs(p - left), pb = Math.abs(p - up), pc = Math.abs(p - upLeft);
      const predictor = [0, left, up, (left + up) >> 1, pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft][filter]!;
      out[i + 1] = (row[i]! - predictor) & 0xff;
    }
    prev.set(row);
    rows.push(out);
  }
  const original = encodePng(image);
  // Swap the IDAT chunk for the re-filtered data: signature + IHDR are the first 33 bytes, IEND the last 12.
  const body = deflateSync(Buffer.concat(rows));
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write("IDAT", 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0);
  return Buffer.concat([original.subarray(0, 33), head, body, crc, original.subarray(original.length - 12)]);
}

describe("app package: PNG writer and icons", () => {
  it("computes the standard CRC-32", () => {
    assert.equal(crc32(Buffer.from("123456789", "ascii")), 0xcbf43926);
  });

  it("round-trips an RGBA image", () => {
    const image = createImage(3, 2);
    image.data.set([255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 0, 1, 2, 3, 4, 250, 251, 252, 253, 9, 8, 7, 6]);
    const png = encodePng(image);
    assert.deepEqual(readPngInfo(png), { width: 3, height: 2, bitDepth: 8, colourType: 6 });
    assert.deepEqual(decodePng(png), image);
    const raw = inflateSync(png.subarray(41, png.length - 16));
    assert.equal(raw.length, (3 * 4 + 1) * 2, "one filter byte per row");
  });

  for (const filter of [1, 2, 3, 4]) {
    it(`reads rows written with filter type ${filter}`, () => {
      const original = encodePng(addinIcon(16));
      assert.deepEqual(decodePng(refilter(original, filter)).data, decodePng(original).data);
    });
  }

  it("refuses a damaged file with a named error", () => {
    const png = encodePng(outlineIcon(8));
    const damaged = Buffer.from(png);
    damaged[40] = (damaged[40]! + 1) & 0xff;
    assert.throws(() => decodePng(damaged), /PNG_BAD_CRC/);
    assert.throws(() => readPngInfo(Buffer.from("not a png")), /PNG_NOT_PNG/);
  });

  it("the shield is a closed shape: inside at the centre, outside at the corners", () => {
    assert.equal(insideShield(0.5, 0.5), true);
    for (const [x, y] of [[0.02, 0.02], [0.98, 0.02], [0.02, 0.98], [0.98, 0.98]] as const) assert.equal(insideShield(x, y), false);
    assert.equal(insideShield(0.5, 0.5, 0.1), true, "the inset panel is inside too");
  });

  describe("the committed icons", () => {
    const colour = readFileSync(path.join(APP_PACKAGE_DIR, "color.png"));
    const outline = readFileSync(path.join(APP_PACKAGE_DIR, "outline.png"));

    it("colour icon: 192x192, fully opaque, teal background with a white shield", () => {
      const image = decodePng(colour);
      assert.equal(image.width, 192);
      assert.equal(image.height, 192);
      for (let i = 3; i < image.data.length; i += 4) assert.equal(image.data[i], 255);
      assert.deepEqual(pixel(image, 2, 2), [0x0f, 0x76, 0x6e, 255]);
    });

    it("outline icon: 32x32, only white pixels on transparency", () => {
      const image = decodePng(outline);
      assert.equal(image.width, 32);
      assert.equal(image.height, 32);
      let opaque = 0;
      for (let i = 0; i < image.data.length; i += 4) {
        if (image.data[i + 3] === 0) continue;
        opaque++;
        assert.deepEqual([...image.data.subarray(i, i + 3)], [255, 255, 255], `pixel ${i / 4} is white`);
      }
      assert.ok(opaque > 40 && opaque < 32 * 32 / 2, "an outline, neither empty nor filled");
      assert.equal(pixel(image, 0, 0)[3], 0, "transparent corner");
      assert.equal(pixel(image, 16, 16)[3], 0, "hollow middle");
    });

    it("match what the drawing code produces (run `npm run package -- --write-icons` after changing it)", () => {
      assert.ok(colour.equals(encodePng(colourIcon(192))));
      assert.ok(outline.equals(encodePng(outlineIcon(32))));
      for (const size of ADDIN_ICON_SIZES) {
        const file = readFileSync(path.join(APP_PACKAGE_DIR, "assets", `icon-${size}.png`));
        assert.deepEqual(readPngInfo(file), { width: size, height: size, bitDepth: 8, colourType: 6 });
        assert.ok(file.equals(encodePng(addinIcon(size))), `icon-${size}.png`);
      }
    });
  });
});

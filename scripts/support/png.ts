// A tiny PNG writer and reader (RGBA, 8 bits per channel) on node's zlib, so the app icons can be drawn and
// checked without an image library. Only what the app package needs: truecolour with alpha, every filter type
// on read (other tools may re-save the files), CRC checked both ways.
import { deflateSync, inflateSync } from "node:zlib";

export interface RgbaImage {
  width: number;
  height: number;
  /** width * height * 4 bytes, row by row, R G B A. */
  data: Uint8Array;
}

export interface PngInfo {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, body: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0);
  return Buffer.concat([head, body, crc]);
}

export function createImage(width: number, height: number): RgbaImage {
  return { width, height, data: new Uint8Array(width * height * 4) };
}

/** Encodes an RGBA image as a PNG (colour type 6, no interlace, filter 0 on every row). */
export function encodePng(image: RgbaImage): Buffer {
  const { width, height, data } = image;
  if (data.length !== width * height * 4) throw new Error(`PNG_BAD_IMAGE: expected ${width * height * 4} bytes of RGBA, got ${data.length}`);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // truecolour with alpha
  ihdr[10] = 0; // deflate
  ihdr[11] = 0; // adaptive filtering
  ihdr[12] = 0; // no interlace
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0;
    raw.set(data.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  return Buffer.concat([SIGNATURE, chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw, { level: 9 })), chunk("IEND", new Uint8Array(0))]);
}

interface Chunk { type: string; body: Buffer }

function readChunks(png: Buffer): Chunk[] {
  if (png.length < 8 || !png.subarray(0, 8).equals(SIGNATURE)) throw new Error("PNG_NOT_PNG: the file does not start with the PNG signature");
  const chunks: Chunk[] = [];
  let at = 8;
  while (at + 12 <= png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString("ascii", at + 4, at + 8);
    if (at + 12 + length > png.length) throw new Error(`PNG_TRUNCATED: chunk ${type} runs past the end of the file`);
    const body = png.subarray(at + 8, at + 8 + length);
    const expected = png.readUInt32BE(at + 8 + length);
    if (crc32(png.subarray(at + 4, at + 8 + length)) !== expected) throw new Error(`PNG_BAD_CRC: chunk ${type} fails its CRC check`);
    chunks.push({ type, body });
    at += 12 + length;
    if (type === "IEND") break;
  }
  if (chunks[0]?.type !== "IHDR") throw new Error("PNG_NO_HEADER: the first chunk is not IHDR");
  if (chunks[chunks.length - 1]?.type !== "IEND") throw new Error("PNG_TRUNCATED: no IEND chunk");
  return chunks;
}

/** Reads the header only: size, bit depth, colour type. */
export function readPngInfo(png: Buffer): PngInfo {
  const ihdr = readChunks(png)[0]!.body;
  return { width: ihdr.readUInt32BE(0), height: ihdr.readUInt32BE(4), bitDepth: ihdr[8]!, colourType: ihdr[9]! };
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Decodes 8-bit truecolour PNGs (with or without alpha) to RGBA. Enough to check the icons we ship. */
export function decodePng(png: Buffer): RgbaImage {
  const chunks = readChunks(png);
  const info = readPngInfo(png);
  const ihdr = chunks[0]!.body;
  if (info.bitDepth !== 8 || (info.colourType !== 6 && info.colourType !== 2) || ihdr[12] !== 0) {
    throw new Error(`PNG_UNSUPPORTED: bit depth ${info.bitDepth}, colour type ${info.colourType}, interlace ${ihdr[12]}; only 8-bit RGB/RGBA without interlace is read`);
  }
  const channels = info.colourType === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === "IDAT").map((c) => c.body)));
  const stride = info.width * channels;
  if (raw.length < (stride + 1) * info.height) throw new Error("PNG_TRUNCATED: image data is shorter than the header says");
  const out = createImage(info.width, info.height);
  const prev = new Uint8Array(stride);
  const line = new Uint8Array(stride);
  for (let y = 0; y < info.height; y++) {
    const filter = raw[y * (stride + 1)];
    const row = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const left = i >= channels ? line[i - channels]! : 0;
      const up = prev[i]!;
      const upLeft = i >= channels ? prev[i - channels]! : 0;
      const x = row[i]!;
      let value: number;
      switch (filter) {
        case 0: value = x; break;
        case 1: value = x + left; break;
        case 2: value = x + up; break;
        case 3: value = x + ((left + up) >> 1); break;
        case 4: value = x + paeth(left, up, upLeft); break;
        default: throw new Error(`PNG_BAD_FILTER: row ${y} uses unknown filter type ${filter}`);
      }
      line[i] = value & 0xff;
    }
    for (let xPix = 0; xPix < info.width; xPix++) {
      const o = (y * info.width + xPix) * 4;
      out.data[o] = line[xPix * channels]!;
      out.data[o + 1] = line[xPix * channels + 1]!;
      out.data[o + 2] = line[xPix * channels + 2]!;
      out.data[o + 3] = channels === 4 ? line[xPix * channels + 3]! : 255;
    }
    prev.set(line);
  }
  return out;
}

// ---- The CALM mark: a plain shield, drawn analytically and anti-aliased by supersampling. ----

export const CALM_TEAL: readonly [number, number, number] = [0x0f, 0x76, 0x6e];
export const CALM_TEAL_LIGHT: readonly [number, number, number] = [0x99, 0xd8, 0xd0];

/**
 * Whether a point lies inside the shield, in a unit box centred on (0.5, 0.5). `inset` shrinks the shape by
 * that many units on every side (used to draw the outline and the inner panel).
 */
export function insideShield(x: number, y: number, inset = 0): boolean {
  const halfWidth = 0.36 - inset;
  const top = 0.08 + inset;
  const shoulder = 0.5;
  const tip = 0.94 - inset * 1.6;
  if (halfWidth <= 0 || tip <= top) return false;
  const u = Math.abs(x - 0.5);
  if (u > halfWidth) return false;
  // A gentle dip in the middle of the top edge, as on a heraldic shield.
  const topEdge = top + 0.05 * (1 - (u / halfWidth) ** 2);
  if (y < topEdge) return false;
  if (y <= shoulder) return true;
  if (y >= tip) return false;
  const t = (y - shoulder) / (tip - shoulder);
  return u <= halfWidth * Math.cos((t * Math.PI) / 2) ** 0.75;
}

type Paint = (x: number, y: number) => readonly [number, number, number, number] | undefined;

function render(size: number, paint: Paint, samples = 4): RgbaImage {
  const image = createImage(size, size);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const colour = paint((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size);
          if (!colour) continue;
          const alpha = colour[3] / 255;
          r += colour[0] * alpha; g += colour[1] * alpha; b += colour[2] * alpha; a += alpha;
        }
      }
      const o = (py * size + px) * 4;
      const n = samples * samples;
      if (a > 0) {
        image.data[o] = Math.round(r / a);
        image.data[o + 1] = Math.round(g / a);
        image.data[o + 2] = Math.round(b / a);
      }
      image.data[o + 3] = Math.round((a / n) * 255);
    }
  }
  return image;
}

/** Maps icon coordinates to shield coordinates so the shield fills `scale` of the icon, centred. */
const fit = (scale: number) => (v: number) => (v - 0.5) / scale + 0.5;

/** Colour icon: full-bleed teal square, white shield with a light teal panel (Teams asks for 192x192). */
export function colourIcon(size = 192): RgbaImage {
  const to = fit(0.62);
  return render(size, (x, y) => {
    const sx = to(x), sy = to(y);
    if (insideShield(sx, sy, 0.075)) return [...CALM_TEAL_LIGHT, 255];
    if (insideShield(sx, sy)) return [255, 255, 255, 255];
    return [...CALM_TEAL, 255];
  });
}

/** Outline icon: white shield outline on transparent (Teams asks for 32x32, white and transparent only). */
export function outlineIcon(size = 32): RgbaImage {
  const to = fit(0.94);
  const stroke = 2.2 / size / 0.94;
  return render(size, (x, y) => {
    const sx = to(x), sy = to(y);
    return insideShield(sx, sy) && !insideShield(sx, sy, stroke) ? [255, 255, 255, 255] : undefined;
  });
}

/** Outlook ribbon and add-in icons: a teal shield with a white panel on transparent. */
export function addinIcon(size: number): RgbaImage {
  const to = fit(0.96);
  const border = Math.max(1.5 / size, 0.06);
  return render(size, (x, y) => {
    const sx = to(x), sy = to(y);
    if (insideShield(sx, sy, border + 0.06)) return [...CALM_TEAL, 255];
    if (insideShield(sx, sy, border)) return [255, 255, 255, 255];
    if (insideShield(sx, sy)) return [...CALM_TEAL, 255];
    return undefined;
  });
}

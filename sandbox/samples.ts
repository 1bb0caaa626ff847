import { createHash } from "node:crypto";
import { deflateSync } from "node:zlib";

// Sample media the fake customers send. Generated in code (no binary files in the repo) and small, so
// downloads in tests are instant. PNG, WebP, WAV and PDF are valid files; the MP4 is a bare container
// header (enough for type sniffing and storage paths, not for playback).

export interface Sample {
  name: string;
  mimeType: string;
  bytes: Buffer;
  sha256: string;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of buffer) crc = (crcTable[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A 48×48 RGB PNG: a coffee-coloured cup on a cream background. */
function photoPng(): Buffer {
  const size = 48;
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x++) {
      const inCup = x >= 12 && x <= 32 && y >= 16 && y <= 38;
      const inHandle = x > 32 && x <= 38 && y >= 20 && y <= 30 && !(x > 34 && x < 37 && y > 22 && y < 28);
      const [r, g, b] = inCup || inHandle ? [111, 78, 55] : [245, 235, 220];
      row.writeUInt8(r, 1 + x * 3);
      row.writeUInt8(g, 2 + x * 3);
      row.writeUInt8(b, 3 + x * 3);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", header),
    pngChunk("IDAT", deflateSync(Buffer.concat(rows))),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

/** Half a second of a 440 Hz tone, 8 kHz mono 16-bit PCM. */
function voiceWav(): Buffer {
  const rate = 8000;
  const samples = rate / 2;
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 8000), i * 2);
  const header = Buffer.alloc(44);
  header.write("RIFF", 0, "ascii");
  header.writeUInt32LE(36 + data.length, 4);
  header.write("WAVEfmt ", 8, "ascii");
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36, "ascii");
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** A one-page PDF with a line of text, with a correct xref table. */
function menuPdf(): Buffer {
  const stream = "BT /F1 18 Tf 72 720 Td (Acme Coffee - Menu) Tj 0 -28 Td (Espresso 3.00  Flat white 4.20) Tj ET";
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}

function clipMp4(): Buffer {
  const ftyp = Buffer.alloc(24);
  ftyp.writeUInt32BE(24, 0);
  ftyp.write("ftypisom", 4, "ascii");
  ftyp.writeUInt32BE(0x200, 12);
  ftyp.write("isomiso2", 16, "ascii");
  return ftyp;
}

// A 1×1 lossless WebP, the format WhatsApp stickers use.
const stickerWebp = () => Buffer.from("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==", "base64");

function sample(name: string, mimeType: string, bytes: Buffer): Sample {
  return { name, mimeType, bytes, sha256: createHash("sha256").update(bytes).digest("hex") };
}

export const SAMPLES: Record<string, Sample> = Object.fromEntries(
  [
    sample("photo.png", "image/png", photoPng()),
    sample("voice.wav", "audio/wav", voiceWav()),
    sample("menu.pdf", "application/pdf", menuPdf()),
    sample("clip.mp4", "video/mp4", clipMp4()),
    sample("sticker.webp", "image/webp", stickerWebp()),
  ].map((entry) => [entry.name, entry]),
);

/** The default sample for an attachment type. */
export function sampleFor(type: string, requested?: string): Sample {
  const named = requested ? SAMPLES[requested] : undefined;
  if (named) return named;
  const byType: Record<string, string> = {
    image: "photo.png",
    audio: "voice.wav",
    video: "clip.mp4",
    file: "menu.pdf",
    document: "menu.pdf",
    sticker: "sticker.webp",
  };
  const fallback = SAMPLES[byType[type] ?? "photo.png"];
  if (!fallback) throw new Error(`no sample for ${type}`);
  return fallback;
}

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ApduReader, encodeApdu } from "../../../drivers/terminal/zvt/apdu.ts";
import {
  decodeAmount,
  decodeBcd,
  decodeVarLength,
  encodeAmount,
  encodeCurrency,
  encodeMaskedPan,
  encodePassword,
  encodeVarLength,
  maskedPanFromBcd,
} from "../../../drivers/terminal/zvt/codecs.ts";
import { cleanLine, cleanText, decodeText } from "../../../drivers/terminal/zvt/text.ts";
import { encodeTlv, findTlv, parseTlv } from "../../../drivers/terminal/zvt/tlv.ts";
import {
  parseBmps,
  parseIndividualTotals,
  readStatusInformation,
  resultCodeText,
} from "../../../drivers/terminal/zvt/bmp.ts";
import {
  ACK,
  NAK,
  SerialFrameDecoder,
  crc16Kermit,
  createSerialChannel,
  encodeSerialFrame,
  frameCrc,
} from "../../../drivers/terminal/zvt/serial-framing.ts";
import { intermediateStatus } from "../../../drivers/terminal/zvt/answers.ts";
import { terminalTime } from "../../../drivers/terminal/zvt/transaction-status.ts";
import { DriverError } from "../../../drivers/index.ts";

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ""), "hex"));
const show = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");

describe("ZVT APDU framing", () => {
  it("uses the one-byte length below 255 and FF + little-endian length from 255 on", () => {
    assert.equal(show(encodeApdu({ cls: 0x80, instr: 0x00, data: new Uint8Array(0) })), "800000");
    assert.equal(show(encodeApdu({ cls: 0x06, instr: 0xd3, data: new Uint8Array(254) })).slice(0, 6), "06d3fe");
    const long = encodeApdu({ cls: 0x06, instr: 0xd3, data: new Uint8Array(300).fill(0x41) });
    assert.equal(show(long.subarray(0, 5)), "06d3ff2c01");
    assert.equal(long.length, 305);
  });

  it("cuts a stream into APDUs across any split, including inside an extended length", () => {
    const first = encodeApdu({ cls: 0x04, instr: 0xff, data: hex("0a 01") });
    const second = encodeApdu({ cls: 0x06, instr: 0xd3, data: new Uint8Array(300).fill(7) });
    const third = encodeApdu({ cls: 0x06, instr: 0x0f, data: new Uint8Array(0) });
    const stream = Uint8Array.from([...first, ...second, ...third]);
    for (const size of [1, 2, 3, 4, 5, 7, 64, stream.length]) {
      const reader = new ApduReader();
      const got = [];
      for (let at = 0; at < stream.length; at += size) got.push(...reader.push(stream.subarray(at, at + size)));
      assert.deepEqual(
        got.map((a) => [a.cls, a.instr, a.data.length]),
        [
          [0x04, 0xff, 2],
          [0x06, 0xd3, 300],
          [0x06, 0x0f, 0],
        ],
        `chunks of ${size}`,
      );
      assert.equal(reader.pending, 0);
    }
  });

  it("holds back an incomplete APDU", () => {
    const reader = new ApduReader();
    assert.deepEqual(reader.push(hex("06 d1 05 00 41")), []);
    assert.equal(reader.pending, 5);
    assert.equal(reader.push(hex("42 43 44"))[0]?.data.length, 5);
  });
});

describe("ZVT field encodings", () => {
  it("encodes amounts, the password and the currency as BCD", () => {
    assert.equal(show(encodeAmount(1234)), "000000001234");
    assert.equal(show(encodeAmount(999_999_999_999)), "999999999999");
    assert.throws(() => encodeAmount(1_000_000_000_000), DriverError);
    assert.throws(() => encodeAmount(1.5), DriverError);
    assert.equal(decodeAmount(hex("000000012345")), 12345);
    assert.equal(show(encodePassword("123456")), "123456");
    assert.throws(
      () => encodePassword("12345"),
      (e: unknown) => e instanceof DriverError && e.code === "config_invalid",
    );
    assert.equal(show(encodeCurrency("EUR")), "0978");
    assert.equal(show(encodeCurrency("chf")), "0756");
    assert.equal(decodeBcd(hex("12 3f")), undefined);
  });

  it("writes and reads LLVAR / LLLVAR lengths as F-nibble digits", () => {
    assert.equal(show(encodeVarLength(12, 2)), "f1f2");
    assert.equal(show(encodeVarLength(7, 3)), "f0f0f7");
    assert.equal(decodeVarLength(hex("f1 f5"), 0, 2), 15);
    assert.equal(decodeVarLength(hex("f1 0f"), 0, 2), undefined);
    assert.throws(() => encodeVarLength(100, 2), DriverError);
  });

  it("keeps only the last four digits of a card number", () => {
    // A masked PAN as a terminal sends it (python-ecrterm capture): 474843******7743.
    assert.equal(maskedPanFromBcd(hex("47 48 43 ee ee ee 77 43")), "************7743");
    // Unmasked track-2 style data: the digits before the separator, masked by the driver.
    assert.equal(maskedPanFromBcd(hex("59 66 66 66 66 d2 00 21 22 01 00")), "******6666");
    // Odd length padded with F.
    assert.equal(maskedPanFromBcd(hex("12 34 56 7e ee ee ee 89 01 2f")), "***************9012");
    assert.equal(maskedPanFromBcd(hex("ee ee")), undefined);
    const encoded = encodeMaskedPan("4761739001010119");
    assert.equal(show(encoded), "f0f8476173eeeeee0119");
    assert.equal(maskedPanFromBcd(encoded.subarray(2)), "************0119");
  });

  it("decodes code page 437 text and strips control characters", () => {
    assert.equal(decodeText(hex("54 65 73 74 20 84 20 94 20 81 20 e1")), "Test ä ö ü ß");
    assert.equal(cleanText("  Bitte\u001b[2J Karte\u0007\u202e  "), "Bitte[2J Karte");
    assert.equal(cleanLine("   centred\r\n"), "   centred");
    assert.equal(cleanText("x".repeat(100)).length, 80);
  });
});

describe("ZVT BMPs and TLV", () => {
  it("parses a real status-information (04 0F) with LLVAR, LLLVAR and fixed fields", () => {
    // python-ecrterm test capture of a VISA payment of 0,01 EUR.
    const data = hex(
      "2700040000000000014909780c1223060d062922f0f8474843eeeeee77438700023b38383931353000000b000732196029420030" +
        "360e18018a0a8c038bf0f556495341002a3435353630303030303539392020203cf0f7f341532d544944203d2031334630303031330d" +
        "41532d50726f632d436f6465203d203230203930332030300d436170742e2d5265662e3d20303030300d41494435393a203830393235" +
        "38",
    );
    const status = readStatusInformation(data);
    assert.equal(status.resultCode, 0);
    assert.equal(status.amount, 1);
    assert.equal(status.currency, "EUR");
    assert.equal(status.time, "122306");
    assert.equal(status.date, "0629");
    assert.equal(status.maskedPan, "************7743");
    assert.equal(status.receiptNumber, "0002");
    assert.equal(status.authCode, "889150");
    assert.equal(status.traceNumber, "000732");
    assert.equal(status.terminalId, "42003036");
    assert.equal(status.cardType, 10);
    assert.equal(status.brand, "VISA");
    assert.equal(parseBmps(data).stoppedAt, undefined);
  });

  it("reads the TLV container of an abort (06 1E) with two-byte tags", () => {
    const data = hex("6c062b1f1605ff000014411f1720416262727563682064757263682065787465726e6573204b6f6d6d616e646f21");
    assert.equal(data[0], 0x6c);
    const { tlv, stoppedAt } = parseBmps(data, 1);
    assert.equal(stoppedAt, undefined);
    assert.equal(show(findTlv(tlv, 0x1f16)?.value ?? new Uint8Array(0)), "ff00001441");
    assert.equal(decodeText(findTlv(tlv, 0x1f17)?.value ?? new Uint8Array(0)), "Abbruch durch externes Kommando!");
    assert.equal(resultCodeText(0x6c), "aborted (timeout or abort key) (ZVT 6C)");
    assert.equal(resultCodeText(0x05), "declined by the card issuer (code 05)");
  });

  it("reads an intermediate status with its display text (04 FF, TLV 24/07)", () => {
    const data = hex("0a 01 06 1a 24 18 07 16 42 69 74 74 65 20 4b 61 72 74 65 20 65 69 6e 73 74 65 63 6b 65 6e");
    const { tlv } = parseBmps(data, 2);
    assert.equal(decodeText(findTlv(tlv, 0x07)?.value ?? new Uint8Array(0)), "Bitte Karte einstecken");
    assert.deepEqual(intermediateStatus(0x0a), { stage: "present_card", text: "Insert card" });
    assert.equal(intermediateStatus(0x4c).stage, "remove_card");
    assert.equal(intermediateStatus(0x99).stage, "other");
  });

  it("handles BER lengths 81 xx and 82 xx xx, and rejects a value running past its container", () => {
    const short = encodeTlv(0x07, new Uint8Array(0x7f));
    assert.equal(show(short.subarray(0, 2)), "077f");
    const medium = encodeTlv(0x07, new Uint8Array(0x80));
    assert.equal(show(medium.subarray(0, 3)), "078180");
    const lines = Uint8Array.from([
      ...encodeTlv(0x07, new Uint8Array(200).fill(0x41)),
      ...encodeTlv(0x07, new Uint8Array(100)),
    ]);
    const block = encodeTlv(0x25, lines);
    assert.equal(show(block.subarray(0, 4)), "25820131");
    const [node] = parseTlv(block);
    assert.equal(node?.constructed, true);
    assert.deepEqual(
      node.children.map((c) => c.value.length),
      [200, 100],
    );
    assert.throws(() => parseTlv(hex("07 05 41 42")), DriverError);
    assert.throws(() => parseTlv(hex("1f")), DriverError);
  });

  it("stops at an unknown BMP and keeps what came before", () => {
    const parsed = parseBmps(hex("27 00 04 00 00 00 00 01 00 ff 01 02"));
    assert.equal(parsed.fields.get(0x27)?.[0], 0);
    assert.equal(parsed.stoppedAt, 9);
    assert.equal(parseBmps(hex("22 f0 f8 47 48")).stoppedAt, 0);
  });

  it("reads end-of-day individual totals (BMP 60)", () => {
    const value = hex(
      "0001 0007" +
        "02 000000001250" +
        "00 000000000000" +
        "01 000000000500" +
        "00 000000000000" +
        "03 000000002000" +
        "00 000000000000" +
        "00 000000000000",
    );
    assert.deepEqual(parseIndividualTotals(value), {
      firstReceipt: "0001",
      lastReceipt: "0007",
      byBrand: [
        { brand: "girocard", count: 2, total: 1250 },
        { brand: "Mastercard", count: 1, total: 500 },
        { brand: "VISA", count: 3, total: 2000 },
      ],
    });
  });

  it("puts a terminal date without a year into the year that is not in the future", () => {
    const now = new Date(2027, 0, 1, 0, 5).getTime();
    assert.equal(terminalTime("1231", "235900", now), new Date(2026, 11, 31, 23, 59).getTime());
    assert.equal(terminalTime("0101", "000100", now), new Date(2027, 0, 1, 0, 1).getTime());
    assert.equal(terminalTime("1399", "000000", now), undefined);
  });
});

describe("ZVT serial framing", () => {
  it("computes the CRC like a real terminal (CRC-16/KERMIT over APDU + ETX)", () => {
    assert.equal(crc16Kermit(Buffer.from("123456789")), 0x2189);
    // Status-enquiry completion captured by python-ecrterm: 10 02 … 10 03 B1 11.
    const apdu = hex("06 0f 0b f0 f0 f7 32 2e 31 34 2e 31 35 00");
    assert.equal(frameCrc(apdu), 0x11b1);
    assert.equal(show(encodeSerialFrame(apdu)), "1002060f0bf0f0f7322e31342e31350010" + "03b111");
  });

  it("doubles DLE inside the frame and undoes it when reading, byte by byte", () => {
    const apdu = hex("06 d1 04 10 10 41 10");
    const frame = encodeSerialFrame(apdu);
    assert.equal(show(frame.subarray(0, 12)), "1002" + "06d104" + "1010" + "1010" + "41" + "1010");
    const decoder = new SerialFrameDecoder();
    const events = [];
    for (const byte of [ACK, ...frame, NAK]) events.push(...decoder.push(Uint8Array.of(byte)));
    assert.deepEqual(
      events.map((e) => e.type),
      ["ack", "frame", "nak"],
    );
    const got = events[1];
    assert.ok(got?.type === "frame");
    assert.equal(show(got.apdu), show(apdu));
  });

  it("reports a bad CRC and garbage after DLE as bad frames, then reads the next good one", () => {
    const good = encodeSerialFrame(hex("80 00 00"));
    const broken = good.slice();
    broken[broken.length - 1] = (broken.at(-1) ?? 0) ^ 0xff;
    const decoder = new SerialFrameDecoder();
    const events = decoder.push(Uint8Array.from([...broken, 0x10, 0x02, 0x41, 0x10, 0x55, ...good]));
    assert.deepEqual(
      events.map((e) => e.type),
      ["bad_frame", "bad_frame", "frame"],
    );
  });

  it("repeats a NAKed frame and acknowledges received frames", async () => {
    const written: Uint8Array[] = [];
    let feed: ((chunk: Uint8Array) => void) | undefined;
    const pipe = {
      write(bytes: Uint8Array) {
        written.push(bytes);
        const frames = written.filter((w) => w.length > 1).length;
        // NAK the first transmission, ACK the second.
        if (bytes.length > 1) queueMicrotask(() => feed?.(Uint8Array.of(frames === 1 ? NAK : ACK)));
        return Promise.resolve();
      },
      onData(listener: (chunk: Uint8Array) => void) {
        feed = listener;
        return () => undefined;
      },
    };
    const channel = createSerialChannel(pipe, { ackTimeoutMs: 200 });
    const received: string[] = [];
    channel.onApdu((a) => received.push(show(encodeApdu(a))));
    await channel.send({ cls: 0x06, instr: 0xb0, data: new Uint8Array(0) });
    assert.equal(written.filter((w) => w.length > 1).length, 2);
    feed?.(encodeSerialFrame(hex("80 00 00")));
    assert.deepEqual(received, ["800000"]);
    assert.equal(show(written.at(-1) ?? new Uint8Array(0)), "06");
    channel.detach();
  });

  it("gives up after three unanswered transmissions", async () => {
    let writes = 0;
    const channel = createSerialChannel(
      {
        write: () => {
          writes++;
          return Promise.resolve();
        },
        onData: () => () => undefined,
      },
      { ackTimeoutMs: 20 },
    );
    await assert.rejects(channel.send({ cls: 0x06, instr: 0xb0, data: new Uint8Array(0) }), DriverError);
    assert.equal(writes, 3);
  });
});

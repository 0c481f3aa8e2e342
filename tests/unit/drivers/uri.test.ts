import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DriverError, formatDeviceUri, parseDeviceUri } from "../../../drivers/index.ts";

describe("device URIs", () => {
  it("parses the config examples", () => {
    assert.deepEqual(parseDeviceUri("tcp://10.0.0.5:9100"), { scheme: "tcp", host: "10.0.0.5", port: 9100 });
    assert.deepEqual(parseDeviceUri("tcp://printer.local"), { scheme: "tcp", host: "printer.local", port: 9100 });
    assert.deepEqual(parseDeviceUri("tcp://[::1]:9101"), { scheme: "tcp", host: "::1", port: 9101 });
    assert.deepEqual(parseDeviceUri("serial:/dev/ttyUSB0?baud=38400"), {
      scheme: "serial",
      path: "/dev/ttyUSB0",
      baudRate: 38400,
      dataBits: 8,
      parity: "none",
      stopBits: 1,
      flow: "none",
    });
    assert.deepEqual(
      parseDeviceUri("serial:/dev/serial/by-id/usb-FTDI-if00?baud=9600&parity=even&databits=7&stopbits=2&rtscts=true"),
      {
        scheme: "serial",
        path: "/dev/serial/by-id/usb-FTDI-if00",
        baudRate: 9600,
        dataBits: 7,
        parity: "even",
        stopBits: 2,
        flow: "rtscts",
      },
    );
    assert.equal((parseDeviceUri("serial:/dev/ttyS0?flow=xonxoff") as { flow: string }).flow, "xonxoff");
    assert.deepEqual(parseDeviceUri("usb:04b8:0e15"), { scheme: "usb", vendorId: 0x04b8, productId: 0x0e15 });
    assert.deepEqual(parseDeviceUri("usb:04B8:0E15?serial=X5UF012345&iface=1"), {
      scheme: "usb",
      vendorId: 0x04b8,
      productId: 0x0e15,
      serialNumber: "X5UF012345",
      interfaceNumber: 1,
    });
    assert.deepEqual(parseDeviceUri("usblp:/dev/usb/lp0"), { scheme: "usblp", path: "/dev/usb/lp0" });
    assert.deepEqual(parseDeviceUri("sim:"), { scheme: "sim", name: "sim", params: {} });
    assert.deepEqual(parseDeviceUri("sim:kitchen?drawer=none"), {
      scheme: "sim",
      name: "kitchen",
      params: { drawer: "none" },
    });
  });

  it("round-trips through formatDeviceUri", () => {
    for (const uri of [
      "tcp://10.0.0.5:9100",
      "serial:/dev/ttyUSB0?baud=38400&flow=rtscts",
      "usb:04b8:0e15?serial=A1&iface=0",
      "usblp:/dev/usb/lp1",
      "sim:",
      "tcp://[::1]:9100",
    ]) {
      const address = parseDeviceUri(uri);
      assert.deepEqual(parseDeviceUri(formatDeviceUri(address)), address, uri);
    }
  });

  it("names what is wrong", () => {
    const bad: Array<[string, RegExp]> = [
      ["10.0.0.5:9100", /unknown scheme "10.0.0.5"/],
      ["printer", /missing scheme/],
      ["ftp://x", /unknown scheme "ftp"/],
      ["tcp://", /host|valid/],
      ["tcp://h:99999", /valid/],
      ["serial:ttyUSB0", /serial:\/dev/],
      ["serial:/dev/ttyUSB0?baud=12345", /baud rate "12345"/],
      ["serial:/dev/ttyUSB0?parity=maybe", /parity/],
      ["serial:/dev/ttyUSB0?speed=9600", /unknown serial option "speed"/],
      ["serial:/dev/ttyUSB0?rtscts=true&xonxoff=true", /not both/],
      ["usb:4b8:e15", /4 hex digits/],
      ["usb:04b8:0e15?bus=1", /unknown usb option "bus"/],
      ["usblp:lp0", /usblp:\/dev\/usb\/lpN/],
    ];
    for (const [uri, message] of bad) {
      assert.throws(
        () => parseDeviceUri(uri),
        (error: unknown) => error instanceof DriverError && error.code === "uri_invalid" && message.test(error.message),
        uri,
      );
    }
  });
});

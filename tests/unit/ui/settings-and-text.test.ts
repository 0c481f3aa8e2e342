/** Screen settings from the URL, money and ages, translations and error texts. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatAge, formatMoney, formatPriceDelta, minorUnitsPer } from "../../../ui/src/data/format.ts";
import { ageLevel, readBoardSettings, readKioskSettings, readKitchenSettings } from "../../../ui/src/data/settings.ts";
import { ServerClock } from "../../../ui/src/data/server-clock.ts";
import { de } from "../../../ui/src/i18n/de.ts";
import { en } from "../../../ui/src/i18n/en.ts";
import { errorText, localized, translator } from "../../../ui/src/i18n/index.ts";
import "../../../ui/src/i18n/screens/kiosk.ts";
import "../../../ui/src/i18n/screens/kitchen.ts";

describe("screen settings", () => {
  it("have defaults: kiosk idle 60 s, kitchen yellow at 5 and red at 8 minutes, board clears after 10", () => {
    assert.deepEqual(readKioskSettings(""), {
      idleSeconds: 60,
      idleWarnSeconds: 15,
      lang: undefined,
      slideSeconds: 6,
      confirmSeconds: 20,
    });
    assert.deepEqual(readKitchenSettings("", null), {
      station: undefined,
      warnMinutes: 5,
      lateMinutes: 8,
      cancelLingerSeconds: 10,
      lang: "en",
      sound: true,
    });
    assert.deepEqual(readBoardSettings(""), { clearAfterMinutes: 10, highlightSeconds: 20, lang: "en", sound: true });
  });

  it("read the query string and fall back on nonsense", () => {
    assert.deepEqual(readKioskSettings("?idle=5&idleWarn=30&lang=de"), {
      idleSeconds: 5,
      idleWarnSeconds: 5,
      lang: "de",
      slideSeconds: 6,
      confirmSeconds: 20,
    });
    assert.equal(readKioskSettings("?idle=abc").idleSeconds, 60);
    const kitchen = readKitchenSettings("?station=Grill&warn=2&late=1&sound=0", null);
    assert.equal(kitchen.station, "grill");
    assert.equal(kitchen.lateMinutes, 2, "red never before yellow");
    assert.equal(kitchen.sound, false);
    assert.equal(readKitchenSettings("?sound=0", "on").sound, true, "the cook's own toggle wins");
    assert.equal(readKitchenSettings("?station=../etc", null).station, undefined);
    assert.equal(readBoardSettings("?clearAfter=2").clearAfterMinutes, 2);
  });

  it("ages tickets from fresh to warn to late", () => {
    const thresholds = { warnMinutes: 5, lateMinutes: 8 };
    assert.equal(ageLevel(299_999, thresholds), "fresh");
    assert.equal(ageLevel(300_000, thresholds), "warn");
    assert.equal(ageLevel(480_000, thresholds), "late");
  });
});

describe("formatting", () => {
  it("formats money in minor units for the currency and language", () => {
    assert.equal(formatMoney(1290, "EUR", "en"), "€12.90");
    assert.equal(formatMoney(1290, "EUR", "de").replace(/\s/g, " "), "12,90 €");
    assert.equal(formatMoney(500, "JPY", "en"), "¥500");
    assert.equal(minorUnitsPer("BHD"), 1000);
    assert.equal(formatPriceDelta(150, "EUR", "en"), "+€1.50");
    assert.equal(formatPriceDelta(0, "EUR", "en"), "");
  });

  it("formats ticket ages", () => {
    assert.equal(formatAge(0), "0:00");
    assert.equal(formatAge(42_900), "0:42");
    assert.equal(formatAge(725_000), "12:05");
    assert.equal(formatAge(3_729_000), "1:02:09");
  });

  it("reads the appliance's clock offset from a ping", () => {
    let now = 10_000;
    const clock = new ServerClock(() => now);
    clock.update(new Date(70_000).toISOString(), 9_000, 11_000);
    assert.equal(clock.offsetMs, 60_000);
    now = 12_000;
    assert.equal(clock.now(), 72_000);
    assert.equal(clock.since(new Date(71_000).toISOString()), 1_000);
  });
});

describe("texts", () => {
  it("has every English key in German, none empty", () => {
    assert.deepEqual(Object.keys(de).sort(), Object.keys(en).sort());
    for (const [key, text] of Object.entries(de)) assert.ok(text.trim().length > 0, key);
  });

  it("replaces parameters and picks plurals", () => {
    const t = translator("en");
    assert.equal(t("kiosk.itemCount", { count: 1 }), "1 item");
    assert.equal(t("kiosk.itemCount", { count: 3 }), "3 items");
    assert.equal(translator("de")("idle.resetIn", { count: 1 }), "Neustart in 1 Sekunde");
    assert.equal(translator("de-AT")("kitchen.title"), "Küche");
    assert.equal(translator("fr")("kitchen.title"), "Kitchen");
  });

  it("never shows a raw server message: known codes are friendly, unknown ones generic", () => {
    const t = translator("en");
    assert.equal(errorText(t, "item_sold_out"), "Something in your order has just sold out.");
    assert.equal(errorText(t, "some_new_code"), "Something went wrong. Please try again.");
  });

  it("picks the menu's text in the language, else the menu's default", () => {
    assert.equal(localized({ en: "Fries", de: "Pommes" }, "de", "en"), "Pommes");
    assert.equal(localized({ en: "Fries" }, "de", "en"), "Fries");
    assert.equal(localized(undefined, "de"), "");
  });
});

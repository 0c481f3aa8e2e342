/**
 * Translation for the screens: `translator(lang)` gives `t(key, params)`. Screen texts exist in
 * English and German; menu texts come from the menu itself (`localized`), in whatever languages
 * the menu has, falling back to the menu's first language.
 */
import type { LocalizedText } from "../../../protocol/index.ts";
import { de } from "./de.ts";
import { en, type MessageKey, type Messages } from "./en.ts";

export type { MessageKey } from "./en.ts";

const CATALOGUES: Readonly<Record<string, Messages>> = { en, de };

export type Params = Readonly<Record<string, string | number>>;
export type Translate = (key: MessageKey, params?: Params) => string;

/** The screen language for a menu language: "de-AT" → de; unknown → en. */
export function screenLanguage(lang: string): string {
  const base = lang.split("-")[0] ?? "en";
  return base in CATALOGUES ? base : "en";
}

const pluralRules = new Map<string, Intl.PluralRules>();

const translators = new Map<string, Translate>();

/** `t` for a language (cached: components call this on every render). */
export function translator(lang: string): Translate {
  const language = screenLanguage(lang);
  const cached = translators.get(language);
  if (cached) return cached;
  const t = makeTranslator(language);
  translators.set(language, t);
  return t;
}

function makeTranslator(language: string): Translate {
  const messages = CATALOGUES[language] ?? en;
  let rules = pluralRules.get(language);
  if (!rules) {
    rules = new Intl.PluralRules(language);
    pluralRules.set(language, rules);
  }
  const plural = rules;
  return (key, params) => {
    let text: string = messages[key];
    if (text.includes("|")) {
      const [one = text, other = text] = text.split("|");
      const count = Number(params?.count ?? 0);
      text = plural.select(count) === "one" ? one : other;
    }
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      return value === undefined ? whole : String(value);
    });
  };
}

/** A friendly, localised sentence for an API error code; never the raw server message. */
export function errorText(t: Translate, code: string): string {
  const key = `error.${code}`;
  return key in en ? t(key as MessageKey) : t("error.generic");
}

/** A menu text in `lang`, else in the menu's default language, else any. */
export function localized(text: LocalizedText | undefined, lang: string, fallback = "en"): string {
  if (!text) return "";
  return text[lang] ?? text[lang.split("-")[0] ?? lang] ?? text[fallback] ?? Object.values(text)[0] ?? "";
}

/** Native names of languages for the language picker ("Deutsch", not "German"). */
export function languageName(lang: string): string {
  try {
    const name = new Intl.DisplayNames([lang], { type: "language" }).of(lang);
    return name ? name.charAt(0).toLocaleUpperCase(lang) + name.slice(1) : lang;
  } catch {
    return lang;
  }
}

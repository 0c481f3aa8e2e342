/**
 * Translation for the screens: `translator(lang)` gives `t(key, params)`. Screen texts exist in
 * English and German; menu texts come from the menu itself (`localized`), in whatever languages
 * the menu has, falling back to the menu's first language.
 *
 * The texts come in parts (en/, de/): the shared part is always here, each screen adds its own
 * with `import "../../i18n/screens/<page>.ts"`, so a screen's code carries only its texts. Keys
 * are typed over every part (en.ts), so a misspelt key is still a compile error.
 */
import type { LocalizedText } from "../../../protocol/index.ts";
import { shared as deShared } from "./de/shared.ts";
import type { MessageKey, Messages } from "./en.ts";
import { shared as enShared } from "./en/shared.ts";

export type { MessageKey } from "./en.ts";

type Catalogue = Partial<Record<MessageKey, string>>;

/** The texts loaded so far per language (filled in place, so cached translators see new parts). */
const english: Catalogue = { ...enShared };
const german: Catalogue = { ...deShared };
const CATALOGUES: Readonly<Record<string, Catalogue>> = { en: english, de: german };

/** Adds a screen's part of the texts, in every language (i18n/screens/<page>.ts). */
export function addMessages(part: { en: Partial<Messages>; de: Partial<Messages> }): void {
  Object.assign(english, part.en);
  Object.assign(german, part.de);
}

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
  const messages = CATALOGUES[language] ?? english;
  let rules = pluralRules.get(language);
  if (!rules) {
    rules = new Intl.PluralRules(language);
    pluralRules.set(language, rules);
  }
  const plural = rules;
  return (key, params) => {
    // A key of a part this screen did not load shows as itself (never happens in a built screen).
    let text: string = messages[key] ?? english[key] ?? key;
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
  return key in enShared ? t(key as MessageKey) : t("error.generic");
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

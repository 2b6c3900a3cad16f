/**
 * Country normalisation to ISO 3166-1 alpha-2 (PRODUCT.md §3). Accepts alpha-2, alpha-3, English and
 * French names, in any case, with or without accents, plus the common aliases CRMs hold ("UK", "USA",
 * "Ivory Coast", "Corée du Sud"). Unknown text gives `undefined`: the attribute is then missing,
 * never guessed.
 */
import { COUNTRIES } from './country-table.ts';

/** Other spellings seen in CRMs → alpha-2. Keys are written plainly; they are normalised on load. */
const ALIASES: Readonly<Record<string, string>> = {
  UK: 'GB',
  'Great Britain': 'GB',
  Britain: 'GB',
  England: 'GB',
  Scotland: 'GB',
  Wales: 'GB',
  'Northern Ireland': 'GB',
  'Grande-Bretagne': 'GB',
  Angleterre: 'GB',
  Ecosse: 'GB',
  'United States of America': 'US',
  'U.S.A.': 'US',
  'U.S.': 'US',
  America: 'US',
  'Etats-Unis d\'Amerique': 'US',
  'South Korea': 'KR',
  'Republic of Korea': 'KR',
  'Korea, Republic of': 'KR',
  Korea: 'KR',
  'Coree du Sud': 'KR',
  'North Korea': 'KP',
  'Coree du Nord': 'KP',
  Russia: 'RU',
  'Russian Federation': 'RU',
  'Czech Republic': 'CZ',
  'Republique tcheque': 'CZ',
  'Ivory Coast': 'CI',
  'Cote-d\'Ivoire': 'CI',
  Holland: 'NL',
  'The Netherlands': 'NL',
  Hollande: 'NL',
  Turkey: 'TR',
  Turkiye: 'TR',
  'Viet Nam': 'VN',
  'Iran, Islamic Republic of': 'IR',
  'Syrian Arab Republic': 'SY',
  "Lao People's Democratic Republic": 'LA',
  Laos: 'LA',
  'Bolivia, Plurinational State of': 'BO',
  'Venezuela, Bolivarian Republic of': 'VE',
  'Tanzania, United Republic of': 'TZ',
  'Moldova, Republic of': 'MD',
  'Taiwan, Province of China': 'TW',
  'Democratic Republic of the Congo': 'CD',
  'Congo, Democratic Republic of the': 'CD',
  DRC: 'CD',
  RDC: 'CD',
  'Republique democratique du Congo': 'CD',
  'Republic of the Congo': 'CG',
  'Congo-Brazzaville': 'CG',
  Macedonia: 'MK',
  'North Macedonia': 'MK',
  Swaziland: 'SZ',
  'Cape Verde': 'CV',
  Burma: 'MM',
  Myanmar: 'MM',
  Birmanie: 'MM',
  'Holy See': 'VA',
  Vatican: 'VA',
  'Vatican City': 'VA',
  'Palestine, State of': 'PS',
  Palestine: 'PS',
  'Micronesia, Federated States of': 'FM',
  'Brunei Darussalam': 'BN',
  'Hong Kong': 'HK',
  Macao: 'MO',
  Macau: 'MO',
  UAE: 'AE',
  'U.A.E.': 'AE',
  Deutschland: 'DE',
  Espana: 'ES',
  Italia: 'IT',
  Schweiz: 'CH',
  Svizzera: 'CH',
  Osterreich: 'AT',
  Belgie: 'BE',
  Nederland: 'NL',
  Polska: 'PL',
  Sverige: 'SE',
  Norge: 'NO',
  Danmark: 'DK',
  Suomi: 'FI',
  Brasil: 'BR',
  Mexique: 'MX',
  'Saint Martin': 'MF',
  'Sint Maarten': 'SX',
  Curacao: 'CW',
  'Timor-Leste': 'TL',
  'East Timor': 'TL',
  Eswatini: 'SZ',
  Czechia: 'CZ',
  'Slovak Republic': 'SK',
  Reunion: 'RE',
  'La Reunion': 'RE',
};

/** Case, accents, punctuation and `&`/`and`/`et`/`St.` spellings do not matter. */
export function countryKey(text: string): string {
  const words = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
  // Only inside names: alone, "ET", "AND" and "ST" are the codes of Ethiopia, Andorra and São Tomé.
  if (words.length < 2) return words.join(' ');
  return words
    .filter((w) => w !== 'and' && w !== 'et')
    .map((w) => (w === 'st' ? 'saint' : w === 'ste' ? 'sainte' : w))
    .join(' ');
}

function variants(name: string): string[] {
  // CLDR short names carry qualifiers in parentheses or after " - " ("Myanmar (Burma)", "Congo - Kinshasa").
  const out = [name];
  const paren = /^(.*?)\s*\((.*)\)$/.exec(name);
  if (paren?.[1] && paren[2]) out.push(paren[1], paren[2]);
  const sar = /^(.*) SAR China$/.exec(name);
  if (sar?.[1]) out.push(sar[1]);
  return out;
}

const index: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  const put = (text: string, code: string) => {
    const key = countryKey(text);
    if (key !== '' && !map.has(key)) map.set(key, code);
  };
  // Codes first so that a code never loses to a name ("IN" is India, not a word).
  for (const [a2, a3] of COUNTRIES) {
    put(a2, a2);
    put(a3, a2);
  }
  for (const [a2, , en, fr] of COUNTRIES) {
    for (const v of variants(en)) put(v, a2);
    for (const v of variants(fr)) put(v, a2);
  }
  for (const [alias, a2] of Object.entries(ALIASES)) put(alias, a2);
  return map;
})();

/** The ISO 3166-1 alpha-2 code for a code or name, or `undefined` when it is not a known country. */
export function toCountryCode(text: string): string | undefined {
  return index.get(countryKey(text));
}

/** Every alpha-2 code in the table (for tests and documentation). */
export function countryCodes(): string[] {
  return COUNTRIES.map(([a2]) => a2);
}

import { describe, expect, it } from 'vitest';
import { COUNTRIES } from '../../src/mappings/country-table.ts';
import { countryCodes, toCountryCode } from '../../src/mappings/country.ts';

describe('country normalisation to ISO 3166-1 alpha-2', () => {
  it('holds every assigned code, each once', () => {
    const codes = countryCodes();
    expect(codes).toHaveLength(249);
    expect(new Set(codes).size).toBe(249);
    expect(new Set(COUNTRIES.map((r) => r[1])).size).toBe(249);
  });

  it.each([
    ["Côte d'Ivoire", 'CI'],
    ['COTE D’IVOIRE', 'CI'],
    ['cote divoire', undefined],
    ['Ivory Coast', 'CI'],
    ['Allemagne', 'DE'],
    ['DEU', 'DE'],
    ['deu', 'DE'],
    ['de', 'DE'],
    ['Germany', 'DE'],
    ['United Kingdom', 'GB'],
    ['Royaume-Uni', 'GB'],
    ['royaume uni', 'GB'],
    ['UK', 'GB'],
    ['GBR', 'GB'],
    ['États-Unis', 'US'],
    ['Etats Unis', 'US'],
    ['USA', 'US'],
    ['United States of America', 'US'],
    ['  France ', 'FR'],
    ['FRA', 'FR'],
    ['Suisse', 'CH'],
    ['Pays-Bas', 'NL'],
    ['Corée du Sud', 'KR'],
    ['South Korea', 'KR'],
    ['Bosnia and Herzegovina', 'BA'],
    ['Bosnia & Herzegovina', 'BA'],
    ['Saint Lucia', 'LC'],
    ['St. Lucia', 'LC'],
    ['Sainte-Lucie', 'LC'],
    ['Trinidad and Tobago', 'TT'],
    ['Myanmar', 'MM'],
    ['Hong Kong', 'HK'],
    ['Åland Islands', 'AX'],
    ['Réunion', 'RE'],
    ['Atlantis', undefined],
    ['', undefined],
  ])('%s → %s', (input, expected) => {
    expect(toCountryCode(input)).toBe(expected);
  });

  it('maps every alpha-2, alpha-3, English and French name of the table back to its code', () => {
    const en = new Intl.DisplayNames(['en'], { type: 'region' });
    for (const [a2, a3, english, french] of COUNTRIES) {
      expect(toCountryCode(a2)).toBe(a2);
      expect(toCountryCode(a3)).toBe(a2);
      expect(toCountryCode(english)).toBe(a2);
      expect(toCountryCode(french)).toBe(a2);
      expect(en.of(a2)).toBeTruthy();
    }
  });
});

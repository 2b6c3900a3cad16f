import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decideMatch,
  departmentOfPostalCode,
  jaroWinkler,
  nameSimilarity,
  nameTokens,
  normalizeCity,
  normalizeDepartment,
  scoreCandidate,
  type MatchCandidate,
} from '../../src/enrichment/matching.ts';

const cand = (id: string, names: string[], postalCodes: string[], extra: Partial<MatchCandidate> = {}): MatchCandidate => ({
  id,
  names,
  postalCodes,
  cities: [],
  closed: false,
  ...extra,
});

describe('nameTokens', () => {
  it('folds accents, case and punctuation', () => {
    expect(nameTokens('Société Générale d’Électricité')).toEqual(['generale', 'electricite']);
    expect(nameTokens('  ÉTABLISSEMENTS   MARTIN-DURAND ')).toEqual(['etablissements', 'martin', 'durand']);
  });

  it('drops French and foreign legal forms, dotted or not', () => {
    expect(nameTokens('ACME SAS')).toEqual(['acme']);
    expect(nameTokens('ACME S.A.S.')).toEqual(['acme']);
    expect(nameTokens('SARL Boulangerie Petit')).toEqual(['boulangerie', 'petit']);
    expect(nameTokens('Dupont EURL')).toEqual(['dupont']);
    expect(nameTokens('SCI LES TILLEULS')).toEqual(['tilleuls']);
    expect(nameTokens('Müller GmbH')).toEqual(['muller']);
    expect(nameTokens('Acme Ltd.')).toEqual(['acme']);
    expect(nameTokens('Acme, Inc.')).toEqual(['acme']);
    expect(nameTokens('SNC Garage du Centre')).toEqual(['garage', 'centre']);
    expect(nameTokens('SASU Conseil')).toEqual(['conseil']);
  });

  it('joins runs of single letters (acronyms written with dots or spaces)', () => {
    expect(nameTokens('I.B.M.')).toEqual(['ibm']);
    expect(nameTokens('I B M France')).toEqual(['ibm', 'france']);
  });

  it('reads & as "et" and drops filler words, keeping something when all are filler', () => {
    expect(nameTokens('Dupont & Fils')).toEqual(['dupont', 'fils']);
    expect(nameTokens('Dupont et Fils')).toEqual(['dupont', 'fils']);
    expect(nameTokens('La Poste')).toEqual(['poste']);
    expect(nameTokens('SAS')).toEqual(['sas']);
    expect(nameTokens('Les Et')).toEqual(['les', 'et']);
    expect(nameTokens('')).toEqual([]);
    expect(nameTokens('—')).toEqual([]);
  });
});

describe('jaroWinkler', () => {
  it('is 1 for equal strings and 0 for nothing in common', () => {
    expect(jaroWinkler('acme', 'acme')).toBe(1);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
    expect(jaroWinkler('', 'abc')).toBe(0);
  });

  it('matches the textbook values', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('dwayne', 'duane')).toBeCloseTo(0.84, 2);
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.813, 3);
  });

  it('is symmetric', () => {
    expect(jaroWinkler('logiciels', 'logiciel')).toBeCloseTo(jaroWinkler('logiciel', 'logiciels'), 10);
  });
});

describe('nameSimilarity', () => {
  it('ignores legal forms, accents, case and spacing', () => {
    expect(nameSimilarity('Acme SAS', 'ACME')).toBe(1);
    expect(nameSimilarity('Société Générale', 'SOCIETE GENERALE SA')).toBe(1);
    expect(nameSimilarity('Data Soft', 'DATASOFT')).toBe(1);
    expect(nameSimilarity('Boulangerie Pâtissière Martin', 'BOULANGERIE PATISSIERE MARTIN SARL')).toBe(1);
  });

  it('forgives a typo or a plural', () => {
    expect(nameSimilarity('Acme Logiciel', 'ACME LOGICIELS')).toBeGreaterThan(0.95);
    expect(nameSimilarity('Transports Lefebre', 'TRANSPORTS LEFEBVRE')).toBeGreaterThan(0.9);
  });

  it('penalises extra or different words', () => {
    expect(nameSimilarity('Dupont Consulting', 'DUPONT')).toBeLessThan(0.7);
    expect(nameSimilarity('Acme', 'ACME INDUSTRIES')).toBeLessThan(0.7);
    expect(nameSimilarity('Garage Martin', 'GARAGE DURAND')).toBeLessThan(0.6);
  });

  it('never treats different short codes as the same', () => {
    expect(nameSimilarity('ABC', 'ABD')).toBe(0);
    expect(nameSimilarity('SFR', 'SNCF')).toBe(0);
  });

  it('is 0 when either side has no word', () => {
    expect(nameSimilarity('', 'ACME')).toBe(0);
    expect(nameSimilarity('ACME', '...')).toBe(0);
  });
});

describe('départements', () => {
  it('derives the département from a postal code, Corsica and overseas included', () => {
    expect(departmentOfPostalCode('75015')).toBe('75');
    expect(departmentOfPostalCode('01000')).toBe('01');
    expect(departmentOfPostalCode('20000')).toBe('2A');
    expect(departmentOfPostalCode('20200')).toBe('2B');
    expect(departmentOfPostalCode('97411')).toBe('974');
    expect(departmentOfPostalCode('7501')).toBeUndefined();
    expect(departmentOfPostalCode('ABCDE')).toBeUndefined();
  });

  it('normalises département codes as typed', () => {
    expect(normalizeDepartment('1')).toBe('01');
    expect(normalizeDepartment('2a')).toBe('2A');
    expect(normalizeDepartment(' 69 ')).toBe('69');
    expect(normalizeDepartment('974')).toBe('974');
    expect(normalizeDepartment('96')).toBeUndefined();
    expect(normalizeDepartment('Rhône')).toBeUndefined();
  });

  it('normalises city names (arrondissements, CEDEX, Saint)', () => {
    expect(normalizeCity('PARIS 15')).toBe('paris');
    expect(normalizeCity('Lyon 3e')).toBe('lyon');
    expect(normalizeCity('St-Étienne CEDEX 2')).toBe('saint etienne');
    expect(normalizeCity('Saint Etienne')).toBe('saint etienne');
  });
});

describe('scoreCandidate', () => {
  it('boosts the same postal code more than the same département', () => {
    const q = { name: 'Acme Logiciel', postalCode: '69003' };
    const samePc = scoreCandidate(q, cand('1', ['ACME LOGICIELS'], ['69003']));
    const sameDept = scoreCandidate(q, cand('2', ['ACME LOGICIELS'], ['69100']));
    expect(samePc.location).toBe('postal_code');
    expect(sameDept.location).toBe('department');
    expect(samePc.confidence).toBeGreaterThan(sameDept.confidence);
  });

  it('gives 0 to a homonym in another département, even with the exact name', () => {
    const s = scoreCandidate({ name: 'Acme', postalCode: '69003' }, cand('1', ['ACME'], ['13008']));
    expect(s.location).toBe('other_department');
    expect(s.confidence).toBe(0);
  });

  it('uses the city when the candidate has no comparable postal code', () => {
    const s = scoreCandidate({ name: 'Acme', department: '75', city: 'Paris' }, { ...cand('1', ['ACME'], []), cities: ['PARIS 8'] });
    expect(s.location).toBe('city');
  });

  it('takes the best of the candidate names (legal name, usual name, acronym)', () => {
    const s = scoreCandidate({ name: 'SNCF', postalCode: '93200' }, cand('1', ['SOCIETE NATIONALE SNCF', 'SNCF'], ['93200']));
    expect(s.nameScore).toBe(1);
  });
});

describe('decideMatch', () => {
  const opts = { threshold: 0.85 };

  it('accepts a single strong candidate', () => {
    const d = decideMatch({ name: 'Acme Logiciels SAS', postalCode: '69003' }, [cand('111', ['ACME LOGICIELS'], ['69003'])], opts);
    expect(d).toMatchObject({ accepted: true, id: '111', confidence: 1 });
  });

  it('refuses when there is no candidate', () => {
    expect(decideMatch({ name: 'Acme', postalCode: '69003' }, [], opts)).toMatchObject({ accepted: false, reason: 'no_candidates' });
  });

  it('refuses a weak best candidate', () => {
    const d = decideMatch({ name: 'Acme', postalCode: '69003' }, [cand('1', ['ACME INDUSTRIES EUROPE'], ['69003'])], opts);
    expect(d).toMatchObject({ accepted: false, reason: 'below_threshold' });
  });

  it('refuses homonyms in the same place (ambiguity), never picking one silently', () => {
    const d = decideMatch(
      { name: 'Garage du Centre', department: '33' },
      [cand('1', ['GARAGE DU CENTRE'], ['33000']), cand('2', ['GARAGE DU CENTRE'], ['33700'])],
      opts,
    );
    expect(d).toMatchObject({ accepted: false, reason: 'ambiguous' });
  });

  it('picks the homonym in the right département over one elsewhere', () => {
    const d = decideMatch(
      { name: 'Garage du Centre', postalCode: '33000' },
      [cand('elsewhere', ['GARAGE DU CENTRE'], ['13001']), cand('here', ['GARAGE DU CENTRE SARL'], ['33000'])],
      opts,
    );
    expect(d).toMatchObject({ accepted: true, id: 'here' });
  });

  it('never accepts a homonym found only in another département', () => {
    const d = decideMatch({ name: 'Garage du Centre', postalCode: '33000' }, [cand('elsewhere', ['GARAGE DU CENTRE'], ['13001'])], opts);
    expect(d.accepted).toBe(false);
  });

  it('does not let a closed namesake block an active company', () => {
    const d = decideMatch(
      { name: 'Acme', postalCode: '69003' },
      [cand('old', ['ACME'], ['69003'], { closed: true }), cand('new', ['ACME'], ['69003'])],
      opts,
    );
    expect(d).toMatchObject({ accepted: true, id: 'new' });
  });

  it('lets two active near-equal names make the match ambiguous', () => {
    const d = decideMatch(
      { name: 'Acme Logiciel', postalCode: '69003' },
      [cand('1', ['ACME LOGICIELS'], ['69003']), cand('2', ['ACME LOGICIEL'], ['69003'])],
      opts,
    );
    expect(d).toMatchObject({ accepted: false, reason: 'ambiguous' });
  });

  it('accepts when the runner-up is clearly weaker', () => {
    const d = decideMatch(
      { name: 'Acme Logiciels', postalCode: '69003' },
      [cand('1', ['ACME LOGICIELS'], ['69003']), cand('2', ['ACME CONSTRUCTION'], ['69003'])],
      opts,
    );
    expect(d).toMatchObject({ accepted: true, id: '1' });
  });

  it('honours the threshold given', () => {
    const c = [cand('1', ['ACME LOGICIELS FRANCE'], ['69003'])];
    expect(decideMatch({ name: 'Acme Logiciels', postalCode: '69003' }, c, { threshold: 0.95 }).accepted).toBe(false);
    expect(decideMatch({ name: 'Acme Logiciels', postalCode: '69003' }, c, { threshold: 0.8 }).accepted).toBe(true);
  });
});

describe('matching properties', () => {
  const word = fc.stringMatching(/^[a-zàâäçéèêëîïôöùûüÿ]{4,10}$/);
  const name = fc.array(word, { minLength: 1, maxLength: 4 }).map((ws) => ws.join(' '));

  it('similarity is symmetric and within [0, 1]', () => {
    fc.assert(
      fc.property(name, name, (a, b) => {
        const s = nameSimilarity(a, b);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        expect(nameSimilarity(b, a)).toBeCloseTo(s, 10);
      }),
    );
  });

  it('a name matches itself whatever the case, accents or legal form added', () => {
    const forms = fc.constantFrom('SAS', 'S.A.S.', 'SARL', 'EURL', 'SA', 'GmbH', 'Ltd', 'Inc.');
    fc.assert(
      fc.property(name, forms, fc.boolean(), (n, form, before) => {
        const decorated = (before ? `${form} ${n}` : `${n} ${form}`).toUpperCase().normalize('NFD').replace(/\p{M}/gu, '');
        expect(nameSimilarity(n, decorated)).toBe(1);
      }),
    );
  });

  it('never accepts a candidate located in another département', () => {
    const pc = fc.integer({ min: 1, max: 95 }).chain((d) => fc.integer({ min: 0, max: 999 }).map((r) => `${String(d).padStart(2, '0')}${String(r).padStart(3, '0')}`));
    fc.assert(
      fc.property(name, pc, pc, (n, mine, theirs) => {
        fc.pre(departmentOfPostalCode(mine) !== departmentOfPostalCode(theirs));
        const d = decideMatch({ name: n, postalCode: mine }, [cand('x', [n], [theirs])], { threshold: 0 });
        expect(d.accepted && d.confidence > 0).toBe(false);
      }),
    );
  });
});

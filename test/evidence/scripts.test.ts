// Names in every script are redacted (issue 14, item 4): Cyrillic, Chinese and Japanese names
// stayed as they were in every export, and accented names kept their accented letters. Each
// identity below goes through a real signed response (NameID, display name, given name, surname,
// e-mail), the RelayState, a step's URL and an Entra page error, then through every export format
// in both redaction modes; the scanner looks in every encoded form of the export.
import { describe, expect, it } from 'vitest';
import { exportEvidence, type ExportFormat } from '../../lib/evidence/export.ts';
import { Redactor, type RedactionMode } from '../../lib/evidence/redact.ts';
import type { PageError } from '../../lib/types.ts';
import { CLAIM, LAB } from '../lab/factory.ts';
import { labCapture, PEOPLE } from './fixtures.ts';
import { findLeaks } from './scan.ts';

const KEY = new Uint8Array(32).fill(3);

interface Person {
  script: string;
  given: string;
  surname: string;
  display: string;
  mail: string;
  /** What must not appear anywhere (the single-character surnames are checked inside the full name). */
  secrets: string[];
}

const p = (script: string, given: string, surname: string, display: string, local: string, extra: string[] = []): Person => ({
  script,
  given,
  surname,
  display,
  mail: `${local}@contoso.com`,
  secrets: [given, display, local, ...(surname.length >= 2 ? [surname] : []), ...extra],
});

const PEOPLE_OF_THE_WORLD: Person[] = [
  p('Latin with accents', 'José', 'Müller-Núñez', 'José Müller-Núñez', 'josé.müller', ['Müller', 'Núñez']),
  p('Cyrillic', 'Алексей', 'Морозов', 'Алексей Морозов', 'алексей.морозов'),
  p('Greek', 'Ελένη', 'Παπαδοπούλου', 'Ελένη Παπαδοπούλου', 'ελένη.παπαδοπούλου'),
  p('Han', '伟明', '张', '张伟明', '张伟明'),
  p('Japanese kana and kanji', 'さくら', '佐藤', '佐藤さくら', 'サクラ.サトウ', ['サクラ', 'サトウ']),
  p('Hangul', '민준', '김', '김민준', '김민준'),
  p('Arabic', 'فاطمة', 'الزهراء', 'فاطمة الزهراء', 'فاطمة.الزهراء'),
  p('Hebrew', 'נועה', 'כהן', 'נועה כהן', 'נועה.כהן'),
  p('Devanagari', 'प्रिया', 'शर्मा', 'प्रिया शर्मा', 'प्रिया.शर्मा'),
];

function captureOf(person: Person) {
  const cap = labCapture({
    response: {
      nameId: person.mail,
      defaultClaims: false,
      attributes: [
        { name: CLAIM.tenantId, values: [LAB.tenantId] },
        { name: CLAIM.displayName, values: [person.display] },
        { name: CLAIM.email, values: [person.mail] },
        { name: CLAIM.givenName, values: [person.given] },
        { name: CLAIM.surname, values: [person.surname] },
        { name: CLAIM.name, values: [person.mail] },
      ],
    },
    expectations: { expectedUsername: person.mail },
  });
  const relay = `https://portal.example/start?user=${person.given}&name=${person.display}`;
  const oldRelay = encodeURIComponent(PEOPLE.relayState);
  const newRelay = encodeURIComponent(relay);
  cap.messages = cap.messages.map((m) => ({ ...m, relayState: relay, ...(m.rawQuery ? { rawQuery: m.rawQuery.replace(oldRelay, newRelay) } : {}) }));
  cap.steps = cap.steps.map((s) => ({
    ...s,
    ...(s.redirectTo ? { redirectTo: s.redirectTo.replace(oldRelay, newRelay) } : {}),
    url: s.url.replace(encodeURIComponent(PEOPLE.upn), encodeURIComponent(person.mail)),
    ...(s.note ? { note: `Sign-in page for ${person.display}` } : {}),
  }));
  const pageErrors: PageError[] = [
    {
      id: 'pe1',
      source: 'entra',
      url: `${LAB.ssoUrl}/${encodeURIComponent(person.given)}`,
      time: cap.messages[0]!.time!,
      tabId: 7,
      code: 'AADSTS50105',
      // Glued to Japanese text, as a Japanese page writes a name; in an unspaced script, surname and given name glued too.
      message: `Your administrator has configured the application to block users, ${person.display} (${person.mail}): ${person.display}さんの申請${/\p{Script=Han}/u.test(person.surname) ? `, ${person.surname}${person.given}様` : ''}`,
      seenBy: 'page',
    },
  ];
  return { cap, pageErrors };
}

describe.each(PEOPLE_OF_THE_WORLD)('$script: $display', (person) => {
  it.each<[ExportFormat, RedactionMode]>([
    ['markdown', 'pseudonymise'],
    ['markdown', 'remove'],
    ['json', 'pseudonymise'],
    ['json', 'remove'],
    ['har', 'pseudonymise'],
    ['har', 'remove'],
  ])('%s, %s: no part of the name is left anywhere', (format, mode) => {
    const { cap, pageErrors } = captureOf(person);
    const r = exportEvidence({
      format,
      redaction: { mode, key: KEY },
      input: { messages: cap.messages, steps: cap.steps, pageErrors, expectations: cap.expectations, analysisTime: new Date() },
      source: { kind: 'live', names: [] },
      version: 'test',
      exportedAt: new Date(),
    });
    expect(findLeaks(r.text, person.secrets)).toEqual([]);
    // The unredacted export holds them all (the scanner sees them where they are).
    if (format === 'json' && mode === 'pseudonymise') {
      const none = exportEvidence({
        format,
        redaction: { mode: 'none' },
        input: { messages: cap.messages, steps: cap.steps, pageErrors, expectations: cap.expectations, analysisTime: new Date() },
        source: { kind: 'live', names: [] },
        version: 'test',
        exportedAt: new Date(),
      });
      expect(findLeaks(none.text, person.secrets)).toEqual(person.secrets);
    }
  });
});

describe('pseudonyms keep the script, the length and the case pattern', () => {
  const r = new Redactor({ mode: 'pseudonymise', key: KEY });
  const script = (s: string) => {
    const m = [['Latin', /\p{Script=Latin}/u], ['Cyrillic', /\p{Script=Cyrillic}/u], ['Greek', /\p{Script=Greek}/u], ['Han', /\p{Script=Han}/u], ['Hiragana', /\p{Script=Hiragana}/u], ['Katakana', /\p{Script=Katakana}/u], ['Hangul', /\p{Script=Hangul}/u], ['Arabic', /\p{Script=Arabic}/u], ['Hebrew', /\p{Script=Hebrew}/u], ['Devanagari', /\p{Script=Devanagari}/u]] as const;
    return Array.from(s).map((c) => m.find(([, re]) => re.test(c))?.[0] ?? c);
  };
  it.each(PEOPLE_OF_THE_WORLD.map((x) => [x.script, x.display] as const))('%s', (_s, display) => {
    r.collectIdentifier(display, 'identity');
    const out = r.mapIdentifier(display);
    expect(out).not.toBe(display);
    expect(Array.from(out)).toHaveLength(Array.from(display).length);
    expect(script(out)).toEqual(script(display));
    expect(Array.from(out).map((c) => c !== c.toLowerCase())).toEqual(Array.from(display).map((c) => c !== c.toLowerCase()));
  });
  it('an accented letter becomes an accented letter, and the same name the same pseudonym in any case', () => {
    const a = r.mapIdentifier('José');
    expect(a).toMatch(/^[A-Z][a-z]{2}[à-öø-ÿ]$/);
    expect(r.mapIdentifier('JOSÉ')).toBe(a.toUpperCase());
    expect(r.mapIdentifier('алексей')).toBe(r.mapIdentifier('Алексей').toLowerCase());
  });
  it('remove masks every script', () => {
    const m = new Redactor({ mode: 'remove', key: KEY });
    expect(m.mapIdentifier('Алексей Морозов')).toBe('Xxxxxxx Xxxxxxx');
    expect(m.mapIdentifier('张伟明@contoso.com')).toBe('xxx@xxxxxxx.com');
  });
});

// Entra provisioning logs as downloaded from the Entra admin center (FACTS D6): JSON (an array of
// Graph provisioningObjectSummary records, newer provisioningAction/provisioningStatusInfo or older
// action/statusInfo), or CSV (three files joined by change ID, with headers Microsoft does not
// document: detected here). Reads them into one record shape, groups failures and skips by cause
// with an explanation and a fix, tells each user's story in order, and says what the logs cannot
// show. Pure: no I/O, no clock.
import type { Severity } from '../types.ts';
import { explainAwsError, readAwsError, STATUS_WORDS, type ErrorCause } from './aws-errors.ts';
import { headerKey, parseCsv, type CsvTable } from './csv.ts';
import { parseLenientJson } from '../logs/json.ts';
import {
  AWS_USERS,
  ENTRA_PROVISIONING,
  ENTRA_PROVISIONING_CREDENTIALS,
  ENTRA_PROVISIONING_SCOPE,
  ENTRA_PROVISIONING_USER_MAPPINGS,
  ENTRA_PROVISION_ON_DEMAND,
  ENTRA_USER_PROPERTIES,
  ENTRA_USERS_GROUPS,
  FIX_TOKEN,
} from './fixes.ts';

export type LogStatus = 'Success' | 'Failure' | 'Skipped' | 'Warning' | 'Unknown';

export interface LogStep {
  name?: string;
  type?: string;
  status?: string;
  description?: string;
  details: Record<string, string>;
}

export interface LogModified {
  name: string;
  oldValue?: string;
  newValue?: string;
}

export interface ProvisioningRecord {
  id?: string;
  changeId?: string;
  cycleId?: string;
  jobId?: string;
  /** ISO 8601 UTC, when readable. */
  time?: string;
  action: string;
  status: LogStatus;
  errorCode?: string;
  reason?: string;
  additionalDetails?: string;
  errorCategory?: string;
  recommendedAction?: string;
  source: { id?: string; displayName?: string; type?: string };
  target: { id?: string; displayName?: string; type?: string };
  initiatedBy?: string;
  /** The enterprise app whose job wrote it (servicePrincipal, else targetSystem): tells apps apart in a tenant-wide download. */
  app?: string;
  steps: LogStep[];
  modified: LogModified[];
  /** "file.json[12]" or "file.csv:13": where it was read. */
  origin: string;
}

export interface LogFile {
  name: string;
  text: string;
}

export interface ReadResult {
  ok: boolean;
  /** Records of other apps in a tenant-wide download, left out: app name → count. */
  otherApps?: { app: string; count: number }[];
  format?: 'json' | 'csv';
  records: ProvisioningRecord[];
  /** What the reader noticed: unrecognised columns, rows without a change ID… */
  notes: string[];
  /** Files that could not be read, with why. */
  errors: { file: string; message: string }[];
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Case-insensitive property, parsing a JSON-string value (Azure Monitor exports nest JSON as text). */
function prop(o: unknown, ...names: string[]): unknown {
  if (!isObj(o)) return undefined;
  for (const n of names) {
    const k = n in o ? n : Object.keys(o).find((x) => x.toLowerCase() === n.toLowerCase());
    if (k === undefined) continue;
    const v = o[k];
    if (typeof v === 'string' && /^\s*[[{]/.test(v)) {
      try {
        return JSON.parse(v) as unknown;
      } catch {
        return v;
      }
    }
    if (v !== undefined && v !== null) return v;
  }
  return undefined;
}

const text = (v: unknown): string | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v.trim() === '' ? undefined : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
};

const cap = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

export function normStatus(v: unknown): LogStatus {
  const s = String(v ?? '').trim().toLowerCase();
  if (s === 'success' || s === 'succeeded') return 'Success';
  if (s === 'failure' || s === 'failed' || s === 'error') return 'Failure';
  if (s === 'skipped' || s === 'skip') return 'Skipped';
  if (s === 'warning') return 'Warning';
  return 'Unknown';
}

const ACTIONS = ['create', 'update', 'delete', 'disable', 'stageddelete', 'other'];
export function normAction(v: unknown): string {
  const s = String(v ?? '').trim();
  if (!s) return 'Other';
  const l = s.toLowerCase().replace(/[\s_-]/g, '');
  if (ACTIONS.includes(l)) return l === 'stageddelete' ? 'StagedDelete' : cap(l);
  return s;
}

function normTime(v: unknown): string | undefined {
  const s = text(v);
  if (!s) return undefined;
  // "2025-03-14T09:30:12.123Z", "2025-03-14 09:30:12", "3/14/2025, 9:30:12 AM" (portal CSV, UTC).
  const iso = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(s.trim());
  const t = Date.parse(iso ? (/[zZ]|[+-]\d{2}:?\d{2}$/.test(s.trim()) ? s.trim().replace(' ', 'T') : `${s.trim().replace(' ', 'T')}Z`) : `${s} UTC`);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

function details(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(v)) {
    // [{key, value}] as in some Graph versions.
    for (const kv of v) if (isObj(kv) && typeof kv.key === 'string') out[kv.key] = text(kv.value) ?? '';
  } else if (isObj(v)) {
    for (const [k, x] of Object.entries(v)) out[k] = text(x) ?? '';
  } else if (typeof v === 'string' && /^\s*[[{]/.test(v)) {
    try {
      return details(JSON.parse(v) as unknown);
    } catch {
      /* not JSON after all: read it as text below */
    }
    for (const m of v.matchAll(/"?([A-Za-z][\w ]{1,40}?)"?\s*[:=]\s*"?([^;\n\r",}]+)/g)) out[m[1]!.trim()] = m[2]!.trim();
  } else if (typeof v === 'string') {
    // "SkipReason: NotEffectivelyEntitled; IsActive: True" or lines of "Key: Value".
    for (const m of v.matchAll(/([A-Za-z][\w ]{1,40}?)\s*[:=]\s*([^;\n\r]+)/g)) out[m[1]!.trim()] = m[2]!.trim();
  }
  return out;
}

function identity(v: unknown): ProvisioningRecord['source'] {
  const o: ProvisioningRecord['source'] = {};
  const id = text(prop(v, 'id'));
  const dn = text(prop(v, 'displayName'));
  const type = text(prop(v, 'identityType', 'type'));
  if (id) o.id = id;
  if (dn) o.displayName = dn;
  if (type) o.type = type;
  return o;
}

/** One Graph provisioningObjectSummary (v1.0 or beta, or an Azure Monitor AADProvisioningLogs row). */
export function recordFromJson(r: Record<string, unknown>, origin: string): ProvisioningRecord {
  const si = prop(r, 'provisioningStatusInfo', 'statusInfo', 'ProvisioningStatusInfo');
  const ei = prop(si, 'errorInformation') ?? si;
  const status = normStatus(prop(si, 'status') ?? prop(r, 'ResultType', 'status', 'result'));
  const steps = prop(r, 'provisioningSteps');
  const modified = prop(r, 'modifiedProperties');
  const rec: ProvisioningRecord = {
    action: normAction(prop(r, 'provisioningAction', 'action', 'OperationName')),
    status,
    source: identity(prop(r, 'sourceIdentity')),
    target: identity(prop(r, 'targetIdentity')),
    steps: Array.isArray(steps)
      ? steps.filter(isObj).map((s) => {
          const st: LogStep = { details: details(prop(s, 'details')) };
          const put = <K extends 'name' | 'type' | 'status' | 'description'>(k: K, v: string | undefined) => {
            if (v !== undefined) st[k] = v;
          };
          put('name', text(prop(s, 'name')));
          put('type', text(prop(s, 'provisioningStepType', 'stepType', 'type')));
          put('status', text(prop(s, 'status')));
          put('description', text(prop(s, 'description')));
          return st;
        })
      : [],
    modified: Array.isArray(modified)
      ? modified.filter(isObj).map((m) => {
          const x: LogModified = { name: text(prop(m, 'displayName', 'name')) ?? '(unnamed)' };
          const o = text(prop(m, 'oldValue'));
          const n = text(prop(m, 'newValue'));
          if (o !== undefined) x.oldValue = o;
          if (n !== undefined) x.newValue = n;
          return x;
        })
      : [],
    origin,
  };
  const put = <K extends keyof ProvisioningRecord>(k: K, v: ProvisioningRecord[K] | undefined) => {
    if (v !== undefined) rec[k] = v;
  };
  put('id', text(prop(r, 'id', 'Id')));
  put('changeId', text(prop(r, 'changeId', 'ChangeId')));
  put('cycleId', text(prop(r, 'cycleId', 'CycleId')));
  put('jobId', text(prop(r, 'jobId', 'JobId')));
  put('time', normTime(prop(r, 'activityDateTime', 'TimeGenerated', 'TimeGenerated [UTC]', 'activityDate', 'endTime', 'startTime')));
  put('errorCode', text(prop(ei, 'errorCode')) ?? text(prop(r, 'ResultSignature')));
  put('reason', text(prop(ei, 'reason')) ?? text(prop(r, 'ResultDescription')));
  put('additionalDetails', text(prop(ei, 'additionalDetails')));
  put('errorCategory', text(prop(ei, 'errorCategory')));
  put('recommendedAction', text(prop(ei, 'recommendedAction')));
  put('initiatedBy', text(prop(prop(r, 'initiatedBy'), 'displayName')) ?? text(prop(r, 'initiatedBy')));
  put('app', text(prop(prop(r, 'servicePrincipal', 'ServicePrincipal'), 'displayName')) ?? text(prop(prop(r, 'targetSystem', 'TargetSystem'), 'displayName', 'name')));
  return rec;
}

// ---------------------------------------------------------------- CSV

type Col =
  | 'changeId' | 'id' | 'time' | 'action' | 'status' | 'errorCode' | 'reason' | 'additionalDetails' | 'errorCategory' | 'recommendedAction'
  | 'sourceId' | 'sourceName' | 'sourceType' | 'targetId' | 'targetName' | 'targetType' | 'cycleId' | 'jobId' | 'initiatedBy'
  | 'stepName' | 'stepType' | 'stepStatus' | 'stepDescription' | 'stepDetails'
  | 'propName' | 'oldValue' | 'newValue' | 'app';

/** Header synonyms (compared as headerKey): the portal's labels and the Graph property names. */
const SYNONYMS: Record<Col, string[]> = {
  changeId: ['changeid'],
  id: ['id', 'activityid', 'requestid'],
  time: ['date', 'dateutc', 'datetime', 'datetimeutc', 'activitydatetime', 'activitydate', 'timestamp', 'timegenerated', 'time'],
  action: ['action', 'provisioningaction', 'operationname'],
  status: ['status', 'provisioningstatus', 'provisioningstatusinfostatus', 'statusinfostatus', 'resulttype', 'result'],
  errorCode: ['errorcode', 'statusinfoerrorcode', 'provisioningstatusinfoerrorcode', 'errorinformationerrorcode', 'provisioningstatusinfoerrorinformationerrorcode', 'resultsignature', 'failurecode'],
  reason: ['reason', 'failurereason', 'errorreason', 'statusreason', 'statusinforeason', 'provisioningstatusinforeason', 'errorinformationreason', 'provisioningstatusinfoerrorinformationreason', 'resultdescription', 'errordescription'],
  additionalDetails: ['additionaldetails', 'statusinfoadditionaldetails', 'errorinformationadditionaldetails', 'provisioningstatusinfoerrorinformationadditionaldetails'],
  errorCategory: ['errorcategory', 'statusinfoerrorcategory', 'errorinformationerrorcategory', 'provisioningstatusinfoerrorinformationerrorcategory'],
  recommendedAction: ['recommendedaction', 'statusinforecommendedaction', 'errorinformationrecommendedaction', 'provisioningstatusinfoerrorinformationrecommendedaction'],
  sourceId: ['sourceidentityid', 'sourceid', 'sourceobjectid'],
  sourceName: ['sourceidentityname', 'sourceidentitydisplayname', 'sourcename', 'sourcedisplayname', 'identity', 'identityname'],
  sourceType: ['sourceidentitytype', 'sourceidentityidentitytype', 'identitytype', 'objecttype', 'entitytype', 'type'],
  targetId: ['targetidentityid', 'targetid', 'targetobjectid'],
  targetName: ['targetidentityname', 'targetidentitydisplayname', 'targetname', 'targetdisplayname'],
  targetType: ['targetidentitytype', 'targetidentityidentitytype'],
  cycleId: ['cycleid'],
  jobId: ['jobid'],
  initiatedBy: ['initiatedby', 'initiatedbyname', 'initiatedbydisplayname'],
  stepName: ['stepname', 'name', 'provisioningstepname'],
  stepType: ['steptype', 'provisioningsteptype', 'type'],
  stepStatus: ['stepstatus', 'status'],
  stepDescription: ['description', 'stepdescription'],
  stepDetails: ['details', 'stepdetails'],
  propName: ['propertyname', 'attributename', 'displayname', 'name', 'property', 'attribute', 'modifiedproperty', 'targetattribute'],
  oldValue: ['oldvalue', 'previousvalue', 'old'],
  newValue: ['newvalue', 'updatedvalue', 'new'],
  app: ['serviceprincipalname', 'serviceprincipaldisplayname', 'serviceprincipal', 'applicationname', 'application', 'appdisplayname', 'targetsystemname', 'targetsystemdisplayname', 'targetsystem'],
};

const MAIN_COLS: Col[] = ['changeId', 'id', 'time', 'action', 'status', 'errorCode', 'reason', 'additionalDetails', 'errorCategory', 'recommendedAction', 'sourceId', 'sourceName', 'sourceType', 'targetId', 'targetName', 'targetType', 'cycleId', 'jobId', 'initiatedBy', 'app'];
const STEP_COLS: Col[] = ['changeId', 'stepName', 'stepType', 'stepStatus', 'stepDescription', 'stepDetails'];
const PROP_COLS: Col[] = ['changeId', 'propName', 'oldValue', 'newValue'];

type CsvKind = 'main' | 'steps' | 'modified';

function mapColumns(headers: string[], cols: Col[]): { map: Partial<Record<Col, number>>; unknown: string[] } {
  const keys = headers.map(headerKey);
  const map: Partial<Record<Col, number>> = {};
  const used = new Set<number>();
  // Exact synonyms first, in the order of preference.
  for (const c of cols) {
    for (const syn of SYNONYMS[c]) {
      const i = keys.findIndex((k, j) => k === syn && !used.has(j));
      if (i >= 0) {
        map[c] = i;
        used.add(i);
        break;
      }
    }
  }
  return { map, unknown: headers.filter((_, i) => !used.has(i) && headers[i] !== '') };
}

export function csvKind(name: string, headers: string[]): CsvKind | undefined {
  const keys = new Set(headers.map(headerKey));
  const has = (...xs: string[]) => xs.some((x) => keys.has(x));
  if (has('oldvalue', 'newvalue', 'previousvalue', 'updatedvalue')) return 'modified';
  if (has('provisioningsteptype', 'steptype', 'stepname') || (/provisioningsteps/i.test(name) && has('changeid'))) return 'steps';
  if (/modifiedproperties/i.test(name) && has('changeid')) return 'modified';
  if (has('action', 'provisioningaction', 'status', 'resulttype', 'provisioningstatusinfostatus', 'statusinfostatus')) return 'main';
  if (has('description') && has('changeid')) return 'steps';
  return undefined;
}

function readCsvFiles(files: { name: string; table: CsvTable }[], notes: string[], errors: ReadResult['errors']): ProvisioningRecord[] {
  const mains: { name: string; table: CsvTable; map: Partial<Record<Col, number>> }[] = [];
  const steps = new Map<string, LogStep[]>();
  const mods = new Map<string, LogModified[]>();
  for (const f of files) {
    const kind = csvKind(f.name, f.table.headers);
    if (!kind) {
      errors.push({ file: f.name, message: `CSV with columns ${f.table.headers.slice(0, 8).map((h) => JSON.stringify(h)).join(', ')}${f.table.headers.length > 8 ? '…' : ''}: not one of the three provisioning-log files (no Action/Status, no provisioning step, no old/new value columns)` });
      continue;
    }
    const { map, unknown } = mapColumns(f.table.headers, kind === 'main' ? MAIN_COLS : kind === 'steps' ? STEP_COLS : PROP_COLS);
    if (unknown.length) notes.push(`${f.name}: columns not used: ${unknown.slice(0, 12).join(', ')}${unknown.length > 12 ? '…' : ''}`);
    if (f.table.ragged) notes.push(`${f.name}: ${f.table.ragged} row(s) had a different number of fields than the header`);
    if (f.table.truncated) notes.push(`${f.name}: only the first ${f.table.rows.length} rows were read`);
    const get = (row: string[], c: Col) => (map[c] !== undefined ? row[map[c]!]?.trim() || undefined : undefined);
    if (kind === 'main') {
      if (map.status === undefined) {
        errors.push({ file: f.name, message: `no status column among ${f.table.headers.map((h) => JSON.stringify(h)).join(', ')}` });
        continue;
      }
      if (map.changeId === undefined) notes.push(`${f.name}: no change ID column, so its steps and modified properties cannot be joined`);
      mains.push({ name: f.name, table: f.table, map });
      continue;
    }
    if (map.changeId === undefined) {
      errors.push({ file: f.name, message: 'no change ID column: it cannot be joined with ProvisioningLogs' });
      continue;
    }
    for (const row of f.table.rows) {
      const cid = get(row, 'changeId');
      if (!cid) continue;
      if (kind === 'steps') {
        const s: LogStep = { details: details(get(row, 'stepDetails')) };
        const n = get(row, 'stepName');
        const t = get(row, 'stepType');
        const st = get(row, 'stepStatus');
        const d = get(row, 'stepDescription');
        if (n) s.name = n;
        if (t) s.type = t;
        if (st) s.status = st;
        if (d) s.description = d;
        const list = steps.get(cid) ?? [];
        list.push(s);
        steps.set(cid, list);
      } else {
        const m: LogModified = { name: get(row, 'propName') ?? '(unnamed)' };
        const o = get(row, 'oldValue');
        const nv = get(row, 'newValue');
        if (o !== undefined) m.oldValue = o;
        if (nv !== undefined) m.newValue = nv;
        const list = mods.get(cid) ?? [];
        list.push(m);
        mods.set(cid, list);
      }
    }
  }
  const out: ProvisioningRecord[] = [];
  const joined = new Set<string>();
  for (const m of mains) {
    m.table.rows.forEach((row, i) => {
      const get = (c: Col) => (m.map[c] !== undefined ? row[m.map[c]!]?.trim() || undefined : undefined);
      const cid = get('changeId');
      const rec: ProvisioningRecord = {
        action: normAction(get('action')),
        status: normStatus(get('status')),
        source: {},
        target: {},
        steps: cid ? steps.get(cid) ?? [] : [],
        modified: cid ? mods.get(cid) ?? [] : [],
        origin: `${m.name}:${i + 2}`,
      };
      if (cid) joined.add(cid);
      const put = (k: 'id' | 'changeId' | 'cycleId' | 'jobId' | 'errorCode' | 'reason' | 'additionalDetails' | 'errorCategory' | 'recommendedAction' | 'initiatedBy', c: Col) => {
        const v = get(c);
        if (v !== undefined) rec[k] = v;
      };
      put('id', 'id');
      put('changeId', 'changeId');
      put('cycleId', 'cycleId');
      put('jobId', 'jobId');
      put('errorCode', 'errorCode');
      put('reason', 'reason');
      put('additionalDetails', 'additionalDetails');
      put('errorCategory', 'errorCategory');
      put('recommendedAction', 'recommendedAction');
      put('initiatedBy', 'initiatedBy');
      const app = get('app');
      if (app) rec.app = app;
      const t = normTime(get('time'));
      if (t) rec.time = t;
      const sid = get('sourceId');
      const sn = get('sourceName');
      const stype = get('sourceType');
      if (sid) rec.source.id = sid;
      if (sn) rec.source.displayName = sn;
      if (stype) rec.source.type = stype;
      const tid = get('targetId');
      const tn = get('targetName');
      const ttype = get('targetType');
      if (tid) rec.target.id = tid;
      if (tn) rec.target.displayName = tn;
      if (ttype) rec.target.type = ttype;
      out.push(rec);
    });
  }
  const orphanSteps = [...steps.keys()].filter((k) => !joined.has(k)).length;
  if (mains.length && orphanSteps) notes.push(`${orphanSteps} change ID(s) in the steps file have no row in ProvisioningLogs (a different download?)`);
  if (!mains.length && (steps.size || mods.size)) {
    errors.push({ file: files.map((f) => f.name).join(', '), message: 'only the steps / modified-properties files were given: add ProvisioningLogs.csv, the file with Action and Status' });
  }
  return out;
}

const MAX_RECORDS = 300_000;

/** Reads downloaded provisioning logs: one JSON file, or the CSV files (any subset of the three). */
export function readProvisioningLogs(files: LogFile[]): ReadResult {
  const notes: string[] = [];
  const errors: ReadResult['errors'] = [];
  const records: ProvisioningRecord[] = [];
  const csvs: { name: string; table: CsvTable }[] = [];
  let sawJson = false;
  for (const f of files) {
    const t = f.text.replace(/^\uFEFF/, '').trim();
    if (!t) {
      errors.push({ file: f.name, message: 'the file is empty' });
      continue;
    }
    if (t.startsWith('[') || t.startsWith('{')) {
      const parsed = parseLenientJson(t);
      if (!parsed.ok) {
        errors.push({ file: f.name, message: `looks like JSON but does not parse (${parsed.message})` });
        continue;
      }
      for (const r of parsed.repaired) notes.push(`${f.name}: ${r}`);
      const doc = parsed.value;
      const list = jsonRecords(doc, f.name, notes);
      const isRecord = (o: unknown): o is Record<string, unknown> =>
        isObj(o) && prop(o, 'provisioningStatusInfo', 'statusInfo', 'ProvisioningStatusInfo', 'provisioningAction', 'action', 'ResultType') !== undefined;
      let read = 0;
      let other = 0;
      for (let i = 0; i < list.length; i++) {
        const o: unknown = list[i];
        if (!isRecord(o)) {
          other++;
          continue;
        }
        if (read >= MAX_RECORDS) break;
        records.push(recordFromJson(o, `${f.name}[${i}]`));
        read++;
      }
      if (!read) {
        errors.push({ file: f.name, message: 'JSON, but no provisioning log records in it (no provisioningStatusInfo / statusInfo / provisioningAction)' });
        continue;
      }
      if (other) notes.push(`${f.name}: ${other} entries are not provisioning records and were skipped`);
      if (read >= MAX_RECORDS && list.length > read + other) notes.push(`${f.name}: only the first ${MAX_RECORDS} records were read`);
      sawJson = true;
      continue;
    }
    const table = parseCsv(t, MAX_RECORDS);
    if (isLogAnalyticsCsv(table.headers)) {
      // Log Analytics (AADProvisioningLogs) exports its dynamic columns as JSON text: each row is
      // one record with everything in it; its "Type" column is the table's name, not an identity type.
      const before = records.length;
      table.rows.forEach((row, i) => {
        const o: Record<string, unknown> = {};
        table.headers.forEach((h, j) => {
          if (row[j] !== undefined && row[j] !== '') o[h.replace(/\s*\[UTC\]\s*$/i, '')] = row[j];
        });
        delete o.Type;
        records.push(recordFromJson(o, `${f.name}:${i + 2}`));
      });
      notes.push(`${f.name}: a Log Analytics (AADProvisioningLogs) export, ${records.length - before} rows`);
      sawJson = true;
      continue;
    }
    csvs.push({ name: f.name, table });
  }
  if (csvs.length) records.push(...readCsvFiles(csvs, notes, errors));
  const format = sawJson && !csvs.length ? 'json' : csvs.length && !sawJson ? 'csv' : sawJson ? 'json' : undefined;
  const scoped = identityCenterOnly(records);
  if (scoped.note) notes.push(scoped.note);
  return { ok: scoped.records.length > 0, ...(format ? { format } : {}), records: scoped.records, notes, errors, ...(scoped.others.length ? { otherApps: scoped.others } : {}) };
}

/** Log Analytics' CSV of AADProvisioningLogs: its dynamic columns (JSON text) by their table names (FACTS D6.5). */
function isLogAnalyticsCsv(headers: string[]): boolean {
  const keys = new Set(headers.map(headerKey));
  return (keys.has('provisioningstatusinfo') || keys.has('provisioningsteps') || keys.has('sourceidentity')) && (keys.has('timegeneratedutc') || keys.has('timegenerated') || keys.has('type'));
}

/**
 * The records in a JSON document: a downloaded array, Graph's { value: [...] }, one record, a
 * provisionOnDemand response ({ key, value } holding JSON text), or the Log Analytics query API's
 * { tables: [{ columns, rows }] }.
 */
function jsonRecords(doc: unknown, name: string, notes: string[]): unknown[] {
  if (isObj(doc) && typeof doc.value === 'string' && typeof doc.key === 'string') {
    // provisionOnDemand (FACTS D5.2): value is the provisioning record, key the result.
    const v = parseLenientJson(doc.value);
    const k = parseLenientJson(doc.key);
    if (v.ok && isObj(v.value)) {
      const rec = { ...v.value };
      const res = k.ok && isObj(k.value) ? k.value : undefined;
      const det = res && isObj(res.details) ? res.details : undefined;
      const si = isObj(rec.statusInfo) ? { ...rec.statusInfo } : {};
      if (res && typeof res.result === 'string' && !si.status) si.status = res.result;
      if (det && !si.errorCode && typeof det.errorCode === 'string') si.errorCode = det.errorCode;
      if (det && !si.reason && typeof det.errorMessage === 'string') si.reason = det.errorMessage;
      rec.statusInfo = si;
      notes.push(`${name}: a provisionOnDemand response (one record)`);
      return [rec];
    }
  }
  if (isObj(doc) && Array.isArray(doc.tables)) {
    const out: unknown[] = [];
    for (const tb of doc.tables) {
      if (!isObj(tb) || !Array.isArray(tb.columns) || !Array.isArray(tb.rows)) continue;
      const cols = tb.columns.map((c) => (isObj(c) && typeof c.name === 'string' ? c.name : ''));
      for (const row of tb.rows) {
        if (!Array.isArray(row)) continue;
        const o: Record<string, unknown> = {};
        cols.forEach((c, i) => {
          if (c && c !== 'Type') o[c] = row[i];
        });
        out.push(o);
      }
    }
    notes.push(`${name}: a Log Analytics query result, ${out.length} rows`);
    return out;
  }
  return Array.isArray(doc) ? doc : isObj(doc) && Array.isArray(doc.value) ? doc.value : isObj(doc) ? [doc] : [];
}

/**
 * The AWS IAM Identity Center gallery app's provisioning job ids start with its template id,
 * "aWSSingleSignon." ([OBS] FACTS D6.7), and its default name says AWS.
 */
const IDC_JOB = /^aws\s*single\s*sign\s*on\./i;
const IDC_NAME = /\baws\b|amazon|identity center|single sign-?on/i;
export function isIdentityCenterRecord(r: ProvisioningRecord): boolean {
  return IDC_JOB.test(r.jobId ?? '') || IDC_NAME.test(r.app ?? '');
}

/**
 * A tenant-wide download holds every app's records (FACTS D6.4: servicePrincipal, jobId and
 * targetSystem tell them apart). With more than one app in it, Identity Center's records are kept
 * and the others counted by app; a download of one app is kept whole (it may have been renamed).
 */
export function identityCenterOnly(records: ProvisioningRecord[]): { records: ProvisioningRecord[]; others: { app: string; count: number }[]; note?: string } {
  const appOf = (r: ProvisioningRecord) => r.app ?? (r.jobId ? r.jobId.split('.')[0]! : '');
  const apps = new Set(records.map(appOf).filter(Boolean));
  if (apps.size === 1 && !records.some(isIdentityCenterRecord)) {
    const app = [...apps][0]!;
    return { records, others: [], note: `The records are of the app "${app}", not recognisably AWS IAM Identity Center: the explanations below assume Identity Center is the target.` };
  }
  if (apps.size <= 1) return { records, others: [] };
  const kept = records.filter((r) => isIdentityCenterRecord(r));
  if (!kept.length) {
    return { records, others: [], note: `The records come from ${apps.size} apps (${[...apps].slice(0, 6).join(', ')}), none recognisably AWS IAM Identity Center: all are shown. Download the provisioning logs of the AWS app alone to read only its records.` };
  }
  const keep = new Set(kept);
  const counts = new Map<string, number>();
  for (const r of records) if (!keep.has(r)) counts.set(appOf(r) || '(app not named)', (counts.get(appOf(r) || '(app not named)') ?? 0) + 1);
  const others = [...counts.entries()].map(([app, count]) => ({ app, count })).sort((a, b) => b.count - a.count);
  const n = records.length - kept.length;
  return {
    records: kept,
    others,
    note: `${n} record${n === 1 ? '' : 's'} of other apps left out (a tenant-wide download): ${others.slice(0, 8).map((o) => `${o.app} ×${o.count}`).join(', ')}${others.length > 8 ? ', …' : ''}. Only AWS IAM Identity Center's ${kept.length} are read.`,
  };
}

// ---------------------------------------------------------------- causes

export type LogCause =
  | 'not-effectively-entitled'
  | 'out-of-scope'
  | 'already-in-sync'
  | 'import-skipped'
  | 'aws-rejected'
  | 'missing-attributes'
  | 'duplicate'
  | 'unauthorized'
  | 'throttled'
  | 'quarantine'
  | 'service-incompatible'
  | 'multi-value-source'
  | 'not-found'
  | 'server'
  | 'other-failure'
  | 'other-skip';

export interface Classified {
  cause: LogCause;
  /** For aws-rejected and friends: the AWS error read from the record, and its explanation. */
  aws?: { status?: number; detail?: string; cause: ErrorCause };
  /** The short reason to show on a timeline line. */
  short: string;
}

const CODE = (r: ProvisioningRecord) => (r.errorCode ?? '').toLowerCase();

/** All the text a record carries about why: reason, details, step descriptions and step details. */
function allText(r: ProvisioningRecord): string {
  return [r.reason, r.additionalDetails, ...r.steps.flatMap((s) => [s.description, ...Object.entries(s.details).map(([k, v]) => `${k}: ${v}`)])]
    .filter(Boolean)
    .join('\n');
}

/** An AWS SCIM error inside log text: the JSON body Entra quotes, or a bare status + detail. */
export function awsErrorIn(t: string): { status?: number; detail?: string } | undefined {
  let from = 0;
  for (let tries = 0; tries < 20; tries++) {
    const at = t.indexOf('{', from);
    if (at < 0) break;
    let depth = 0;
    let inStr = false;
    let end = -1;
    for (let i = at; i < t.length && i < at + 20_000; i++) {
      const c = t[i];
      if (inStr) {
        if (c === '\\') i++;
        else if (c === '"') inStr = false;
      } else if (c === '"') inStr = true;
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) {
        end = i;
        break;
      }
    }
    if (end > at) {
      try {
        const o = JSON.parse(t.slice(at, end + 1)) as unknown;
        if (isObj(o)) {
          const e = readAwsError(o);
          if (e && (e.detail || e.status)) {
            // A body without its status ({"detail": …}): the status Entra wrote around it.
            const status = e.status ?? statusInText(t);
            return { ...(status ? { status } : {}), ...(e.detail ? { detail: e.detail } : {}) };
          }
        }
      } catch {
        /* next */
      }
    }
    from = at + 1;
  }
  const detail = /"detail"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(t)?.[1];
  const status = statusInText(t);
  if (detail || status) return { ...(status ? { status } : {}), ...(detail ? { detail: detail.replace(/\\"/g, '"') } : {}) };
  return undefined;
}

/** An HTTP status in log text: "status": "400", "HTTP status code 409", or .NET's "StatusCode: BadRequest". */
function statusInText(t: string): number | undefined {
  const n = /"status"\s*:\s*"?(\d{3})/.exec(t)?.[1] ?? /\b(?:status ?code|HTTP)\W{0,3}(\d{3})\b/i.exec(t)?.[1];
  if (n) return Number(n);
  const word = /\bstatus ?code\W{0,3}([A-Za-z]{5,30})\b/i.exec(t)?.[1];
  return word ? STATUS_WORDS[word.toLowerCase()] : undefined;
}

export function classify(r: ProvisioningRecord): Classified | undefined {
  if (r.status === 'Success') return undefined;
  const code = CODE(r);
  const t = allText(r);
  const low = `${code} ${t}`.toLowerCase();
  const has = (...xs: string[]) => xs.some((x) => low.includes(x));
  const skipReason = r.steps.map((s) => s.details.SkipReason ?? s.details.skipReason).find(Boolean) ?? /SkipReason\W{1,3}(\w+)/i.exec(t)?.[1];
  const sr = (skipReason ?? '').toLowerCase();
  const short = (s: string) => s.replace(/\s+/g, ' ').trim().slice(0, 240);
  if (has('quarantine', 'escrowproportionthreshold')) return { cause: 'quarantine', short: short(r.reason ?? 'The provisioning job is in quarantine') };
  if (sr === 'noteffectivelyentitled' || has('noteffectivelyentitled', 'not effectively entitled')) {
    return { cause: 'not-effectively-entitled', short: 'Skipped: not effectively entitled (not assigned, or not in scope)' };
  }
  if (sr === 'redundantexport' || has('redundantexport', 'already match')) return { cause: 'already-in-sync', short: 'Skipped: already in sync' };
  if (code === 'importskipped' || sr === 'importskipped') return { cause: 'import-skipped', short: 'Skipped: the matching attribute is empty on the Entra object' };
  const aws = t.includes('{') || /\d{3}/.test(t) ? awsErrorIn(t) : undefined;
  if (['duplicatetargetentries', 'duplicatesourceentries', 'conflict', 'entryconflict'].includes(code) || aws?.status === 409 || has('duplicate', 'already exists')) {
    return { cause: 'duplicate', ...(aws ? { aws: { ...aws, cause: 'duplicate' as const } } : {}), short: short(aws?.detail ?? r.reason ?? code) };
  }
  if (code === 'mandatoryfieldsmissing' || code === 'missingvalues') return { cause: 'missing-attributes', short: short(r.reason ?? 'A required attribute has no value') };
  if (code === 'schemapropertycanonlyacceptvalue') return { cause: 'multi-value-source', short: short(r.reason ?? 'A multi-valued source for a single-valued attribute') };
  if (code === 'systemforcrossdomainidentitymanagementserviceincompatible' || code === 'systemforcrossdomainidentitymanagementmultipleentriesinresponse') {
    return { cause: 'service-incompatible', short: short(r.reason ?? code) };
  }
  if (code === 'toomanyrequests' || aws?.status === 429 || has('too many requests', 'throttl')) return { cause: 'throttled', short: 'Throttled by AWS (HTTP 429)' };
  if (['unauthorized', 'insufficientrights', 'notpermitted', 'methodnotallowed'].includes(code) || aws?.status === 401 || has('unauthorized')) {
    return { cause: 'unauthorized', short: short(r.reason ?? 'AWS refused the token (HTTP 401)') };
  }
  if (code === 'systemforcrossdomainidentitymanagementbadrequest' || aws?.status === 400 || has('badrequest', 'unparsable', 'violates schema', 'only allow single item')) {
    const x = explainAwsError({ status: aws?.status ?? 400, ...(aws?.detail ? { detail: aws.detail } : {}), shape: 'scim', schemaKeys: [], statusIsString: true });
    if (x.cause === 'duplicate') return { cause: 'duplicate', aws: { ...aws, cause: 'duplicate' }, short: short(aws?.detail ?? 'duplicate') };
    return { cause: 'aws-rejected', aws: { ...(aws ?? {}), cause: x.cause }, short: short(aws?.detail ? `AWS: ${aws.detail}` : r.reason ?? 'AWS answered HTTP 400') };
  }
  if (aws?.status === 404 || code === 'invalidanchor' || has('resourcenotfound')) return { cause: 'not-found', short: short(aws?.detail ?? r.reason ?? 'Not found in AWS') };
  if (code === 'internalservererror' || code === 'timeout' || code === 'internalerror' || (aws?.status ?? 0) >= 500) return { cause: 'server', short: short(aws?.detail ?? r.reason ?? code) };
  if (r.status === 'Skipped') {
    if (code === 'entrysynchronizationskipped' || has('scop', 'not in scope', 'out of scope', 'filter')) return { cause: 'out-of-scope', short: short(r.reason ?? 'Skipped: out of scope') };
    return { cause: 'other-skip', short: short(r.reason ?? skipReason ?? 'Skipped') };
  }
  if (r.status === 'Warning' && !code && !r.reason) return undefined;
  return { cause: 'other-failure', short: short(r.reason ?? (code || 'Failed')) };
}

export interface CauseInfo {
  severity: Severity;
  title: string;
  explanation: string;
  fix: string;
  facts: string[];
}

export const CAUSES: Record<LogCause, CauseInfo> = {
  'not-effectively-entitled': {
    severity: 'warning',
    title: 'Skipped: not effectively entitled (NotEffectivelyEntitled)',
    explanation:
      'Entra skipped these objects as not entitled to provisioning: not assigned to the app (directly or through a directly assigned group; nested groups do not count), ' +
      'out of the scoping filter, disabled in Entra, or assigned with an entitlement that does not provision (Microsoft\'s note on users assigned the "Default Access" role belongs here). ' +
      'They are never created in Identity Center, so their sign-in fails even with a perfect SAML response.',
    fix: `${ENTRA_USERS_GROUPS}: assign the user or a directly assigned group (unassign and assign again if it already is), check ${ENTRA_PROVISIONING_SCOPE} and the scoping filters, and make sure the Entra account is enabled; then ${ENTRA_PROVISION_ON_DEMAND}.`,
    facts: ['D3.3', 'D2.1', 'D1.6', 'AADSTS50105'],
  },
  'out-of-scope': {
    severity: 'info',
    title: 'Skipped: out of scope',
    explanation: 'The object did not pass the scoping rules (scoping filter, "Sync only assigned users and groups"), so Entra did not send it to AWS.',
    fix: `Check ${ENTRA_PROVISIONING_SCOPE} and the scoping filter under the user mapping in ${ENTRA_PROVISIONING_USER_MAPPINGS}.`,
    facts: ['D3.5', 'D3.3'],
  },
  'already-in-sync': {
    severity: 'info',
    title: 'Skipped: already in sync (RedundantExport)',
    explanation: 'Entra and Identity Center already held the same values, so nothing was sent. Not a problem.',
    fix: 'Nothing to do.',
    facts: ['D3.4'],
  },
  'import-skipped': {
    severity: 'warning',
    title: 'Skipped: the matching attribute is empty in Entra (ImportSkipped)',
    explanation: 'Entra matches users on one attribute (userName for AWS); when its source value is empty, the object is skipped.',
    fix: `Fill the attribute mapped to userName on the Entra object (${ENTRA_USER_PROPERTIES}), or fix the mapping in ${ENTRA_PROVISIONING_USER_MAPPINGS}.`,
    facts: ['D3.5', 'D1.4', 'C5.10'],
  },
  'aws-rejected': {
    severity: 'error',
    title: 'AWS refused the request (HTTP 400, SystemForCrossDomainIdentityManagementBadRequest)',
    explanation:
      'Identity Center answered 400 to the create or update. Its detail names the reason when it is specific; "Request is unparsable, syntactically incorrect, or violates schema." covers multi-valued lists, empty strings, missing names and refused characters.',
    fix: `Open one failed record's Modified Properties to see the values sent, and lint the body with samlscope (scim lint). The common fix is in ${ENTRA_PROVISIONING_USER_MAPPINGS}.`,
    facts: ['D3.7', 'C6', 'C5.2', 'C5.3', 'C5.6'],
  },
  'missing-attributes': {
    severity: 'error',
    title: 'A required attribute has no value (MandatoryFieldsMissing / MissingValues)',
    explanation: 'Identity Center needs userName, first name, last name and display name; Entra does not provision users missing any of them.',
    fix: `Fill First name, Last name and Display name on the users in ${ENTRA_USER_PROPERTIES}, then ${ENTRA_PROVISION_ON_DEMAND}.`,
    facts: ['C5.1', 'D3.5'],
  },
  duplicate: {
    severity: 'error',
    title: 'Duplicate: the user or group already exists (409 / DuplicateTargetEntries / EntryConflict)',
    explanation:
      'Identity Center already has an object with the same userName, primary email or externalId (groups: displayName), created by hand or by an earlier sync; or Entra matched more than one target object.',
    fix: `Find the existing user in ${AWS_USERS} by user name and email; delete it if it is a stale copy (assignments go with it), or make Entra match on userName alone in ${ENTRA_PROVISIONING_USER_MAPPINGS}.`,
    facts: ['C5.7', 'C5.10', 'D3.5', 'D3.9'],
  },
  unauthorized: {
    severity: 'error',
    title: 'AWS refused the token (401 Unauthorized)',
    explanation: 'The SCIM access token expired (one year), was deleted, or the Tenant URL is wrong. Every object fails until it is replaced, and the job goes to quarantine.',
    fix: FIX_TOKEN,
    facts: ['C1.3', 'C1.6', 'D4.2'],
  },
  throttled: {
    severity: 'warning',
    title: 'Throttled by AWS (429 TooManyRequests)',
    explanation: 'Identity Center throttled Entra. Entra retries in a later cycle; a throttled create that had in fact succeeded can come back as a duplicate.',
    fix: 'Usually nothing: wait for the next cycle. Do not run other SCIM clients against the same Identity Center during a full cycle.',
    facts: ['C7.1', 'C7.2', 'D3.5'],
  },
  quarantine: {
    severity: 'error',
    title: 'The provisioning job is in quarantine',
    explanation:
      'Entra put the job in quarantine (invalid credentials, or more than 40% of events failing). Cycles then run once a day, and after four weeks the job is disabled.',
    fix: `Fix the failures above (often an expired token), then ${ENTRA_PROVISIONING} → Restart provisioning. With Graph: POST .../synchronization/jobs/{jobId}/restart with {"criteria":{"resetScope":"Full"}}.`,
    facts: ['D4.1', 'D4.2', 'D4.3', 'D4.4'],
  },
  'service-incompatible': {
    severity: 'error',
    title: 'Entra could not read AWS\'s answer (SystemForCrossDomainIdentityManagementServiceIncompatible)',
    explanation: 'Entra received a response from the SCIM endpoint it could not parse, or several objects where it expected one. This has been reported with AWS.',
    fix: `Check the Tenant URL in ${ENTRA_PROVISIONING_CREDENTIALS} (https://scim.<region>.amazonaws.com/<tenant id>/scim/v2, no extra path), then retry with ${ENTRA_PROVISION_ON_DEMAND}.`,
    facts: ['D3.5', 'D3.6', 'C1.1'],
  },
  'multi-value-source': {
    severity: 'error',
    title: 'A multi-valued Entra attribute mapped to a single value (SchemaPropertyCanOnlyAcceptValue)',
    explanation: 'A mapping sends a list into an attribute that takes one value.',
    fix: `In ${ENTRA_PROVISIONING_USER_MAPPINGS}, map a single-valued source, or wrap the source with SingleAppRoleAssignment()/Item().`,
    facts: ['D3.5', 'C5.2'],
  },
  'not-found': {
    severity: 'error',
    title: 'Not found in AWS (404)',
    explanation: 'The user or group Entra holds an id for was deleted in Identity Center.',
    fix: `Restart provisioning with a full reset (${ENTRA_PROVISIONING} → Restart provisioning) so Entra matches or creates it again.`,
    facts: ['C6', 'D4.4'],
  },
  server: {
    severity: 'warning',
    title: 'AWS or Entra failed to process the request (5xx, timeout)',
    explanation: 'A transient failure; Entra retries failed exports in a later cycle.',
    fix: 'Wait for the next cycle (about 40 minutes). If it repeats, open a case with the request id.',
    facts: ['C6', 'D1.1', 'D3.5'],
  },
  'other-failure': {
    severity: 'error',
    title: 'Other failures',
    explanation: 'Failures with an error code samlscope does not explain; the reason Entra gives is shown.',
    fix: `Open the record in ${ENTRA_PROVISIONING} → Provisioning logs → Troubleshooting & Recommendations.`,
    facts: ['D3.1', 'D3.5'],
  },
  'other-skip': {
    severity: 'info',
    title: 'Other skips',
    explanation: 'Skipped for a reason samlscope does not explain; the reason Entra gives is shown.',
    fix: `Open the record in ${ENTRA_PROVISIONING} → Provisioning logs → Steps.`,
    facts: ['D3.1'],
  },
};

// ---------------------------------------------------------------- analysis

export interface CauseGroup {
  /** The cause, with the AWS cause for aws-rejected (e.g. "aws-rejected:single-item"). */
  key: string;
  cause: LogCause;
  severity: Severity;
  title: string;
  explanation: string;
  fix: string;
  facts: string[];
  count: number;
  /** Objects affected, by display name (or id). */
  identities: string[];
  /** Distinct AWS detail texts and error codes seen, most frequent first. */
  details: { text: string; count: number }[];
  examples: { identity: string; time?: string; action: string; errorCode?: string; text: string; origin: string }[];
}

export interface TimelineEvent {
  time?: string;
  action: string;
  status: LogStatus;
  cause?: LogCause;
  text: string;
  modified: string[];
  origin: string;
  cycleId?: string;
}

export interface IdentityTimeline {
  key: string;
  label: string;
  type?: string;
  sourceId?: string;
  targetId?: string;
  events: TimelineEvent[];
  /** One sentence: where this object stands after the last record. */
  summary: string;
  /** The worst status in its records. */
  worst: LogStatus;
}

export interface Limitation {
  id: 'nested-groups' | 'dynamic-groups' | 'removed-attributes' | 'cycle-interval' | 'quarantine-state' | 'other-logs' | 'retention' | 'sign-in';
  text: string;
  facts: string[];
  /** True when something in these logs makes it matter (group records, cleared attributes…). */
  relevant: boolean;
}

export interface LogAnalysis {
  records: number;
  from?: string;
  to?: string;
  cycles: number;
  byStatus: Record<LogStatus, number>;
  byAction: Record<string, number>;
  causes: CauseGroup[];
  identities: IdentityTimeline[];
  limits: Limitation[];
}

const STATUS_RANK: Record<LogStatus, number> = { Failure: 0, Warning: 1, Skipped: 2, Unknown: 3, Success: 4 };
const SEV_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function identityKey(r: ProvisioningRecord): { key: string; label: string } {
  const label = r.source.displayName ?? r.target.displayName ?? r.source.id ?? r.target.id ?? '(unnamed object)';
  const key = r.source.id ?? (r.source.displayName ? `name:${r.source.displayName.toLowerCase()}` : r.target.id ?? `name:${label.toLowerCase()}`);
  return { key, label };
}

function summaryOf(events: TimelineEvent[]): string {
  const last = events[events.length - 1];
  if (!last) return '';
  const created = events.some((e) => e.action === 'Create' && e.status === 'Success');
  if (last.status === 'Success') {
    if (last.action === 'Disable') return 'Disabled in AWS (active = false): unassigned or out of scope in Entra; sign-in is refused.';
    if (last.action === 'Delete' || last.action === 'StagedDelete') return 'Deleted in AWS.';
    return created ? 'Created in AWS and in sync after the last record.' : `In AWS; the last change (${last.action}) succeeded.`;
  }
  if (last.status === 'Skipped') return `Not sent to AWS: ${last.text}.`;
  if (last.status === 'Failure') return `Failing: ${last.text}${created ? '' : ' — it was never created in AWS by these records'}.`;
  return `Last record: ${last.status}: ${last.text}.`;
}

export function analyzeProvisioningLogs(records: ProvisioningRecord[]): LogAnalysis {
  const byStatus: Record<LogStatus, number> = { Success: 0, Failure: 0, Skipped: 0, Warning: 0, Unknown: 0 };
  const byAction: Record<string, number> = {};
  const groups = new Map<string, CauseGroup>();
  const seenIds = new Map<string, Set<string>>();
  const timelines = new Map<string, IdentityTimeline>();
  const cycles = new Set<string>();
  const times: string[] = [];
  let groupsSeen = false;
  let cleared = false;
  const sorted = [...records].sort((a, b) => (a.time ?? '').localeCompare(b.time ?? ''));
  for (const r of sorted) {
    byStatus[r.status]++;
    byAction[r.action] = (byAction[r.action] ?? 0) + 1;
    if (r.cycleId) cycles.add(r.cycleId);
    if (r.time) times.push(r.time);
    if (/group/i.test(r.source.type ?? r.target.type ?? '')) groupsSeen = true;
    if (r.modified.some((m) => m.oldValue !== undefined && (m.newValue === undefined || m.newValue === '' || /^\(?null\)?$/i.test(m.newValue)))) cleared = true;
    const { key, label } = identityKey(r);
    const c = classify(r);
    if (c) {
      const gk = c.cause === 'aws-rejected' && c.aws ? `${c.cause}:${c.aws.cause}` : c.cause;
      let g = groups.get(gk);
      if (!g) {
        const info = CAUSES[c.cause];
        let title = info.title;
        let explanation = info.explanation;
        let fix = info.fix;
        let facts = info.facts;
        if (c.cause === 'aws-rejected' && c.aws && c.aws.cause !== 'unparsable') {
          const x = explainAwsError({ status: c.aws.status ?? 400, ...(c.aws.detail ? { detail: c.aws.detail } : {}), shape: 'scim', schemaKeys: [], statusIsString: true });
          title = `AWS refused the request (HTTP ${c.aws.status ?? 400}): ${x.meaning.replace(/\.$/, '')}`;
          explanation = `${x.meaning} Most likely: ${x.likely.join(' Or: ')}`;
          fix = x.fix;
          facts = [...new Set(['D3.7', ...x.facts])];
        }
        g = { key: gk, cause: c.cause, severity: info.severity, title, explanation, fix, facts, count: 0, identities: [], details: [], examples: [] };
        groups.set(gk, g);
      }
      g.count++;
      const seen = seenIds.get(gk) ?? new Set<string>();
      seenIds.set(gk, seen);
      if (!seen.has(label) && g.identities.length < 500) {
        seen.add(label);
        g.identities.push(label);
      }
      const dt = c.aws?.detail ?? (r.errorCode ? `${r.errorCode}${r.reason ? `: ${r.reason.slice(0, 200)}` : ''}` : r.reason?.slice(0, 200));
      if (dt) {
        const d = g.details.find((x) => x.text === dt);
        if (d) d.count++;
        else if (g.details.length < 20) g.details.push({ text: dt, count: 1 });
      }
      if (g.examples.length < 5) {
        g.examples.push({ identity: label, ...(r.time ? { time: r.time } : {}), action: r.action, ...(r.errorCode ? { errorCode: r.errorCode } : {}), text: c.short, origin: r.origin });
      }
    }
    let tl = timelines.get(key);
    if (!tl) {
      tl = { key, label, events: [], summary: '', worst: 'Success', ...(r.source.type ?? r.target.type ? { type: (r.source.type ?? r.target.type)! } : {}) };
      timelines.set(key, tl);
    }
    if (r.source.id) tl.sourceId = r.source.id;
    if (r.target.id) tl.targetId = r.target.id;
    if (STATUS_RANK[r.status] < STATUS_RANK[tl.worst]) tl.worst = r.status;
    if (tl.events.length < 200) {
      tl.events.push({
        ...(r.time ? { time: r.time } : {}),
        action: r.action,
        status: r.status,
        ...(c ? { cause: c.cause } : {}),
        text: c?.short ?? (r.status === 'Success' ? `${r.action} succeeded` : r.reason ?? r.status),
        modified: r.modified.map((m) => m.name).slice(0, 30),
        origin: r.origin,
        ...(r.cycleId ? { cycleId: r.cycleId } : {}),
      });
    }
  }
  for (const tl of timelines.values()) tl.summary = summaryOf(tl.events);
  for (const g of groups.values()) g.details.sort((a, b) => b.count - a.count);
  const causes = [...groups.values()].sort((a, b) => SEV_RANK[a.severity] - SEV_RANK[b.severity] || b.count - a.count);
  const identities = [...timelines.values()].sort((a, b) => STATUS_RANK[a.worst] - STATUS_RANK[b.worst] || a.label.localeCompare(b.label));
  times.sort();
  const from = times[0];
  const to = times[times.length - 1];
  const quarantined = groups.has('quarantine');
  const limits: Limitation[] = [
    {
      id: 'nested-groups',
      text:
        'Members of a group nested inside an assigned group are never provisioned, and no record says so: they are simply absent. Only direct members of a group assigned to the app count.',
      facts: ['D2.1', 'D5.1'],
      relevant: groupsSeen,
    },
    {
      id: 'dynamic-groups',
      text: 'A dynamic group is provisioned with its direct members only (one level), and losing dynamic membership shows up as a disable, not as a group change.',
      facts: ['D2.2'],
      relevant: groupsSeen,
    },
    {
      id: 'removed-attributes',
      text: 'An attribute cleared in Entra is not removed in Identity Center: the record can show Success while AWS keeps the old value (AWS calls this a known Entra limitation).',
      facts: ['A8.5', 'D1.7'],
      relevant: cleared,
    },
    {
      id: 'cycle-interval',
      text: `Changes reach AWS on the next incremental cycle, about every 40 minutes (not configurable); anything changed after ${to ? to.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : 'the last record'} is not here yet. Use Provision on demand to push one user now.`,
      facts: ['D1.1', 'D5.1'],
      relevant: true,
    },
    {
      id: 'quarantine-state',
      text: 'Whether the job is in quarantine is shown on the provisioning overview page and by Graph (synchronization job status), not record by record.',
      facts: ['D4.1', 'D4.4'],
      relevant: quarantined || byStatus.Failure > 0,
    },
    {
      id: 'other-logs',
      text: 'Role imports, and the failed exports\' AWS error text ("Export" events), are also in the Entra audit logs, not only here.',
      facts: ['D6.6', 'D3.10'],
      relevant: byStatus.Failure > 0,
    },
    {
      id: 'retention',
      text: 'Provisioning logs are kept 30 days with Entra ID P1/P2 (7 days otherwise), and browser downloads struggle above about 250,000 records.',
      facts: ['D6.1'],
      relevant: false,
    },
    {
      id: 'sign-in',
      text: 'These logs say nothing about SAML sign-in: a user provisioned successfully still needs a NameID equal to their Identity Center user name.',
      facts: ['A1.3'],
      relevant: true,
    },
  ];
  return { records: records.length, ...(from ? { from } : {}), ...(to ? { to } : {}), cycles: cycles.size, byStatus, byAction, causes, identities, limits };
}

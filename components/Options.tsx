// The options page: what the checks expect, retention, and the optional hosts.
import { forgetKey, type LearnedKeys } from '../lib/abac/learned.ts';
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { DEFAULT_SETTINGS, hostPermissionOf, validateSettings, type Settings, type SettingsErrors } from '../lib/settings.ts';
import { MAX_RETENTION_BYTES } from '../lib/capture/limits.ts';
import { certificateDetails, describeCertificate, isCertificateError, splitCertificates, toPem } from '../lib/signature/cert.ts';
import { defaultAcs, isMetadataError, parseMetadata, type IdpMetadata, type Metadata, type SpMetadata } from '../lib/signature/metadata.ts';
import type { CertificatePins } from '../lib/signature/types.ts';
import { VERSION } from '../lib/version.ts';

export interface OptionsPort {
  load(): Promise<{ settings: Settings; locked: (keyof Settings)[] }>;
  save(s: Settings): Promise<void>;
  requestOrigins(origins: string[]): Promise<boolean>;
  hasOrigins(origins: string[]): Promise<boolean>;
  /** Where the captured sign-ins disagree with imported metadata (sentences); optional. */
  compareWithTraffic?(imported: { idp?: { metadata: IdpMetadata; name: string }; sp?: { metadata: SpMetadata; name: string } }): Promise<string[]>;
  /** Certificates pinned per tenant (first seen) when none is configured; optional. */
  loadPins?(): Promise<CertificatePins>;
  clearPins?(): Promise<void>;
  /** AccessControl keys learned from accepted sign-ins (used while none are configured); optional. */
  loadLearnedKeys?(): Promise<LearnedKeys>;
  saveLearnedKeys?(keys: LearnedKeys): Promise<void>;
}

const DAY_MS = 86400e3;

/** The certificate as people read it: subject, issuer, validity, SHA-1 / SHA-256, key size. */
function CertificateCard({ cert, note, quiet }: { cert: string; note?: string; quiet?: boolean }) {
  const info = describeCertificate(cert);
  // Once saving has said why under the field ("Certificate 1: …"), not a second time here.
  if (isCertificateError(info)) return quiet ? null : <p class="error">{info.message}</p>;
  const left = info.notAfter ? info.notAfter.getTime() - Date.now() : undefined;
  return (
    <div class="cert">
      {note ? <p class="hint">{note}</p> : null}
      <dl>
        {certificateDetails(info).map((d) => (
          <Fragment key={d.label}>
            <dt>{d.label}</dt>
            <dd class={d.label.includes('SHA') || d.label === 'Serial number' ? 'mono' : ''}>{d.value}</dd>
          </Fragment>
        ))}
      </dl>
      {left !== undefined && left <= 0 ? <p class="error">Expired: Entra signs with another certificate once this one expires, and AWS must hold that one.</p> : null}
      {left !== undefined && left > 0 && left < 30 * DAY_MS ? (
        <p class="error">Expires in {Math.ceil(left / DAY_MS)} days: create the new certificate in Entra and upload it to AWS before then.</p>
      ) : null}
    </div>
  );
}

const pemText = (certs: string[]) => certs.map(toPem).join('');

const AMAZONAWS = ['https://*.amazonaws.com/*'];

type TextKey = 'spEntityId' | 'acsUrl' | 'region' | 'idpEntityId' | 'portalUrl';

const TEXT_FIELDS: { key: TextKey; label: string; hint: string; placeholder: string }[] = [
  {
    key: 'spEntityId',
    label: 'AWS SP entity ID (IAM Identity Center issuer URL)',
    hint: 'Entra calls it Identifier (Entity ID). AWS console → IAM Identity Center → Settings → Identity source → Actions → Change identity source.',
    placeholder: 'https://eu-west-1.signin.aws.amazon.com/platform/saml/d-1234567890',
  },
  {
    key: 'acsUrl',
    label: 'AWS ACS URL (Entra Reply URL)',
    hint: 'The IAM Identity Center Assertion Consumer Service (ACS) URL.',
    placeholder: 'https://eu-west-1.signin.aws/platform/saml/acs/00000000-0000-0000-0000-000000000000',
  },
  { key: 'region', label: 'AWS region', hint: 'Where IAM Identity Center runs (its primary Region).', placeholder: 'eu-west-1' },
  {
    key: 'idpEntityId',
    label: 'Entra issuer (IdP entity ID)',
    hint: 'https://sts.windows.net/<tenant id>/ — with the trailing slash.',
    placeholder: 'https://sts.windows.net/00000000-0000-0000-0000-000000000000/',
  },
  { key: 'portalUrl', label: 'AWS access portal URL', hint: 'Where the My Apps tile should land.', placeholder: 'https://d-1234567890.awsapps.com/start' },
];

export function Options({ port }: { port: OptionsPort }) {
  const [s, setS] = useState<Settings>(DEFAULT_SETTINGS);
  const [locked, setLocked] = useState<(keyof Settings)[]>([]);
  const [errors, setErrors] = useState<SettingsErrors>({});
  const [status, setStatus] = useState<{ tone: 'ok' | 'error' | 'neutral'; text: string }>({ tone: 'neutral', text: 'Loading…' });
  const [awsPortals, setAwsPortals] = useState(false);
  const [certText, setCertText] = useState('');
  const [imported, setImported] = useState<{ idp?: { metadata: IdpMetadata; name: string }; sp?: { metadata: SpMetadata; name: string } }>({});
  const [importNotes, setImportNotes] = useState<string[]>([]);
  const [disagreements, setDisagreements] = useState<string[] | undefined>(undefined);
  const [pins, setPins] = useState<CertificatePins>({});
  const [learned, setLearned] = useState<LearnedKeys>({});

  useEffect(() => {
    port.load().then(
      (r) => {
        setS(r.settings);
        setCertText(pemText(r.settings.idpCertificates));
        setLocked(r.locked);
        setStatus({ tone: 'neutral', text: r.locked.length ? 'Some values are set by your administrator and cannot be changed here.' : '' });
      },
      (e: unknown) => setStatus({ tone: 'error', text: `Could not read the settings: ${(e as Error)?.message ?? e}` }),
    );
    port.hasOrigins(AMAZONAWS).then(setAwsPortals, () => setAwsPortals(false));
    port.loadPins?.().then(setPins, () => setPins({}));
    port.loadLearnedKeys?.().then(setLearned, () => setLearned({}));
  }, [port]);

  const set = <K extends keyof Settings>(k: K, v: Settings[K]) => setS((old) => ({ ...old, [k]: v }));
  const isLocked = (k: keyof Settings) => locked.includes(k);

  function onCertText(text: string) {
    setCertText(text);
    set('idpCertificates', splitCertificates(text));
  }

  async function importMetadata(kind: 'idp' | 'sp', input: HTMLInputElement) {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    if (file.size > 1024 * 1024) {
      setStatus({ tone: 'error', text: `${file.name} is ${Math.round(file.size / 1024)} KB: not a metadata file.` });
      return;
    }
    const m: Metadata | { ok: false; message: string } = parseMetadata(await file.text(), kind);
    if (isMetadataError(m)) {
      setStatus({ tone: 'error', text: `${file.name}: ${m.message}` });
      return;
    }
    const notes: string[] = [];
    const next = { ...imported };
    const fill = <K extends keyof Settings>(k: K, v: Settings[K], what: string) => {
      if (isLocked(k)) notes.push(`${what} is set by your administrator: not changed.`);
      else set(k, v);
    };
    if (m.kind === 'idp') {
      next.idp = { metadata: m, name: file.name };
      if (m.entityId) fill('idpEntityId', m.entityId, 'The Entra issuer');
      if (m.signingCertificates.length && !isLocked('idpCertificates')) setCertText(pemText(m.signingCertificates));
      if (m.signingCertificates.length) fill('idpCertificates', m.signingCertificates, 'The IdP certificates');
      notes.push(
        `${file.name}: Entra federation metadata for ${m.entityId ?? '(no entity ID)'}, ${m.signingCertificates.length} signing certificate${m.signingCertificates.length === 1 ? '' : 's'}, sign-in URL ${m.ssoUrls[0]?.location ?? '(none)'}.`,
      );
    } else {
      next.sp = { metadata: m, name: file.name };
      if (m.entityId) fill('spEntityId', m.entityId, 'The AWS SP entity ID');
      const acs = defaultAcs(m);
      if (acs?.location) fill('acsUrl', acs.location, 'The ACS URL');
      notes.push(`${file.name}: AWS SP metadata for ${m.entityId ?? '(no entity ID)'}, ACS URL ${acs?.location ?? '(none)'}.`);
    }
    notes.push(...m.warnings.map((w) => `${file.name}: ${w}`));
    setImported(next);
    setImportNotes(notes);
    setStatus({ tone: 'neutral', text: 'Imported. Review the values, then Save.' });
    setDisagreements(undefined);
    if (port.compareWithTraffic) {
      port.compareWithTraffic(next).then(setDisagreements, () => setDisagreements(undefined));
    }
  }

  async function save(e: Event) {
    e.preventDefault();
    const errs = validateSettings(s);
    if (certText.trim() && s.idpCertificates.length === 0) errs.idpCertificates = noCertificateFound(certText);
    setErrors(errs);
    if (Object.keys(errs).length) {
      setStatus({ tone: 'error', text: 'Not saved: correct the fields marked below.' });
      return;
    }
    try {
      if (s.extraHosts.length) {
        const granted = await port.requestOrigins([...new Set(s.extraHosts.map(hostPermissionOf))]);
        if (!granted) {
          setStatus({ tone: 'error', text: 'Not saved: the browser did not grant access to the extra identity-provider hosts.' });
          return;
        }
      }
      await port.save(s);
      setStatus({ tone: 'ok', text: 'Saved. The popup uses these values from now on.' });
    } catch (err) {
      setStatus({ tone: 'error', text: `Not saved: ${(err as Error)?.message ?? err}` });
    }
  }

  return (
    <form class="options" onSubmit={(e) => void save(e)} noValidate>
      <h1>samlscope options</h1>
      <p class="lead">
        What the checks expect. Leave a field empty to let samlscope infer it from the captured AuthnRequest; findings then say what they compared against.
      </p>
      <fieldset>
        <legend>AWS IAM Identity Center and Entra ID</legend>
        {TEXT_FIELDS.map((f) => (
          <label key={f.key} class="field">
            <span class="label">{f.label}</span>
            <input
              type="text"
              name={f.key}
              value={s[f.key]}
              placeholder={f.placeholder}
              disabled={isLocked(f.key)}
              spellcheck={false}
              onInput={(e) => set(f.key, (e.currentTarget as HTMLInputElement).value)}
              aria-invalid={!!errors[f.key]}
            />
            <span class="hint">{isLocked(f.key) ? 'Set by your administrator.' : f.hint}</span>
            {errors[f.key] ? <span class="error">{errors[f.key]}</span> : null}
          </label>
        ))}
        <label class="field">
          <span class="label">Expected AccessControl keys</span>
          <ListInput
            name="accessControlKeys"
            value={s.accessControlKeys}
            placeholder="Department, CostCenter"
            disabled={isLocked('accessControlKeys')}
            onList={(list) => set('accessControlKeys', list)}
            invalid={!!errors.accessControlKeys}
          />
          <span class="hint">Tag keys from AWS console → IAM Identity Center → Settings → Attributes for access control, comma-separated.</span>
          {errors.accessControlKeys ? <span class="error">{errors.accessControlKeys}</span> : null}
        </label>
        {Object.keys(learned).length ? (
          <div class="field learned-keys">
            <span class="label" id="learned-keys-label">
              AccessControl keys learned from accepted sign-ins{s.accessControlKeys.length ? ' (not used: keys are set above)' : ' (used while none are set above)'}
            </span>
            <span class="hint">A later sign-in of the same instance without one of these keys gets a warning that says it was learned, and from which sign-in.</span>
            {Object.entries(learned).map(([instance, keys]) => (
              <div key={instance} class="learned-instance">
                <span class="hint">Identity Center instance {instance}</span>
                <ul aria-labelledby="learned-keys-label">
                  {keys.map((k) => (
                    <li key={k.key}>
                      <code>{k.key}</code> from the sign-in of {k.user ? `${k.user}, ` : ''}
                      {k.firstSeen.replace(/\.\d{3}Z$/, 'Z')} (message {k.messageId}){' '}
                      {port.saveLearnedKeys ? (
                        <button
                          type="button"
                          class="btn"
                          aria-label={`Forget the learned key ${k.key}`}
                          onClick={() => {
                            const next = forgetKey(learned, instance, k.key);
                            void port.saveLearnedKeys!(next).then(() => setLearned(next));
                          }}
                        >
                          Forget
                        </button>
                      ) : null}
                    </li>
                  ))}
                </ul>
              </div>
            ))}
            {!isLocked('accessControlKeys') ? (
              <button
                type="button"
                class="btn"
                onClick={() => set('accessControlKeys', [...new Set(Object.values(learned).flatMap((ks) => ks.map((k) => k.key)))])}
              >
                Use the learned keys as the expected keys
              </button>
            ) : null}
          </div>
        ) : null}
        <label class="field">
          <span class="label">The Identity Center user name is the user's</span>
          <select
            name="usernameSource"
            value={s.usernameSource}
            disabled={isLocked('usernameSource')}
            onChange={(e) => set('usernameSource', (e.currentTarget as HTMLSelectElement).value as Settings['usernameSource'])}
          >
            <option value="none">(don't assume: compare only when the claims disagree)</option>
            <option value="upn">UPN (user.userprincipalname) — AWS's advice for members</option>
            <option value="mail">mail (user.mail)</option>
          </select>
          <span class="hint">The NameID must equal the user name exactly; this tells samlscope which claim holds it.</span>
        </label>
        <label class="field">
          <span class="label">Clock skew tolerance (seconds)</span>
          <input
            type="number"
            name="clockSkewSeconds"
            min={0}
            max={86400}
            value={s.clockSkewSeconds}
            disabled={isLocked('clockSkewSeconds')}
            // Emptied, it is no number (the check below says so), not 0 s saved in silence.
            onInput={(e) => {
              const v = (e.currentTarget as HTMLInputElement).value.trim();
              set('clockSkewSeconds', v === '' ? Number.NaN : Number(v));
            }}
            aria-invalid={!!errors.clockSkewSeconds}
          />
          <span class="hint">Microsoft advises allowing five minutes (300 s).</span>
          {errors.clockSkewSeconds ? <span class="error">{errors.clockSkewSeconds}</span> : null}
        </label>
      </fieldset>
      <fieldset>
        <legend>Signatures: the IdP certificate AWS holds</legend>
        <label class="field">
          <span class="label">IdP signing certificate(s)</span>
          <textarea
            name="idpCertificates"
            rows={5}
            value={certText}
            placeholder={'-----BEGIN CERTIFICATE-----\nMIIC8DCCAdigAwIBAgIQ…\n-----END CERTIFICATE-----'}
            disabled={isLocked('idpCertificates')}
            spellcheck={false}
            onInput={(e) => onCertText((e.currentTarget as HTMLTextAreaElement).value)}
            aria-invalid={!!errors.idpCertificates}
          />
          <span class="hint">
            {isLocked('idpCertificates')
              ? 'Set by your administrator.'
              : 'The certificate uploaded to AWS (IAM Identity Center → Settings → Identity source → Actions → Manage authentication), as PEM or base64; several during a rollover. Entra: Single sign-on → SAML Certificates → Certificate (Base64). Empty: samlscope pins the first certificate it sees per tenant and flags a change.'}
          </span>
          {errors.idpCertificates ? <span class="error">{errors.idpCertificates}</span> : null}
        </label>
        {s.idpCertificates.map((c, i) => (
          <CertificateCard key={c} cert={c} quiet={!!errors.idpCertificates} note={s.idpCertificates.length > 1 ? `Certificate ${i + 1} of ${s.idpCertificates.length}` : undefined} />
        ))}
        <div class="field">
          <span class="label">Import metadata</span>
          <div class="imports">
            <label class="btn">
              Import Entra federation metadata…
              <input type="file" accept=".xml,application/xml,text/xml" class="visually-hidden" onChange={(e) => void importMetadata('idp', e.currentTarget as HTMLInputElement)} />
            </label>
            <label class="btn">
              Import AWS SP metadata…
              <input type="file" accept=".xml,application/xml,text/xml" class="visually-hidden" onChange={(e) => void importMetadata('sp', e.currentTarget as HTMLInputElement)} />
            </label>
          </div>
          <span class="hint">
            Entra: Single sign-on → SAML Certificates → Federation Metadata XML (entity ID, signing certificates, sign-in URL). AWS: IAM Identity Center → Settings → Identity source → Actions → Change identity source → Download metadata file (entity ID, ACS URL).
          </span>
          {importNotes.length ? (
            <ul class="notes">
              {importNotes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          ) : null}
          {disagreements?.length ? (
            <div class="disagree" role="status">
              <span class="label">Where the captured sign-ins disagree with it</span>
              <ul>
                {disagreements.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            </div>
          ) : disagreements ? (
            <p class="hint">The captured sign-ins agree with the imported metadata (or none is captured yet).</p>
          ) : null}
        </div>
        {Object.keys(pins).length ? (
          <div class="field">
            <span class="label">Pinned certificates (first seen, nothing configured)</span>
            {Object.values(pins).map((p) => (
              <CertificateCard key={p.tenantId} cert={p.certificate} note={`Tenant ${p.tenantId}: first seen ${p.firstSeen.replace(/\.\d{3}Z$/, 'Z')}. A sign-in signed with another certificate is flagged as a rollover.`} />
            ))}
            {port.clearPins ? (
              <button type="button" class="btn" onClick={() => void port.clearPins!().then(() => setPins({}))}>
                Forget pinned certificates
              </button>
            ) : null}
          </div>
        ) : null}
      </fieldset>
      <fieldset>
        <legend>Retention</legend>
        <label class="field inline">
          <input
            type="checkbox"
            name="persistAcrossRestarts"
            checked={s.persistAcrossRestarts}
            disabled={isLocked('persistAcrossRestarts')}
            onChange={(e) => set('persistAcrossRestarts', (e.currentTarget as HTMLInputElement).checked)}
          />
          <span class="label">Keep captures across browser restarts (otherwise they last for this browser session)</span>
        </label>
        <label class="field">
          <span class="label">Most messages kept</span>
          <input type="number" name="maxMessages" min={10} max={5000} value={s.maxMessages} disabled={isLocked('maxMessages')} onInput={(e) => set('maxMessages', Number((e.currentTarget as HTMLInputElement).value))} />
          {errors.maxMessages ? <span class="error">{errors.maxMessages}</span> : null}
        </label>
        <label class="field">
          <span class="label">Most storage for captures (MB)</span>
          <input type="number" name="maxMegabytes" min={1} max={MAX_RETENTION_BYTES / 1024 / 1024} value={s.maxMegabytes} disabled={isLocked('maxMegabytes')} onInput={(e) => set('maxMegabytes', Number((e.currentTarget as HTMLInputElement).value))} />
          <span class="hint">
            When full, the oldest sign-ins are removed first, and the popup says so. At most {MAX_RETENTION_BYTES / 1024 / 1024} MB: the browser keeps 10 MB for an
            extension's captures, and the rest is room for what surrounds them.
          </span>
          {errors.maxMegabytes ? <span class="error">{errors.maxMegabytes}</span> : null}
        </label>
      </fieldset>
      <fieldset>
        <legend>Hosts</legend>
        <p class="hint">
          samlscope watches login.microsoftonline.com, the AWS sign-in and access-portal hosts and My Apps. Portals of the form portal.sso.&lt;region&gt;.amazonaws.com need access to all of amazonaws.com:
        </p>
        <button
          type="button"
          class="btn"
          disabled={awsPortals}
          onClick={() =>
            port.requestOrigins(AMAZONAWS).then(
              (ok) => {
                setAwsPortals(ok);
                if (!ok) setStatus({ tone: 'error', text: 'The browser did not grant access to amazonaws.com.' });
              },
              (e: unknown) => setStatus({ tone: 'error', text: String(e) }),
            )
          }
        >
          {awsPortals ? 'amazonaws.com portals: allowed' : 'Allow amazonaws.com portals'}
        </button>
        <label class="field">
          <span class="label">Other identity-provider hosts (ADFS, custom domains)</span>
          <ListInput
            name="extraHosts"
            value={s.extraHosts}
            placeholder="https://adfs.example.com/*"
            disabled={isLocked('extraHosts')}
            onList={(list) => set('extraHosts', list)}
            invalid={!!errors.extraHosts}
          />
          <span class="hint">The browser asks you to allow each one when you save.</span>
          {errors.extraHosts ? <span class="error">{errors.extraHosts}</span> : null}
        </label>
      </fieldset>
      <fieldset>
        <legend>SCIM provisioning</legend>
        <p class="hint">
          The Identity Center SCIM endpoint and token, the payload checker and the provisioning-log reader are on their own page:{' '}
          <a href="scim.html" target="_blank" rel="noopener" data-action="open-scim">
            open the SCIM page
          </a>
          .
        </p>
      </fieldset>
      <div class="actions">
        <button type="submit" class="btn primary">
          Save
        </button>
        <span class={`status tone-${status.tone}`} role="status">
          {status.text}
        </span>
      </div>
      <p class="hint about">
        samlscope v{VERSION} ·{' '}
        <a href="privacy.html" target="_blank" rel="noopener" data-action="open-privacy">
          Privacy policy
        </a>
        : what is stored where, for how long, and what leaves this computer (only the SCIM lookups you ask for).
      </p>
    </form>
  );
}

/** A comma-separated list: each item trimmed, empty ones dropped. */
function parseList(text: string): string[] {
  return text
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

/**
 * A text field holding a comma-separated list. It shows what the user typed, as typed: rendering
 * the parsed list back (value={list.join(', ')}) took away a comma the moment it was typed, so
 * "Department, CostCenter" could only be entered as "DepartmentCostCenter". It shows the list
 * afresh only when the list changes from elsewhere (loaded, reset, filled in from learned keys).
 */
function ListInput(p: { name: string; value: string[]; placeholder: string; disabled: boolean; invalid: boolean; onList: (list: string[]) => void }) {
  const [text, setText] = useState(() => p.value.join(', '));
  const shown = parseList(text).join('\n') === p.value.join('\n') ? text : p.value.join(', ');
  return (
    <input
      type="text"
      name={p.name}
      value={shown}
      placeholder={p.placeholder}
      disabled={p.disabled}
      onInput={(e) => {
        const t = (e.currentTarget as HTMLInputElement).value;
        setText(t);
        p.onList(parseList(t));
      }}
      aria-invalid={p.invalid}
    />
  );
}

/** Why a pasted text holds no certificate: a PEM block cut short says so. */
function noCertificateFound(text: string): string {
  if (/-----BEGIN [A-Z0-9 ]*CERTIFICATE-----/.test(text) && !/-----END [A-Z0-9 ]*CERTIFICATE-----/.test(text)) {
    return 'The certificate is cut short: it has its -----BEGIN CERTIFICATE----- line but no -----END CERTIFICATE----- line. Copy or download the whole certificate again.';
  }
  return 'No certificate found: paste the PEM (-----BEGIN CERTIFICATE-----) or its base64 text.';
}

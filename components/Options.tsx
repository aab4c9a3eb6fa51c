// The options page: what the checks expect, retention, and the optional hosts.
import { useEffect, useState } from 'preact/hooks';
import { DEFAULT_SETTINGS, validateSettings, type Settings, type SettingsErrors } from '../lib/settings.ts';

export interface OptionsPort {
  load(): Promise<{ settings: Settings; locked: (keyof Settings)[] }>;
  save(s: Settings): Promise<void>;
  requestOrigins(origins: string[]): Promise<boolean>;
  hasOrigins(origins: string[]): Promise<boolean>;
}

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

  useEffect(() => {
    port.load().then(
      (r) => {
        setS(r.settings);
        setLocked(r.locked);
        setStatus({ tone: 'neutral', text: r.locked.length ? 'Some values are set by your administrator and cannot be changed here.' : '' });
      },
      (e: unknown) => setStatus({ tone: 'error', text: `Could not read the settings: ${(e as Error)?.message ?? e}` }),
    );
    port.hasOrigins(AMAZONAWS).then(setAwsPortals, () => setAwsPortals(false));
  }, [port]);

  const set = <K extends keyof Settings>(k: K, v: Settings[K]) => setS((old) => ({ ...old, [k]: v }));
  const isLocked = (k: keyof Settings) => locked.includes(k);

  async function save(e: Event) {
    e.preventDefault();
    const errs = validateSettings(s);
    setErrors(errs);
    if (Object.keys(errs).length) {
      setStatus({ tone: 'error', text: 'Not saved: correct the fields marked below.' });
      return;
    }
    try {
      if (s.extraHosts.length) {
        const granted = await port.requestOrigins(s.extraHosts);
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
          <input
            type="text"
            name="accessControlKeys"
            value={s.accessControlKeys.join(', ')}
            placeholder="Department, CostCenter"
            disabled={isLocked('accessControlKeys')}
            onInput={(e) =>
              set(
                'accessControlKeys',
                (e.currentTarget as HTMLInputElement).value
                  .split(',')
                  .map((x) => x.trim())
                  .filter(Boolean),
              )
            }
            aria-invalid={!!errors.accessControlKeys}
          />
          <span class="hint">Tag keys from AWS console → IAM Identity Center → Settings → Attributes for access control, comma-separated.</span>
          {errors.accessControlKeys ? <span class="error">{errors.accessControlKeys}</span> : null}
        </label>
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
            onInput={(e) => set('clockSkewSeconds', Number((e.currentTarget as HTMLInputElement).value))}
            aria-invalid={!!errors.clockSkewSeconds}
          />
          <span class="hint">Microsoft advises allowing five minutes (300 s).</span>
          {errors.clockSkewSeconds ? <span class="error">{errors.clockSkewSeconds}</span> : null}
        </label>
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
          <input type="number" name="maxMegabytes" min={1} max={64} value={s.maxMegabytes} disabled={isLocked('maxMegabytes')} onInput={(e) => set('maxMegabytes', Number((e.currentTarget as HTMLInputElement).value))} />
          <span class="hint">When full, the oldest sign-ins are removed first, and the popup says so.</span>
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
          <input
            type="text"
            name="extraHosts"
            value={s.extraHosts.join(', ')}
            placeholder="https://adfs.example.com/*"
            disabled={isLocked('extraHosts')}
            onInput={(e) =>
              set(
                'extraHosts',
                (e.currentTarget as HTMLInputElement).value
                  .split(',')
                  .map((x) => x.trim())
                  .filter(Boolean),
              )
            }
          />
          <span class="hint">The browser asks you to allow each one when you save.</span>
          {errors.extraHosts ? <span class="error">{errors.extraHosts}</span> : null}
        </label>
      </fieldset>
      <div class="actions">
        <button type="submit" class="btn primary">
          Save
        </button>
        <span class={`status tone-${status.tone}`} role="status">
          {status.text}
        </span>
      </div>
    </form>
  );
}

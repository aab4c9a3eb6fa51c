// The Identity Center SCIM endpoint and token, a connection test, and lookups: a user by user name
// or externalId (attributes, active, groups), a group and its members. The token stays in
// storage.session unless "remember" is ticked; it is never shown again, exported or logged. The
// SCIM host is an optional permission, asked for on the first test or lookup (a click).
import { useContext, useEffect, useState } from 'preact/hooks';
import { crossCheck } from '../lib/scim/crosscheck.ts';
import { parseEndpoint, primaryEmail, ScimClient, ScimClientError, type ClientEvent, type ScimGroup, type ScimUser, type ServiceProviderInfo } from '../lib/scim/client.ts';
import { DEFAULT_SCIM_SETTINGS, tokenMayGoTo, untrustedHostMessage, validateScimSettings, type ScimSettings } from '../lib/scim/settings.ts';
import type { Finding } from '../lib/types.ts';
import { FindingCard } from './FindingCard.tsx';
import { ScimPortContext } from './scimPort.ts';
import { POLICY_TEXT, type ScimPolicy } from '../lib/policy.ts';

type By = 'userName' | 'externalId' | 'group';
type Outcome =
  | { kind: 'test'; info: ServiceProviderInfo & { ms: number } }
  | { kind: 'user'; query: string; user?: ScimUser; groups?: ScimGroup[]; findings: Finding[] }
  | { kind: 'group'; query: string; group?: ScimGroup; members?: { supported: boolean; users: ScimUser[]; note?: string } }
  | { kind: 'error'; message: string };

export function ScimConnection() {
  const port = useContext(ScimPortContext);
  const [s, setS] = useState<ScimSettings>(DEFAULT_SCIM_SETTINGS);
  const [token, setToken] = useState('');
  const [stored, setStored] = useState<'session' | 'local' | 'none'>('none');
  const [status, setStatus] = useState<{ tone: string; text: string }>({ tone: 'neutral', text: '' });
  const [by, setBy] = useState<By>('userName');
  const [query, setQuery] = useState('');
  const [busy, setBusy] = useState(false);
  const [events, setEvents] = useState<ClientEvent[]>([]);
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const [policy, setPolicy] = useState<ScimPolicy | undefined>();

  useEffect(() => {
    port?.load().then(
      (r) => {
        setS(r.settings);
        setStored(r.tokenArea);
        setPolicy(r.policy);
      },
      (e: unknown) => setStatus({ tone: 'error', text: `Could not read the SCIM settings: ${(e as Error)?.message ?? e}` }),
    );
  }, [port]);
  if (!port) return null;
  const errors = validateScimSettings(s);
  const ep = s.endpoint.trim() ? parseEndpoint(s.endpoint) : undefined;

  async function persist(): Promise<boolean> {
    if (errors.endpoint) {
      setStatus({ tone: 'error', text: errors.endpoint });
      return false;
    }
    await port!.save(s, token.trim() ? token.trim() : undefined);
    const r = await port!.load();
    setStored(r.tokenArea);
    setToken('');
    return true;
  }

  /** Saves, makes sure the host may be contacted (asking the user on first use), and builds a client. */
  async function client(asked: Promise<boolean> | undefined): Promise<ScimClient | undefined> {
    if (!(await persist())) return undefined;
    if (!ep?.ok) {
      setStatus({ tone: 'error', text: 'Enter the SCIM endpoint first.' });
      return undefined;
    }
    if (!tokenMayGoTo(s, ep.info)) {
      setStatus({ tone: 'error', text: untrustedHostMessage(ep.info.host) });
      return undefined;
    }
    const { token: t } = await port!.load();
    if (!t) {
      setStatus({ tone: 'error', text: 'Enter the SCIM access token first.' });
      return undefined;
    }
    if (!(await asked) && !(await port!.hasPermission(ep.info.permission))) {
      setStatus({ tone: 'error', text: `samlscope needs your permission to contact ${ep.info.host}: the browser did not grant it.` });
      return undefined;
    }
    setEvents([]);
    return new ScimClient({ endpoint: ep.info.endpoint, token: t, fetch: port!.fetch, onEvent: (e) => setEvents((xs) => [...xs, e]) });
  }

  async function run(what: 'test' | 'lookup') {
    // Asked before anything is awaited: Firefox grants a permission request only straight from the
    // click (Chrome answers at once, without a prompt, when the host is already allowed).
    const asked = ep?.ok && !errors.endpoint && tokenMayGoTo(s, ep.info) ? port!.requestPermission(ep.info.permission) : undefined;
    setBusy(true);
    setOutcome(undefined);
    // A new attempt starts clean: the last one's retry notices do not stand under its errors.
    setEvents([]);
    setStatus({ tone: 'neutral', text: '' });
    try {
      const c = await client(asked);
      if (!c) return;
      if (what === 'test') {
        setOutcome({ kind: 'test', info: await c.testConnection() });
        return;
      }
      const q = query.trim();
      if (!q) {
        setStatus({ tone: 'error', text: 'Enter what to look up.' });
        return;
      }
      if (by === 'group') {
        const group = await c.findGroup(q);
        setOutcome({ kind: 'group', query: q, ...(group ? { group, members: await c.membersOfGroup(group.id) } : {}) });
      } else if (by === 'externalId') {
        const user = await c.findUserByExternalId(q);
        setOutcome({ kind: 'user', query: `externalId eq "${q}"`, ...(user ? { user, groups: await c.groupsOfUser(user.id) } : {}), findings: [] });
      } else {
        const r = await crossCheck(c, { nameId: q, nameIdPath: 'the user name typed here', messageId: 'scim-page', typed: true }, { groups: true });
        if (r.error) setOutcome({ kind: 'error', message: r.error.message });
        else setOutcome({ kind: 'user', query: `userName eq "${q}"`, ...(r.user ? { user: r.user } : {}), ...(r.groups ? { groups: r.groups } : {}), findings: r.findings });
      }
    } catch (e) {
      setOutcome({ kind: 'error', message: e instanceof ScimClientError ? e.message : `${(e as Error)?.message ?? e}` });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="scim-section" id="lookup" aria-labelledby="lookup-h">
      <h2 id="lookup-h">Ask Identity Center</h2>
      <p class="lead">
        The SCIM endpoint and access token from AWS console → IAM Identity Center → Settings → Identity source → Automatic provisioning (the token is shown once, when generated). samlscope only reads: it looks users and groups up.
      </p>
      {policy?.lookupsDisabled ? (
        <p class="notice tone-warning" role="note" data-policy="scim-disabled">
          {POLICY_TEXT.scimDisabled}
        </p>
      ) : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void persist().then((ok) => ok && setStatus({ tone: 'ok', text: 'Saved.' }));
        }}
      >
        <label class="scim-field">
          <span class="label">SCIM endpoint</span>
          <input
            type="text"
            name="scimEndpoint"
            value={s.endpoint}
            disabled={policy?.endpointLocked}
            spellcheck={false}
            autocomplete="off"
            placeholder="https://scim.eu-west-1.amazonaws.com/00000000-0000-0000-0000-000000000000/scim/v2"
            aria-invalid={!!errors.endpoint}
            onInput={(e) => setS({ ...s, endpoint: (e.currentTarget as HTMLInputElement).value })}
          />
          {policy?.endpointLocked ? <span class="hint">{POLICY_TEXT.endpointLocked}</span> : null}
          {errors.endpoint ? <span class="error">{errors.endpoint}</span> : null}
          {ep?.ok && ep.info.warnings.length ? <span class="hint">{ep.info.warnings.join(' ')}</span> : null}
        </label>
        {ep?.ok && ep.info.region === undefined && !tokenMayGoTo({}, ep.info) ? (
          // Not Identity Center's SCIM host: the token goes there only if the user says so.
          <label class="scim-row trust-host" data-trust-host={ep.info.host}>
            <input
              type="checkbox"
              name="trustHost"
              checked={s.trustedHost === ep.info.host.toLowerCase()}
              onChange={(e) => {
                const { trustedHost: _old, ...rest } = s;
                setS((e.currentTarget as HTMLInputElement).checked ? { ...rest, trustedHost: ep.info.host.toLowerCase() } : rest);
              }}
            />
            <span>
              Send the SCIM access token to <strong>{ep.info.host}</strong>, which is not an AWS host (only if your Identity Center SCIM endpoint really is there: a token sent to
              another host is handed over)
            </span>
          </label>
        ) : null}
        <label class="scim-field">
          <span class="label">Access token</span>
          <input
            type="password"
            name="scimToken"
            value={token}
            autocomplete="off"
            spellcheck={false}
            placeholder={stored === 'none' ? 'paste the SCIM access token' : `a token is stored (${stored === 'session' ? 'this browser session only' : 'on this computer'}); paste to replace it`}
            onInput={(e) => setToken((e.currentTarget as HTMLInputElement).value)}
          />
          <span class="hint">
            Kept in this browser session only, unless you tick the box below. Never exported or written to a log; samlscope sends it only to the endpoint above.
          </span>
        </label>
        <label class="scim-row">
          <input type="checkbox" name="rememberToken" checked={s.rememberToken} disabled={policy?.rememberDisabled} title={policy?.rememberDisabled ? POLICY_TEXT.rememberDisabled : undefined} onChange={(e) => setS({ ...s, rememberToken: (e.currentTarget as HTMLInputElement).checked })} />
          Remember the token on this computer (extension storage, across browser restarts)
        </label>
        <label class="scim-row">
          <input type="checkbox" name="crossCheckInPopup" checked={s.crossCheckInPopup} disabled={policy?.lookupsDisabled} onChange={(e) => setS({ ...s, crossCheckInPopup: (e.currentTarget as HTMLInputElement).checked })} />
          In the popup, check the latest sign-in's NameID against Identity Center
        </label>
        <div class="scim-row">
          <button type="submit" class="btn">
            Save
          </button>
          <button type="button" class="btn" disabled={busy || policy?.lookupsDisabled} onClick={() => void run('test')} data-action="scim-test">
            Test connection
          </button>
          <button
            type="button"
            class="btn"
            disabled={stored === 'none'}
            onClick={() =>
              void port.save(s, '').then(async () => {
                setStored((await port.load()).tokenArea);
                setEvents([]);
                setOutcome(undefined);
                setStatus({ tone: 'ok', text: 'The token is forgotten.' });
              })
            }
          >
            Forget the token
          </button>
          <span class={`status tone-${status.tone}`} role="status">
            {status.text}
          </span>
        </div>
      </form>
      <div class="scim-row">
        <select value={by} name="lookupBy" onChange={(e) => setBy((e.currentTarget as HTMLSelectElement).value as By)} aria-label="Look up by">
          <option value="userName">User by user name (the NameID)</option>
          <option value="externalId">User by externalId</option>
          <option value="group">Group by display name</option>
        </select>
        <input
          type="text"
          name="lookup"
          value={query}
          spellcheck={false}
          placeholder={by === 'group' ? 'AWS-Engineers' : by === 'externalId' ? '5c8a3e1f-…' : 'alex.morgan@contoso.com'}
          onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)}
          onKeyDown={(e) => e.key === 'Enter' && void run('lookup')}
          aria-label="What to look up"
        />
        <button type="button" class="btn primary" disabled={busy || policy?.lookupsDisabled} onClick={() => void run('lookup')} data-action="scim-lookup">
          Look up
        </button>
        {busy ? <span aria-busy="true">Asking…</span> : null}
      </div>
      {events.map((e, i) => (
        <p key={i} class="notice tone-warning">
          {e.message}
        </p>
      ))}
      {outcome ? <OutcomeView o={outcome} /> : null}
    </section>
  );
}

function UserTable({ u, groups }: { u: ScimUser; groups?: ScimGroup[] }) {
  const rows: [string, string][] = [
    ['user name', u.userName],
    ['id', u.id],
    ['externalId', u.externalId ?? '(none)'],
    ['display name', u.displayName ?? '(none)'],
    ['given / family name', `${u.givenName ?? '(none)'} / ${u.familyName ?? '(none)'}`],
    ['email', primaryEmail(u) ?? '(none)'],
    ['active', u.active === undefined ? '(not said)' : String(u.active)],
  ];
  if (u.title) rows.push(['title', u.title]);
  if (groups) rows.push(['groups', groups.length ? groups.map((g) => g.displayName).join(', ') : '(none)']);
  return (
    <table class="scim-kv" data-scim-user={u.userName}>
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function OutcomeView({ o }: { o: Outcome }) {
  if (o.kind === 'error') {
    return (
      <p class="notice tone-error" role="alert" data-scim-outcome="error">
        {o.message}
      </p>
    );
  }
  if (o.kind === 'test') {
    return (
      <p class="scim-verdict tone-ok" role="status" data-scim-outcome="connected">
        ✔ Connected in {o.info.ms} ms: ServiceProviderConfig answered (PATCH {o.info.patch ? 'yes' : 'no'}, bulk {o.info.bulk ? 'yes' : 'no'}, filter maxResults {o.info.maxResults ?? '?'}; authentication{' '}
        {o.info.authenticationSchemes.join(', ') || '?'}).
      </p>
    );
  }
  if (o.kind === 'group') {
    if (!o.group) return <p class="scim-verdict tone-error" data-scim-outcome="no-group">✖ No group with display name {JSON.stringify(o.query)}.</p>;
    return (
      <div data-scim-outcome="group">
        <table class="scim-kv">
          <tbody>
            <tr>
              <th scope="row">group</th>
              <td>{o.group.displayName}</td>
            </tr>
            <tr>
              <th scope="row">id</th>
              <td>{o.group.id}</td>
            </tr>
            <tr>
              <th scope="row">externalId</th>
              <td>{o.group.externalId ?? '(none)'}</td>
            </tr>
          </tbody>
        </table>
        {o.members?.supported ? (
          <>
            <p>
              {o.members.users.length} member(s) (Identity Center's GetGroup returns no members; these come from a users filter on groups.value):
            </p>
            <ul>
              {o.members.users.map((u) => (
                <li key={u.id}>
                  <code>{u.userName}</code>
                  {u.active === false ? ' (disabled)' : ''}
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p class="hint">{o.members?.note}</p>
        )}
      </div>
    );
  }
  return (
    <div data-scim-outcome={o.user ? 'user' : 'no-user'}>
      {o.user ? (
        <p class={`scim-verdict tone-${o.user.active === false ? 'error' : 'ok'}`}>
          {o.user.active === false ? '✖' : '✔'} {o.user.userName} exists{o.user.active === false ? ' but is disabled' : ''}.
        </p>
      ) : o.findings.length ? null : (
        <p class="scim-verdict tone-error">✖ No user: {o.query}</p>
      )}
      {o.user ? <UserTable u={o.user} {...(o.groups ? { groups: o.groups } : {})} /> : null}
      <div class="scim-results">
        {o.findings.map((f, i) => (
          <FindingCard key={`${f.checkId}-${i}`} f={f} />
        ))}
      </div>
    </div>
  );
}

// Paste a SCIM request body (User, Group, PATCH) or an AWS error body; see what Identity Center
// does with it, as finding cards. Lints as you type: the linter is pure and fast.
import { useMemo, useState } from 'preact/hooks';
import { lintScim, lintVerdict } from '../lib/scim/lint.ts';
import type { ScimResource } from '../lib/scim/types.ts';
import { FindingCard } from './FindingCard.tsx';

const EXAMPLES: { label: string; text: string }[] = [
  {
    label: 'Entra user with work and mobile phones',
    text: JSON.stringify(
      {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: 'priya.shah@contoso.com',
        displayName: 'Priya Shah',
        name: { givenName: 'Priya', familyName: 'Shah' },
        emails: [{ primary: true, type: 'work', value: 'priya.shah@contoso.com' }],
        phoneNumbers: [
          { type: 'work', value: '+44 20 7946 0101' },
          { type: 'mobile', value: '+44 7700 900101' },
        ],
        active: true,
      },
      null,
      2,
    ),
  },
  {
    label: 'AWS 400 error from the provisioning log',
    text: '{"schema":["urn:ietf:params:scim:api:messages:2.0:Error"],"detail":"Request is unparsable, syntactically incorrect, or violates schema.","status":"400"}',
  },
];

export function ScimLint() {
  const [text, setText] = useState('');
  const [target, setTarget] = useState<'auto' | 'user' | 'group'>('auto');
  const result = useMemo(() => (text.trim() ? lintScim(text, 'pasted', target === 'auto' ? {} : { target: (target === 'user' ? 'User' : 'Group') as ScimResource }) : undefined), [text, target]);
  const v = result ? lintVerdict(result) : undefined;
  return (
    <section class="scim-section" id="lint" aria-labelledby="lint-h">
      <h2 id="lint-h">Check a SCIM payload</h2>
      <p class="lead">
        Paste a request body Entra sent (Create user, PATCH…) or the error AWS answered (from the provisioning log's details, the audit log's "Status Reason", or CloudTrail). Nothing leaves this page.
      </p>
      <textarea
        name="payload"
        aria-label="SCIM payload or error body"
        spellcheck={false}
        placeholder='{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "…"}'
        value={text}
        onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)}
      />
      <div class="scim-row">
        <label>
          A PATCH changes a
          <select value={target} onChange={(e) => setTarget((e.currentTarget as HTMLSelectElement).value as typeof target)} name="target">
            <option value="auto">(tell from the paths)</option>
            <option value="user">user</option>
            <option value="group">group</option>
          </select>
        </label>
        <span class="hint">Examples:</span>
        {EXAMPLES.map((x) => (
          <button key={x.label} type="button" class="btn small" onClick={() => setText(x.text)}>
            {x.label}
          </button>
        ))}
        {text ? (
          <button type="button" class="btn small" onClick={() => setText('')}>
            Clear
          </button>
        ) : null}
      </div>
      {v ? (
        <div class={`scim-verdict tone-${v.tone}`} role="status" data-tone={v.tone}>
          {v.text}
        </div>
      ) : null}
      {result?.ok ? (
        <div class="scim-results" data-scim-lint>
          {result.findings.map((f, i) => (
            <FindingCard key={`${f.checkId}-${i}`} f={f} />
          ))}
        </div>
      ) : null}
    </section>
  );
}

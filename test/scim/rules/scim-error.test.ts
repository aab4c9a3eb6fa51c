import { ruleTable, entraUser } from '../harness.ts';
import { CLEAN } from './common.ts';

const E = 'urn:ietf:params:scim:api:messages:2.0:Error';

ruleTable(
  'scim-error',
  [...CLEAN, { name: 'a user body is not an error', body: entraUser() }],
  [
    {
      name: 'the 400 body AWS quotes (schema singular, status a string)',
      body: { schema: [E], detail: 'Request is unparsable, syntactically incorrect, or violates schema.', status: '400' },
      key: 'unparsable',
      severity: 'error',
      messageHas: ['HTTP 400 (ValidationException)', 'More than one email'],
      evidence: [
        { label: 'status', actual: '400', path: '/status' },
        { label: 'detail', actual: 'Request is unparsable, syntactically incorrect, or violates schema.', path: '/detail' },
      ],
    },
    {
      name: 'a newer 409 body with schema and schemas and a request id',
      body: { schema: [E], schemas: [E], detail: 'Refused to create a new, duplicate resource.', status: '409', exceptionRequestId: 'f1e2d3c4-aaaa-bbbb-cccc-1234567890ab', timeStamp: '2022-03-22 01:39:54.152' },
      key: 'duplicate',
      severity: 'error',
      messageHas: ['same userName, primary email address or externalId'],
      evidence: [{ label: 'status', actual: '409' }, { label: 'detail' }],
    },
    { name: '429 ThrottlingException', body: { schemas: [E], detail: 'Too many requests exceeded the limits.', status: '429' }, key: 'throttled', severity: 'warning' },
    { name: '401', body: { schemas: [E], detail: 'The bearer token is invalid or expired.', status: '401' }, key: 'unauthorized', severity: 'error', messageHas: ['expired'] },
    { name: '404', body: { schemas: [E], detail: 'User not found.', status: '404' }, key: 'notFound', severity: 'error' },
    { name: '500', body: { schemas: [E], detail: 'Service failed to process the request.', status: '500' }, key: 'server', severity: 'error' },
    {
      name: 'CloudTrail CreateUser with the single-item message',
      body: { eventSource: 'sso-directory.amazonaws.com', eventName: 'CreateUser', errorCode: 'ValidationException', errorMessage: 'Currently list attributes only allow single item“' },
      key: 'singleItem',
      severity: 'error',
      messageHas: ['mobile, work and fax phones'],
      evidence: [{ label: 'status', actual: '400' }, { label: 'detail', path: '/errorMessage' }],
    },
    {
      name: 'the two documented validation errors for an empty given name',
      body: {
        schemas: [E],
        status: '400',
        detail:
          "2 validation errors detected: Value at 'name.givenName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\t\\n\\r  ]+; Value at 'name.givenName' failed to satisfy constraint: Member must have length greater than or equal to 1",
      },
      key: 'constraint',
      severity: 'error',
      messageHas: ['refused name.givenName', 'An empty value in name.givenName'],
      evidence: [{ label: 'status' }, { label: 'detail' }, { label: 'name.givenName', actual: '(characters refused)' }, { label: 'name.givenName', actual: '(empty)' }],
    },
    { name: 'List attribute emails exceeds allowed limit of 1', body: { schemas: [E], status: '400', detail: 'List attribute emails exceeds allowed limit of 1' }, key: 'singleItem', severity: 'error', messageHas: ['(emails)'] },
    {
      name: 'an error body inside an Entra log line',
      body: 'StatusCode: BadRequest Message: Processing of the HTTP request resulted in an exception. The HTTP response returned by this SCIM endpoint: {"schema":["urn:ietf:params:scim:api:messages:2.0:Error"],"detail":"Request is unparsable, syntactically incorrect, or violates schema.","status":"400"}',
      key: 'unparsable',
      severity: 'error',
    },
    { name: 'an HTTP status line before the body', body: `HTTP/1.1 409 Conflict\ncontent-type: application/json\n\n{"schemas":["${E}"],"detail":"User already exists.","status":"409"}`, key: 'duplicate', severity: 'error' },
  ],
);
